/** `applyIfFinite`: skips steps whose gradients hold NaN or infinity, as Optax's `apply_if_finite`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import { incrementCount, mapTensors, zeroCount } from '../tree-math.js';
import { allFinite, selectTree } from './tree-select.js';

/**
 * The state of {@link applyIfFinite} (Optax's `ApplyIfFiniteState`).
 *
 * @example
 * ```ts
 * const state: ApplyIfFiniteState = applyIfFinite(sgd(0.1), 3).init({ w: numpy.zeros([1]) });
 * state.lastFinite.tolist(); // true
 * ```
 */
export interface ApplyIfFiniteState {
  /** Consecutive steps with a NaN or an infinity so far (int32 scalar); 0 after a finite step. */
  notfiniteCount: Tensor;
  /** Whether the last step's updates were all finite (bool scalar). */
  lastFinite: Tensor;
  /** Steps with a NaN or an infinity since `init` (int32 scalar); never reset. */
  totalNotfinite: Tensor;
  /** The state of the wrapped transformation, unchanged by skipped steps. */
  innerState: unknown;
}

/**
 * Makes `inner` robust to a few bad gradients (Optax's `apply_if_finite`): a step whose updates hold a
 * NaN or an infinity returns zero updates and leaves `inner`'s state as it was. After more than
 * `maxConsecutiveErrors` such steps in a row it gives up and applies them (so a run that has truly
 * diverged shows it). Works inside `jit`: both outcomes are computed and `numpy.where` picks one.
 *
 * @example
 * ```ts
 * const t = applyIfFinite(sgd(0.1), 2);
 * const params = { w: numpy.array([1]) };
 * const [updates, state] = t.update({ w: numpy.array([NaN]) }, t.init(params), params);
 * updates.w.tolist(); // [0]
 * state.notfiniteCount.item(); // 1
 * ```
 */
export function applyIfFinite<S>(
  inner: GradientTransformation<S>,
  maxConsecutiveErrors: number,
): GradientTransformation<ApplyIfFiniteState> {
  if (typeof inner?.init !== 'function' || typeof inner?.update !== 'function') {
    throw new TensorError(
      'applyIfFinite',
      `\`inner\` is not a GradientTransformation (init and update functions), found ${typeof inner}`,
    );
  }
  if (!Number.isInteger(maxConsecutiveErrors) || maxConsecutiveErrors < 0) {
    throw new TensorError(
      'applyIfFinite',
      `\`maxConsecutiveErrors\` must be an integer >= 0, found ${String(maxConsecutiveErrors)}`,
    );
  }
  return {
    init: (params) => ({
      notfiniteCount: zeroCount(),
      lastFinite: numpy.array(true),
      totalNotfinite: zeroCount(),
      innerState: inner.init(params),
    }),
    update: (updates, state, params) => {
      const finite = allFinite(updates);
      const notfiniteCount = numpy
        .where(finite, 0, incrementCount(state.notfiniteCount))
        .astype('int32');
      const apply = numpy.logicalOr(finite, notfiniteCount.gt(maxConsecutiveErrors));
      const [innerUpdates, innerState] = inner.update(updates, state.innerState as S, params);
      const next: ApplyIfFiniteState = {
        notfiniteCount,
        lastFinite: finite,
        totalNotfinite: numpy
          .where(finite, state.totalNotfinite, incrementCount(state.totalNotfinite))
          .astype('int32'),
        innerState: selectTree(apply, innerState, state.innerState),
      };
      return [mapTensors((u) => numpy.where(apply, u, 0), innerUpdates), next];
    },
  };
}
