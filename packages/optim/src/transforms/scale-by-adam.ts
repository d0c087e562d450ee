/** `scaleByAdam`: Adam's rescaling of the updates, as Optax's `scale_by_adam`. */
import type { Tensor } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import {
  biasCorrection,
  incrementCount,
  updateMoment,
  zeroCount,
  zerosLike,
} from '../tree-math.js';
import { adamDirection, checkDecay, checkNonNegative, firstMomentHat } from './adaptive-helpers.js';

/**
 * Options of {@link scaleByAdam} (and of `adam`, `adamw`, `nadam`).
 *
 * @example
 * ```ts
 * const options: ScaleByAdamOptions = { b1: 0.9, b2: 0.99, eps: 1e-6 };
 * ```
 */
export interface ScaleByAdamOptions {
  /** Decay of the moving average of the gradients, in [0, 1). Default `0.9`. */
  b1?: number;
  /** Decay of the moving average of the squared gradients, in [0, 1). Default `0.999`. */
  b2?: number;
  /** Added to the denominator, outside the square root. Default `1e-8`. */
  eps?: number;
  /**
   * Added to the second moment inside the square root. Default `0`; make it positive to differentiate
   * through the optimiser (meta-learning), where `sqrt` at 0 has an infinite derivative.
   */
  epsRoot?: number;
  /** Nesterov momentum (NAdam, Dozat 2016). Default `false`. */
  nesterov?: boolean;
}

/**
 * The state of {@link scaleByAdam} (also kept by {@link scaleByAdamax} and {@link scaleByRadam}).
 *
 * @example
 * ```ts
 * const state: ScaleByAdamState = scaleByAdam().init({ w: numpy.zeros([2]) });
 * [state.count.item(), (state.mu as { w: Tensor }).w.tolist()]; // [0, [0, 0]]
 * ```
 */
export interface ScaleByAdamState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
  /** The (biased) moving average of the gradients, shaped like the params. */
  mu: unknown;
  /** The (biased) moving average of the squared gradients (for Adamax: their running maximum). */
  nu: unknown;
}

/**
 * Rescales the updates as Adam does (Optax's `scale_by_adam`; Kingma and Ba, 2014): with `t` the step
 * number from 1,
 * `mu = b1 * mu + (1 - b1) * g`, `nu = b2 * nu + (1 - b2) * g^2`,
 * `update = muHat / (sqrt(nuHat + epsRoot) + eps)` where `muHat = mu / (1 - b1^t)` and
 * `nuHat = nu / (1 - b2^t)`. With `nesterov`, `muHat` looks one step ahead (NAdam):
 * `b1 * mu / (1 - b1^(t+1)) + (1 - b1) * g / (1 - b1^t)`. Follow it with the learning rate, as
 * `adam` does.
 *
 * @example
 * ```ts
 * // The first step of Adam is g / |g| (up to eps): the bias corrections undo the averages' start at 0.
 * const t = scaleByAdam();
 * const [updates] = t.update({ w: numpy.array([0.5, -2]) }, t.init({ w: numpy.zeros([2]) }));
 * updates.w.tolist().map((u) => Math.round(u * 1e4) / 1e4); // [1, -1]
 * ```
 */
export function scaleByAdam(
  options: ScaleByAdamOptions = {},
): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false } = options;
  checkDecay('scaleByAdam', 'b1', b1);
  checkDecay('scaleByAdam', 'b2', b2);
  checkNonNegative('scaleByAdam', 'eps', eps);
  checkNonNegative('scaleByAdam', 'epsRoot', epsRoot);
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLike('scaleByAdam', params),
      nu: zerosLike('scaleByAdam', params),
    }),
    update: (updates, state) => {
      const mu = updateMoment(updates, state.mu as typeof updates, b1, 1);
      const nu = updateMoment(updates, state.nu as typeof updates, b2, 2);
      const count = incrementCount(state.count);
      const muHat = firstMomentHat(mu, updates, b1, count, nesterov);
      const nuHat = biasCorrection(nu, b2, count);
      return [adamDirection(muHat, nuHat, eps, epsRoot), { count, mu, nu }];
    },
  };
}
