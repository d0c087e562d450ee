/** `globalNorm` and `clipByGlobalNorm`: the norm of a whole tree, and clipping by it, as Optax's. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { checkTensors, mapTensors, sumOfSquares } from '../tree-math.js';
import { checkBound } from './check-bound.js';

/**
 * The L2 norm of all the tensors of a tree taken together, `sqrt(sum of every squared entry)`
 * (Optax's `global_norm`, now `optax.tree.norm`); a float32 scalar. `null` leaves count for nothing.
 *
 * @example
 * ```ts
 * globalNorm({ a: numpy.array([3]), b: numpy.array([[4]]), c: null }).item(); // 5
 * ```
 */
export function globalNorm(updates: unknown): Tensor {
  checkTensors('globalNorm', 'updates', updates);
  return numpy.sqrt(sumOfSquares(updates));
}

/**
 * Rescales the updates so that their {@link globalNorm} is at most `maxNorm` (Optax's
 * `clip_by_global_norm`, after Pascanu et al., 2012): when the norm `g` is `maxNorm` or more every
 * update becomes `u / g * maxNorm`, otherwise they pass unchanged. The direction never changes.
 * TensorFlow.js has no such optimiser option; Keras calls it `global_clipnorm`.
 *
 * @example
 * ```ts
 * const t = clipByGlobalNorm(1);
 * const [updates] = t.update({ w: numpy.array([3, 4]) }, t.init({})); // norm 5
 * updates.w.tolist(); // [0.6000000238418579, 0.800000011920929]
 * ```
 */
export function clipByGlobalNorm(maxNorm: number | Tensor): GradientTransformation<EmptyState> {
  checkBound('clipByGlobalNorm', 'maxNorm', maxNorm, 0, false);
  return {
    init: () => ({}),
    update: (updates, state) => {
      const norm = globalNorm(updates);
      // Optax's form: select rather than divide by max(norm, maxNorm), so gradients through the
      // update (meta-gradients) match Optax's.
      const keep = norm.lt(maxNorm);
      const clipped = mapTensors((u) => numpy.where(keep, u, u.div(norm).mul(maxNorm)), updates);
      return [clipped, state];
    },
  };
}
