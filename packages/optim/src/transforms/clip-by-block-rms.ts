/** `clipByBlockRms`: clips each tensor's root mean square, as Optax's `clip_by_block_rms`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { mapTensors } from '../tree-math.js';
import { checkBound } from './check-bound.js';

/**
 * Clips each update tensor (a "block": a weight matrix, a bias vector) to a root mean square of at most
 * `threshold` (Optax's `clip_by_block_rms`): `u / max(1, rms(u) / threshold)`, with `rms(u) =
 * sqrt(mean(u^2))`.
 *
 * @example
 * ```ts
 * const t = clipByBlockRms(1);
 * // rms([3, 4]) = sqrt(12.5) > 1, so it is divided by sqrt(12.5); [0.1, 0.1] stays.
 * const [updates] = t.update({ a: numpy.array([3, 4]), b: numpy.array([0.1, 0.1]) }, t.init({}));
 * Math.round(updates.a.tolist()[1]! * 1e4) / 1e4; // 1.1314
 * updates.b.tolist(); // [0.10000000149011612, 0.10000000149011612]
 * ```
 */
export function clipByBlockRms(threshold: number | Tensor): GradientTransformation<EmptyState> {
  checkBound('clipByBlockRms', 'threshold', threshold, 0, false);
  return {
    init: () => ({}),
    update: (updates, state) => {
      const clipped = mapTensors((u) => {
        const rms = numpy.sqrt(numpy.mean(u.square()));
        return u.div(numpy.maximum(1, rms.div(threshold)));
      }, updates);
      return [clipped, state];
    },
  };
}
