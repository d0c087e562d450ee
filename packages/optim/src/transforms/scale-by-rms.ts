/** `scaleByRms`: RMSProp's rescaling of the updates, as Optax's `scale_by_rms`. */
import type { Tensor } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import {
  biasCorrection,
  incrementCount,
  mapTensors,
  updateMoment,
  zeroCount,
} from '../tree-math.js';
import { checkDecay, checkNonNegative, fullLike, rootMeanSquare } from './adaptive-helpers.js';

/**
 * Options of {@link scaleByRms} and {@link scaleByStddev} (and of `rmsprop`).
 *
 * @example
 * ```ts
 * const options: ScaleByRmsOptions = { decay: 0.99, initialScale: 1 };
 * ```
 */
export interface ScaleByRmsOptions {
  /** Decay of the moving average of the squared gradients, in [0, 1]. Default `0.9`. */
  decay?: number;
  /** Added to the denominator. Default `1e-8`. */
  eps?: number;
  /** The second moment's starting value: PyTorch uses `0`, TensorFlow 1 used `1`. Default `0`. */
  initialScale?: number;
  /** Add `eps` inside the square root (`g / sqrt(nu + eps)`) rather than outside. Default `true`. */
  epsInSqrt?: boolean;
  /** Divide the moments by `1 - decay^t`, as Adam does (the state then counts steps). Default `false`. */
  biasCorrection?: boolean;
}

/**
 * The state of {@link scaleByRms} without bias correction.
 *
 * @example
 * ```ts
 * const state = scaleByRms({ initialScale: 1 }).init({ w: numpy.zeros([2]) }) as ScaleByRmsState;
 * (state.nu as { w: Tensor }).w.tolist(); // [1, 1]
 * ```
 */
export interface ScaleByRmsState {
  /** The moving average of the squared gradients. */
  nu: unknown;
}

/**
 * The state of {@link scaleByRms} with `biasCorrection`: also the step count.
 *
 * @example
 * ```ts
 * const state = scaleByRms({ biasCorrection: true }).init({ w: numpy.zeros([1]) });
 * (state as ScaleByRmsWithCountState).count.item(); // 0
 * ```
 */
export interface ScaleByRmsWithCountState extends ScaleByRmsState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
}

/**
 * Divides the updates by the root mean square of the recent gradients (Optax's `scale_by_rms`;
 * Tieleman and Hinton, 2012): `nu = decay * nu + (1 - decay) * g^2`, `update = g / sqrt(nu + eps)`
 * (or `g / (sqrt(nu) + eps)` without `epsInSqrt`). With `biasCorrection`, `nu / (1 - decay^t)` in
 * place of `nu`.
 *
 * @example
 * ```ts
 * // nu = 0.75 * 0 + 0.25 * 2^2 = 1, so the gradient 2 passes unchanged.
 * const t = scaleByRms({ decay: 0.75, eps: 0 });
 * const [updates] = t.update({ w: numpy.array([2]) }, t.init({ w: numpy.zeros([1]) }));
 * updates.w.item(); // 2
 * ```
 */
export function scaleByRms(
  options: ScaleByRmsOptions = {},
): GradientTransformation<ScaleByRmsState | ScaleByRmsWithCountState> {
  const { decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true } = options;
  const debias = options.biasCorrection ?? false;
  checkDecay('scaleByRms', 'decay', decay, 'closed');
  checkNonNegative('scaleByRms', 'eps', eps);
  checkNonNegative('scaleByRms', 'initialScale', initialScale);
  return {
    init: (params) => {
      const nu = fullLike('scaleByRms', params, initialScale);
      return debias ? { count: zeroCount(), nu } : { nu };
    },
    update: (updates, state) => {
      const nu = updateMoment(updates, state.nu as typeof updates, decay, 2);
      const count = debias ? incrementCount((state as ScaleByRmsWithCountState).count) : undefined;
      const nuHat = count ? biasCorrection(nu, decay, count) : nu;
      const out = mapTensors((g, n) => g.div(rootMeanSquare(n, eps, epsInSqrt)), updates, nuHat);
      return [out, count ? { count, nu } : { nu }];
    },
  };
}
