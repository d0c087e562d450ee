/** `adafactor`: Adafactor (Shazeer and Stern, 2018), as Optax's `adafactor`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type EmptyState, type GradientTransformation, chain } from '../transform.js';
import { checkTensors, mapTensors } from '../tree-math.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { ema } from '../transforms/ema.js';
import type { Mask } from '../transforms/masked.js';
import { scale, scaleByLearningRate } from '../transforms/scale.js';
import { scaleByFactoredRms } from '../transforms/scale-by-factored-rms.js';
import {
  checkBoolean,
  checkFinite,
  checkInRange,
  checkPositive,
  requireParams,
} from '../transforms/trust-checks.js';

/**
 * Options of {@link adafactor}.
 *
 * @example
 * ```ts
 * const options: AdafactorOptions = { minDimSizeToFactor: 32, clippingThreshold: null, momentum: 0.9 };
 * options.clippingThreshold; // null
 * ```
 */
export interface AdafactorOptions {
  /** Factor a leaf's statistics only when its two largest dimensions are at least this big. Default `128`. */
  minDimSizeToFactor?: number;
  /** The exponent of the second-moment decay `1 - (t + 1)^-decayRate`. Default `0.8`. */
  decayRate?: number;
  /** The step the decay schedule restarts from, when fine-tuning. Default `0`. */
  decayOffset?: number;
  /** Scale each leaf's step by the root mean square of its params (at least 1e-3). Default `true`. */
  multiplyByParameterScale?: boolean;
  /** Clip each leaf's update to this root mean square; `null` turns clipping off. Default `1`. */
  clippingThreshold?: number | null;
  /** Momentum (an average of the updates, without bias correction); none by default. */
  momentum?: number | null;
  /** Weight decay, added after the learning rate and parameter scale; none by default. */
  weightDecayRate?: number | null;
  /** Added to the squared gradient. Default `1e-30`. */
  eps?: number;
  /** Use factored second moments for leaves of rank >= 2. Default `true`. */
  factored?: boolean;
  /** Which params to decay (see {@link Mask}); default all. */
  weightDecayMask?: Mask;
}

/** `max(rms(x), floor)`: the root mean square of a whole leaf, kept away from 0. */
function blockRms(x: Tensor, floor = 0): Tensor {
  const rms = numpy.sqrt(numpy.mean(numpy.square(x)));
  return floor > 0 ? numpy.where(rms.lt(floor), floor, rms) : rms;
}

/** Divides each leaf by `max(1, rms(leaf) / threshold)` (Optax's `clip_by_block_rms`). */
function clipByBlockRms(threshold: number): GradientTransformation<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state) => [
      mapTensors((u) => u.div(numpy.maximum(1, blockRms(u).div(threshold))), updates),
      state,
    ],
  };
}

/** Multiplies each leaf by `max(rms(param), minScale)` (Optax's `scale_by_param_block_rms`). */
function scaleByParamBlockRms(minScale = 1e-3): GradientTransformation<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      requireParams('adafactor', params);
      checkTensors('adafactor', 'params', params);
      return [mapTensors((u, p) => u.mul(blockRms(p, minScale)), updates, params), state];
    },
  };
}

/**
 * The Adafactor optimiser (Optax's `adafactor`; Shazeer and Stern, 2018, "Adafactor: Adaptive
 * Learning Rates with Sublinear Memory Cost"). In order: rescale by factored second moments (see
 * {@link scaleByFactoredRms}: a `[m, n]` matrix keeps `m + n` numbers rather than `m * n`), clip each
 * leaf's update to root mean square `clippingThreshold`, multiply by `learningRate`, by the params'
 * root mean square `max(rms(p), 1e-3)` (`multiplyByParameterScale`), average with `momentum`, add
 * `weightDecayRate * params`, and negate. Without a `learningRate` (Optax's default, `undefined`
 * or `null`) there is no learning-rate factor, so with the parameter scale each step moves a leaf
 * by at most about its own root mean square: the paper's relative step, without its decay schedule
 * (pass a schedule for one). Needs `params` in `update` when `multiplyByParameterScale` or
 * `weightDecayRate` is set. No TensorFlow.js equivalent.
 *
 * @example
 * ```ts
 * // The first step of a vector leaf: g / |g| = ±1 (clipped to rms 1, which it is), times
 * // rms(params) = 2, times the learning rate 0.1.
 * const optimiser = adafactor(0.1);
 * const params = { w: numpy.array([2, -2]) };
 * const [updates] = optimiser.update({ w: numpy.array([5, -0.5]) }, optimiser.init(params), params);
 * updates.w.tolist().map((u) => Math.round(u * 1e6) / 1e6); // [-0.2, 0.2]
 * ```
 */
export function adafactor(
  learningRate?: ScalarOrSchedule | null,
  options: AdafactorOptions = {},
): GradientTransformation {
  const op = 'adafactor';
  const {
    minDimSizeToFactor = 128,
    decayRate = 0.8,
    decayOffset = 0,
    multiplyByParameterScale = true,
    clippingThreshold = 1,
    momentum = null,
    weightDecayRate = null,
    eps = 1e-30,
    factored = true,
    weightDecayMask,
  } = options;
  if (learningRate !== undefined && learningRate !== null) {
    checkScalarOrSchedule(op, 'learningRate', learningRate);
  }
  checkBoolean(op, 'multiplyByParameterScale', multiplyByParameterScale);
  if (clippingThreshold !== null) checkPositive(op, 'clippingThreshold', clippingThreshold);
  if (momentum !== null) checkInRange(op, 'momentum', momentum, 0, 1);
  if (weightDecayRate !== null) checkFinite(op, 'weightDecayRate', weightDecayRate);
  const steps: GradientTransformation<unknown>[] = [
    scaleByFactoredRms({
      factored,
      decayRate,
      stepOffset: decayOffset,
      minDimSizeToFactor,
      epsilon: eps,
    }),
  ];
  if (clippingThreshold !== null) steps.push(clipByBlockRms(clippingThreshold));
  if (learningRate !== undefined && learningRate !== null) {
    steps.push(scaleByLearningRate(learningRate, { flipSign: false }));
  }
  if (multiplyByParameterScale) steps.push(scaleByParamBlockRms());
  if (momentum !== null) {
    steps.push(ema(momentum, { debias: false }));
  }
  if (weightDecayRate !== null) {
    steps.push(
      addDecayedWeights(
        weightDecayRate,
        weightDecayMask === undefined ? {} : { mask: weightDecayMask },
      ),
    );
  }
  // Descent: follow the negative of the rescaled gradient.
  steps.push(scale(-1));
  return chain(...steps);
}
