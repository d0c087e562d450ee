/** `scaleByFactoredRms`: Adafactor's second-moment scaling, as Optax's `scale_by_factored_rms`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import type { GradientTransformation } from '../transform.js';
import { checkTensors, incrementCount, zeroCount } from '../tree-math.js';
import { checkBoolean, checkFinite, checkInteger } from './trust-checks.js';

/**
 * Options of {@link scaleByFactoredRms}.
 *
 * @example
 * ```ts
 * const options: ScaleByFactoredRmsOptions = { minDimSizeToFactor: 32, decayRate: 0.8 };
 * options.minDimSizeToFactor; // 32
 * ```
 */
export interface ScaleByFactoredRmsOptions {
  /** Keep row and column statistics for leaves of rank >= 2, rather than a full one. Default `true`. */
  factored?: boolean;
  /** The exponent of the second-moment decay `1 - (t + 1)^-decayRate`. Default `0.8`. */
  decayRate?: number;
  /** Subtracted from the step count, to restart the decay schedule when fine-tuning. Default `0`. */
  stepOffset?: number;
  /** Factor only when the two largest dimensions are at least this big. Default `128`. */
  minDimSizeToFactor?: number;
  /** Added to the squared gradient. Default `1e-30`. */
  epsilon?: number;
  /**
   * The decay of the second moment at step `step` (an int32 scalar, from 0, less `stepOffset`),
   * given `decayRate`. Default `1 - (step + 1)^-decayRate` (Adafactor's).
   */
  decayRateFn?: (step: Tensor, decayRate: number) => Tensor | number;
}

/**
 * The state of {@link scaleByFactoredRms} (Optax's `FactoredState`): the step count and three
 * trees shaped like the params. A factored leaf keeps its row and column statistics in `vRow` and
 * `vCol` (and a `[1]` placeholder in `v`); any other leaf keeps a full second moment in `v` (and
 * placeholders in `vRow`, `vCol`).
 *
 * @example
 * ```ts
 * const t = scaleByFactoredRms({ minDimSizeToFactor: 2 });
 * const state: FactoredState = t.init({ w: numpy.zeros([2, 3]), b: numpy.zeros([3]) });
 * (state.vRow as { w: Tensor }).w.shape; // [2]
 * (state.vCol as { w: Tensor }).w.shape; // [3]
 * (state.v as { b: Tensor }).b.shape; // [3]
 * ```
 */
export interface FactoredState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
  /** Per-leaf statistics with the largest dimension averaged out. */
  vRow: unknown;
  /** Per-leaf statistics with the second-largest dimension averaged out. */
  vCol: unknown;
  /** Per-leaf full second moments, for leaves not factored. */
  v: unknown;
}

/** Adafactor's decay schedule: `1 - (step + 1)^-exponent`. */
function powerDecay(step: Tensor, exponent: number): Tensor {
  return numpy.power(step.astype('float32').add(1), -exponent).neg().add(1);
}

/**
 * The axes to average over for a factored leaf: `[second largest, largest]`, or `null` when the
 * leaf is not factored. Ties go to the earlier axis first, as a stable sort orders them.
 */
function factoredDims(
  shape: readonly number[],
  factored: boolean,
  minDimSizeToFactor: number,
): [number, number] | null {
  if (!factored || shape.length < 2) return null;
  const order = shape.map((_, i) => i).sort((a, b) => shape[a]! - shape[b]! || a - b);
  const [second, largest] = order.slice(-2) as [number, number];
  return shape[second]! < minDimSizeToFactor ? null : [second, largest];
}

/** `shape` without axis `axis`. */
function without(shape: readonly number[], axis: number): number[] {
  return shape.filter((_, i) => i !== axis);
}

/**
 * Scales updates by a factored estimate of the root mean square of past gradients (Optax's
 * `scale_by_factored_rms`, the core of Adafactor). With `decay = decayRateFn(count - stepOffset)`
 * and `s = g^2 + epsilon`, a leaf whose two largest dimensions reach `minDimSizeToFactor` keeps
 * `vRow = decay * vRow + (1 - decay) * mean(s over the largest axis)` and `vCol` likewise over the
 * second-largest axis, and returns `g / sqrt(vRow / mean(vRow) ⊗ vCol)` (memory: the sum of the
 * two sizes, not their product); other leaves keep `v = decay * v + (1 - decay) * s` and return
 * `g / sqrt(v)`. The default decay is 0 at the first step, so the first update is about `sign(g)`.
 *
 * @example
 * ```ts
 * const t = scaleByFactoredRms();
 * const [updates] = t.update({ w: numpy.array([3, -4]) }, t.init({ w: numpy.zeros([2]) }));
 * updates.w.tolist(); // [1, -1]
 * ```
 */
export function scaleByFactoredRms(
  options: ScaleByFactoredRmsOptions = {},
): GradientTransformation<FactoredState> {
  const op = 'scaleByFactoredRms';
  const {
    factored = true,
    decayRate = 0.8,
    stepOffset = 0,
    minDimSizeToFactor = 128,
    epsilon = 1e-30,
    decayRateFn = powerDecay,
  } = options;
  checkBoolean(op, 'factored', factored);
  checkFinite(op, 'decayRate', decayRate);
  checkInteger(op, 'stepOffset', stepOffset, 0);
  checkInteger(op, 'minDimSizeToFactor', minDimSizeToFactor, 1);
  checkFinite(op, 'epsilon', epsilon, 0);
  if (typeof decayRateFn !== 'function') {
    throw new TypeError(`${op}: \`decayRateFn\` must be a function, found ${typeof decayRateFn}`);
  }
  const placeholder = () => numpy.zeros([1]);

  return {
    init: (params) => {
      checkTensors(op, 'params', params);
      const [leaves, def] = tree.flatten(params);
      const slots = (leaves as Tensor[]).map((p) => {
        const dims = factoredDims(p.shape, factored, minDimSizeToFactor);
        return dims === null
          ? { vRow: placeholder(), vCol: placeholder(), v: numpy.zeros(p.shape) }
          : {
              vRow: numpy.zeros(without(p.shape, dims[1])),
              vCol: numpy.zeros(without(p.shape, dims[0])),
              v: placeholder(),
            };
      });
      return {
        count: zeroCount(),
        vRow: tree.unflatten(
          def,
          slots.map((s) => s.vRow),
        ),
        vCol: tree.unflatten(
          def,
          slots.map((s) => s.vCol),
        ),
        v: tree.unflatten(
          def,
          slots.map((s) => s.v),
        ),
      };
    },
    update: (updates, state) => {
      checkTensors(op, 'updates', updates);
      const [grads, def] = tree.flatten(updates);
      const vRows = tree.leaves(state.vRow) as Tensor[];
      const vCols = tree.leaves(state.vCol) as Tensor[];
      const vs = tree.leaves(state.v) as Tensor[];
      const decay = decayRateFn(state.count.sub(stepOffset), decayRate);
      const keep = (old: Tensor, fresh: Tensor) =>
        old.mul(decay).add(fresh.mul(numpy.array(1).sub(decay)));
      const results = (grads as Tensor[]).map((g, i) => {
        const squared = g.square().add(epsilon);
        const dims = factoredDims(g.shape, factored, minDimSizeToFactor);
        if (dims === null) {
          const v = keep(vs[i]!, squared);
          return { update: g.div(v.sqrt()), vRow: vRows[i]!, vCol: vCols[i]!, v };
        }
        const [second, largest] = dims;
        const vRow = keep(vRows[i]!, squared.mean({ axis: largest }));
        const vCol = keep(vCols[i]!, squared.mean({ axis: second }));
        // vRow lost the largest axis, so the second-largest sits one place earlier when it came after.
        const rowAxis = second > largest ? second - 1 : second;
        const rowFactor = vRow.div(vRow.mean({ axis: rowAxis, keepdims: true })).sqrt();
        const update = g
          .div(numpy.expandDims(rowFactor, largest))
          .div(numpy.expandDims(vCol.sqrt(), second));
        return { update, vRow, vCol, v: vs[i]! };
      });
      const rebuild = (key: 'update' | 'vRow' | 'vCol' | 'v') =>
        tree.unflatten(
          def,
          results.map((r) => r[key]),
        );
      return [
        rebuild('update') as typeof updates,
        {
          count: incrementCount(state.count),
          vRow: rebuild('vRow'),
          vCol: rebuild('vCol'),
          v: rebuild('v'),
        },
      ];
    },
  };
}
