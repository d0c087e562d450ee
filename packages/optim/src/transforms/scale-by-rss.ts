/** `scaleByRss`: Adagrad's rescaling of the updates, as Optax's `scale_by_rss`. */
import { numpy } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import { mapTensors } from '../tree-math.js';
import { checkNonNegative, fullLike } from './adaptive-helpers.js';

/**
 * Options of {@link scaleByRss} (and of `adagrad`).
 *
 * @example
 * ```ts
 * const options: ScaleByRssOptions = { initialAccumulatorValue: 0, eps: 1e-10 };
 * ```
 */
export interface ScaleByRssOptions {
  /** The sum of squares' starting value, >= 0. Default `0.1`. */
  initialAccumulatorValue?: number;
  /** Added to the sum of squares inside the square root. Default `1e-7`. */
  eps?: number;
}

/**
 * The state of {@link scaleByRss}.
 *
 * @example
 * ```ts
 * const state: ScaleByRssState = scaleByRss().init({ w: numpy.zeros([1]) });
 * (state.sumOfSquares as { w: Tensor }).w.tolist(); // [0.10000000149011612]
 * ```
 */
export interface ScaleByRssState {
  /** The sum of the squared gradients so far, plus the initial value. */
  sumOfSquares: unknown;
}

/**
 * Divides the updates by the root of the sum of all squared gradients so far (Optax's `scale_by_rss`;
 * Duchi et al., 2011): `sumOfSquares += g^2`, `update = g / sqrt(sumOfSquares + eps)`, and `0` where
 * the sum is still 0 (no gradient yet, zero initial value).
 *
 * @example
 * ```ts
 * const t = scaleByRss({ initialAccumulatorValue: 0, eps: 0 });
 * let state = t.init({ w: numpy.zeros([1]) });
 * let updates;
 * [updates, state] = t.update({ w: numpy.array([3]) }, state); // 3 / sqrt(9)
 * [updates, state] = t.update({ w: numpy.array([4]) }, state); // 4 / sqrt(9 + 16)
 * updates.w.tolist(); // [0.800000011920929]
 * ```
 */
export function scaleByRss(
  options: ScaleByRssOptions = {},
): GradientTransformation<ScaleByRssState> {
  const { initialAccumulatorValue = 0.1, eps = 1e-7 } = options;
  checkNonNegative('scaleByRss', 'initialAccumulatorValue', initialAccumulatorValue);
  checkNonNegative('scaleByRss', 'eps', eps);
  return {
    init: (params) => ({ sumOfSquares: fullLike('scaleByRss', params, initialAccumulatorValue) }),
    update: (updates, state) => {
      const sumOfSquares = mapTensors((g, s) => g.square().add(s), updates, state.sumOfSquares);
      const out = mapTensors(
        (g, s) => numpy.where(s.gt(0), g.div(s.add(eps).sqrt()), 0),
        updates,
        sumOfSquares,
      );
      return [out, { sumOfSquares }];
    },
  };
}
