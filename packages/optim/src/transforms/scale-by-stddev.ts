/** `scaleByStddev`: centered RMSProp's rescaling of the updates, as Optax's `scale_by_stddev`. */
import type { Tensor } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import {
  biasCorrection,
  incrementCount,
  mapTensors,
  updateMoment,
  zeroCount,
  zerosLike,
} from '../tree-math.js';
import { checkDecay, checkNonNegative, fullLike, rootMeanSquare } from './adaptive-helpers.js';
import type { ScaleByRmsOptions } from './scale-by-rms.js';

/**
 * The state of {@link scaleByStddev} without bias correction.
 *
 * @example
 * ```ts
 * const state = scaleByStddev().init({ w: numpy.zeros([1]) }) as ScaleByRStdDevState;
 * (state.mu as { w: Tensor }).w.tolist(); // [0]
 * ```
 */
export interface ScaleByRStdDevState {
  /** The moving average of the gradients. */
  mu: unknown;
  /** The moving average of the squared gradients. */
  nu: unknown;
}

/**
 * The state of {@link scaleByStddev} with `biasCorrection`: also the step count.
 *
 * @example
 * ```ts
 * const state = scaleByStddev({ biasCorrection: true }).init({ w: numpy.zeros([1]) });
 * (state as ScaleByRStdDevWithCountState).count.item(); // 0
 * ```
 */
export interface ScaleByRStdDevWithCountState extends ScaleByRStdDevState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
}

/**
 * Divides the updates by the standard deviation of the recent gradients (Optax's `scale_by_stddev`;
 * Graves, 2013): `mu = decay * mu + (1 - decay) * g`, `nu = decay * nu + (1 - decay) * g^2`,
 * `update = g / sqrt(nu - mu^2 + eps)` (or `g / (sqrt(nu - mu^2) + eps)` without `epsInSqrt`). This is
 * centered RMSProp. Options as {@link scaleByRms}.
 *
 * @example
 * ```ts
 * // One gradient 2 with decay 0.5: mu = 1, nu = 2, variance 2 - 1 = 1.
 * const t = scaleByStddev({ decay: 0.5, eps: 0 });
 * const [updates] = t.update({ w: numpy.array([2]) }, t.init({ w: numpy.zeros([1]) }));
 * updates.w.item(); // 2
 * ```
 */
export function scaleByStddev(
  options: ScaleByRmsOptions = {},
): GradientTransformation<ScaleByRStdDevState | ScaleByRStdDevWithCountState> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true } = options;
  const debias = options.biasCorrection ?? false;
  checkDecay('scaleByStddev', 'decay', decay, 'closed');
  checkNonNegative('scaleByStddev', 'eps', eps);
  checkNonNegative('scaleByStddev', 'initialScale', initialScale);
  return {
    init: (params) => {
      const moments = {
        mu: zerosLike('scaleByStddev', params),
        nu: fullLike('scaleByStddev', params, initialScale),
      };
      return debias ? { count: zeroCount(), ...moments } : moments;
    },
    update: (updates, state) => {
      const mu = updateMoment(updates, state.mu as typeof updates, decay, 1);
      const nu = updateMoment(updates, state.nu as typeof updates, decay, 2);
      const count = debias
        ? incrementCount((state as ScaleByRStdDevWithCountState).count)
        : undefined;
      const muHat = count ? biasCorrection(mu, decay, count) : mu;
      const nuHat = count ? biasCorrection(nu, decay, count) : nu;
      const out = mapTensors(
        (g, m, n) => g.div(rootMeanSquare(n.sub(m.square()), eps, epsInSqrt)),
        updates,
        muHat,
        nuHat,
      );
      return [out, count ? { count, mu, nu } : { mu, nu }];
    },
  };
}
