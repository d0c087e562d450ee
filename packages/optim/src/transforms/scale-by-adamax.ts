/** `scaleByAdamax`: Adamax's rescaling of the updates, as Optax's `scale_by_adamax`. */
import { numpy } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import {
  biasCorrection,
  incrementCount,
  mapTensors,
  updateMoment,
  zeroCount,
  zerosLike,
} from '../tree-math.js';
import { checkDecay, checkNonNegative } from './adaptive-helpers.js';
import type { ScaleByAdamState } from './scale-by-adam.js';

/**
 * Options of {@link scaleByAdamax} (and of `adamax`).
 *
 * @example
 * ```ts
 * const options: ScaleByAdamaxOptions = { b1: 0.9, b2: 0.999, eps: 1e-8 };
 * ```
 */
export interface ScaleByAdamaxOptions {
  /** Decay of the moving average of the gradients, in [0, 1). Default `0.9`. */
  b1?: number;
  /** Decay of the running maximum of the gradients' magnitudes, in [0, 1). Default `0.999`. */
  b2?: number;
  /** Added to `|g|` before the maximum, so the denominator is never 0. Default `1e-8`. */
  eps?: number;
}

/**
 * Rescales the updates as Adamax does (Optax's `scale_by_adamax`; Kingma and Ba, 2014, section 7.1):
 * Adam with the infinity norm in place of the second moment, `nu = max(b2 * nu, |g| + eps)`, and
 * `update = muHat / nu`, with `muHat = mu / (1 - b1^t)` (the maximum needs no bias correction). The
 * state is a {@link ScaleByAdamState}, `nu` holding the running maximum.
 *
 * @example
 * ```ts
 * const t = scaleByAdamax({ b1: 0, b2: 0.5, eps: 0 });
 * let state = t.init({ w: numpy.zeros([1]) });
 * let updates;
 * [updates, state] = t.update({ w: numpy.array([4]) }, state); // nu = 4
 * [updates, state] = t.update({ w: numpy.array([1]) }, state); // nu = max(0.5 * 4, 1) = 2
 * updates.w.item(); // 0.5
 * ```
 */
export function scaleByAdamax(
  options: ScaleByAdamaxOptions = {},
): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = options;
  checkDecay('scaleByAdamax', 'b1', b1);
  checkDecay('scaleByAdamax', 'b2', b2);
  checkNonNegative('scaleByAdamax', 'eps', eps);
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLike('scaleByAdamax', params),
      nu: zerosLike('scaleByAdamax', params),
    }),
    update: (updates, state) => {
      const count = incrementCount(state.count);
      const mu = updateMoment(updates, state.mu as typeof updates, b1, 1);
      const nu = mapTensors(
        (g, n) => numpy.maximum(n.mul(b2), g.abs().add(eps)),
        updates,
        state.nu,
      );
      const muHat = biasCorrection(mu, b1, count);
      return [mapTensors((m, n) => m.div(n), muHat, nu), { count, mu, nu }];
    },
  };
}
