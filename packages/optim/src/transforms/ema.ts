/** `ema`: an exponential moving average of the updates, as Optax's `ema`. */
import type { Tensor } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import {
  biasCorrection,
  incrementCount,
  updateMoment,
  zeroCount,
  zerosLike,
} from '../tree-math.js';

/**
 * Options of {@link ema}.
 *
 * @example
 * ```ts
 * const options: EmaOptions = { debias: false };
 * ```
 */
export interface EmaOptions {
  /** Divide by `1 - decay^count`, so early averages are not pulled towards zero. Default `true`. */
  debias?: boolean;
}

/**
 * The state of {@link ema}.
 *
 * @example
 * ```ts
 * const state: EmaState = ema(0.9).init({ w: numpy.zeros([1]) });
 * state.count.item(); // 0
 * ```
 */
export interface EmaState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
  /** The (biased) moving average, shaped like the params. */
  ema: unknown;
}

/**
 * Replaces the updates by their exponential moving average `ema = decay * ema + (1 - decay) * g`
 * (Optax's `ema`), bias-corrected by default.
 *
 * @example
 * ```ts
 * const t = ema(0.5);
 * const [updates] = t.update({ w: numpy.array([4]) }, t.init({ w: numpy.zeros([1]) }));
 * updates.w.tolist(); // [4]
 * ```
 */
export function ema(decay: number, options: EmaOptions = {}): GradientTransformation<EmaState> {
  if (typeof decay !== 'number' || !(decay >= 0 && decay <= 1)) {
    throw new TypeError(`ema: \`decay\` must be a number in [0, 1], found ${String(decay)}`);
  }
  const debias = options.debias ?? true;
  return {
    init: (params) => ({ count: zeroCount(), ema: zerosLike('ema', params) }),
    update: (updates, state) => {
      const average = updateMoment(updates, state.ema as typeof updates, decay, 1);
      const count = incrementCount(state.count);
      const out = debias ? biasCorrection(average, decay, count) : average;
      return [out, { count, ema: average }];
    },
  };
}
