/** `scaleByRadam`: Rectified Adam's rescaling of the updates, as Optax's `scale_by_radam`. */
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
import {
  adamDirection,
  checkDecay,
  checkNonNegative,
  checkNumber,
  firstMomentHat,
} from './adaptive-helpers.js';
import type { ScaleByAdamOptions, ScaleByAdamState } from './scale-by-adam.js';

/**
 * Options of {@link scaleByRadam} (and of `radam`): Adam's, and the rectification threshold.
 *
 * @example
 * ```ts
 * const options: ScaleByRadamOptions = { threshold: 5, nesterov: false };
 * ```
 */
export interface ScaleByRadamOptions extends ScaleByAdamOptions {
  /**
   * The length `rho` of the approximated simple moving average from which the variance is trusted;
   * below it the update is the bias-corrected momentum alone. Default `5`.
   */
  threshold?: number;
}

/**
 * Rescales the updates as Rectified Adam does (Optax's `scale_by_radam`; Liu et al., 2020). With
 * `rhoInf = 2 / (1 - b2) - 1` and at step `t` (from 1) `rho = rhoInf - 2 t b2^t / (1 - b2^t)`: when
 * `rho >= threshold` the update is Adam's times the rectification
 * `r = sqrt((rho - 4)(rho - 2) rhoInf / ((rhoInf - 4)(rhoInf - 2) rho))`; before that (early steps,
 * when the second moment is still too noisy) it is `muHat`, plain momentum. The state is a
 * {@link ScaleByAdamState}.
 *
 * @example
 * ```ts
 * // With the default b2 = 0.999, rho < 5 for the first steps: the update is the momentum itself.
 * const t = scaleByRadam();
 * const [updates] = t.update({ w: numpy.array([0.5]) }, t.init({ w: numpy.zeros([1]) }));
 * Math.round(updates.w.item() * 1e6) / 1e6; // 0.5
 * ```
 */
export function scaleByRadam(
  options: ScaleByRadamOptions = {},
): GradientTransformation<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, threshold = 5 } = options;
  const nesterov = options.nesterov ?? false;
  checkDecay('scaleByRadam', 'b1', b1);
  checkDecay('scaleByRadam', 'b2', b2);
  checkNonNegative('scaleByRadam', 'eps', eps);
  checkNonNegative('scaleByRadam', 'epsRoot', epsRoot);
  checkNumber('scaleByRadam', 'threshold', threshold);
  const rhoInf = 2 / (1 - b2) - 1;
  const rectification = (rho: Tensor) =>
    rho
      .sub(4)
      .mul(rho.sub(2))
      .mul(rhoInf)
      .div(rho.mul((rhoInf - 4) * (rhoInf - 2)))
      .sqrt();
  return {
    init: (params) => ({
      count: zeroCount(),
      mu: zerosLike('scaleByRadam', params),
      nu: zerosLike('scaleByRadam', params),
    }),
    update: (updates, state) => {
      const mu = updateMoment(updates, state.mu as typeof updates, b1, 1);
      const nu = updateMoment(updates, state.nu as typeof updates, b2, 2);
      const count = incrementCount(state.count);
      const t = count.astype('float32');
      const b2t = numpy.power(b2, t);
      const rho = t.mul(b2t).mul(2).div(b2t.neg().add(1)).neg().add(rhoInf);
      const muHat = firstMomentHat(mu, updates, b1, count, nesterov);
      const nuHat = biasCorrection(nu, b2, count);
      const trusted = rho.ge(threshold);
      // Below the threshold r is NaN or meaningless; `where` takes the momentum there instead.
      const r = rectification(rho);
      const out = mapTensors(
        (adam, m) => numpy.where(trusted, adam.mul(r), m),
        adamDirection(muHat, nuHat, eps, epsRoot),
        muHat,
      );
      return [out, { count, mu, nu }];
    },
  };
}
