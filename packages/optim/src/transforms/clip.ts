/** `clip`: element-wise clipping of the updates, as Optax's `clip`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { mapTensors } from '../tree-math.js';
import { checkBound } from './check-bound.js';

/**
 * Clips every update entry to `[-maxDelta, maxDelta]` (Optax's `clip`). TensorFlow.js users: what
 * `tf.clipByValue` on each gradient does, or Keras's `clipvalue`.
 *
 * @example
 * ```ts
 * const [updates] = clip(1).update({ w: numpy.array([-3, 0.5, 2]) }, {});
 * updates.w.tolist(); // [-1, 0.5, 1]
 * ```
 */
export function clip(maxDelta: number | Tensor): GradientTransformation<EmptyState> {
  checkBound('clip', 'maxDelta', maxDelta, 0, true);
  const low = typeof maxDelta === 'number' ? -maxDelta : maxDelta.neg();
  return {
    init: () => ({}),
    update: (updates, state) => [mapTensors((u) => numpy.clip(u, low, maxDelta), updates), state],
  };
}
