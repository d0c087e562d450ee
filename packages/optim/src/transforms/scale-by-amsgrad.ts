/** `scaleByAmsgrad`: AMSGrad's rescaling of the updates, as Optax's `scale_by_amsgrad`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import {
  biasCorrection,
  incrementCount,
  mapTensors,
  updateMoment,
  zeroCount,
  zerosLike,
} from '../tree-math.js';
import { adamDirection, checkDecay, checkNonNegative } from './adaptive-helpers.js';

/**
 * Options of {@link scaleByAmsgrad} (and of `amsgrad`).
 *
 * @example
 * ```ts
 * const options: ScaleByAmsgradOptions = { b2: 0.99, biasCorrectionNu: false };
 * ```
 */
export interface ScaleByAmsgradOptions {
  /** Decay of the moving average of the gradients, in [0, 1). Default `0.9`. */
  b1?: number;
  /** Decay of the moving average of the squared gradients, in [0, 1). Default `0.999`. */
  b2?: number;
  /** Added to the denominator, outside the square root. Default `1e-8`. */
  eps?: number;
  /** Added to the second moment inside the square root. Default `0`. */
  epsRoot?: number;
  /** Bias-correct the first moment. Default `true`; `false` is the original paper. */
  biasCorrectionMu?: boolean;
  /** Bias-correct the second moment before the running maximum. Default `true`; `false` is the paper. */
  biasCorrectionNu?: boolean;
}

/**
 * The state of {@link scaleByAmsgrad}.
 *
 * @example
 * ```ts
 * const state: ScaleByAmsgradState = scaleByAmsgrad().init({ w: numpy.zeros([1]) });
 * (state.nuMax as { w: Tensor }).w.tolist(); // [0]
 * ```
 */
export interface ScaleByAmsgradState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
  /** The moving average of the gradients. */
  mu: unknown;
  /** The moving average of the squared gradients. */
  nu: unknown;
  /** The largest (bias-corrected) second moment so far: the denominator never shrinks. */
  nuMax: unknown;
}

/**
 * Rescales the updates as AMSGrad does (Optax's `scale_by_amsgrad`; Reddi et al., 2018): Adam, but
 * dividing by the running maximum of the second moment, `nuMax = max(nuMax, nuHat)`, so the effective
 * step size never grows: `update = muHat / (sqrt(nuMax + epsRoot) + eps)`.
 *
 * @example
 * ```ts
 * // A large gradient, then a small one: the denominator remembers the large one.
 * const t = scaleByAmsgrad({ b1: 0, b2: 0.5 });
 * let state = t.init({ w: numpy.zeros([1]) });
 * let updates;
 * [updates, state] = t.update({ w: numpy.array([4]) }, state); // nuMax = 16
 * [updates, state] = t.update({ w: numpy.array([1]) }, state); // nuHat = (0.5 * 8 + 0.5 * 1) / 0.75 = 6 < 16
 * Math.round(updates.w.item() * 1e6) / 1e6; // 0.25
 * ```
 */
export function scaleByAmsgrad(
  options: ScaleByAmsgradOptions = {},
): GradientTransformation<ScaleByAmsgradState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 } = options;
  const { biasCorrectionMu = true, biasCorrectionNu = true } = options;
  checkDecay('scaleByAmsgrad', 'b1', b1);
  checkDecay('scaleByAmsgrad', 'b2', b2);
  checkNonNegative('scaleByAmsgrad', 'eps', eps);
  checkNonNegative('scaleByAmsgrad', 'epsRoot', epsRoot);
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLike('scaleByAmsgrad', params),
      nu: zerosLike('scaleByAmsgrad', params),
      nuMax: zerosLike('scaleByAmsgrad', params),
    }),
    update: (updates, state) => {
      const mu = updateMoment(updates, state.mu as typeof updates, b1, 1);
      const nu = updateMoment(updates, state.nu as typeof updates, b2, 2);
      const count = incrementCount(state.count);
      const muHat = biasCorrectionMu ? biasCorrection(mu, b1, count) : mu;
      const nuHat = biasCorrectionNu ? biasCorrection(nu, b2, count) : nu;
      const nuMax = mapTensors((a, b) => numpy.maximum(a, b), state.nuMax as typeof updates, nuHat);
      return [adamDirection(muHat, nuMax, eps, epsRoot), { count, mu, nu, nuMax }];
    },
  };
}
