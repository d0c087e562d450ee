/** `exponentialDecay`: continuous or stepwise exponential decay, as Optax's `exponential_decay`. */
import { numpy } from '@equinox-ts/autodiff';
import {
  type TensorSchedule,
  checkFinite,
  checkPositive,
  checkSteps,
  countTensor,
} from './arguments.js';

/**
 * Options of {@link exponentialDecay}.
 *
 * @example
 * ```ts
 * const options: ExponentialDecayOptions = { staircase: true, endValue: 0.25 };
 * exponentialDecay(1, 2, 0.5, options)(3).item(); // 0.5
 * ```
 */
export interface ExponentialDecayOptions {
  /** Steps before the decay starts; the value is `initValue` until then. Default 0. */
  transitionBegin?: number;
  /** Decay in whole steps of `transitionSteps` (`floor` of the exponent). Default `false`. */
  staircase?: boolean;
  /** Where the decay stops: a floor when `decayRate < 1`, a ceiling when it is above 1. None by default. */
  endValue?: number;
}

/**
 * Exponential decay (Optax's `exponential_decay`): with `d = count - transitionBegin`, the value is
 * `initValue` while `d <= 0`, then `initValue * decayRate ** (d / transitionSteps)` (the exponent
 * rounded down with `staircase`), clipped at `endValue` when given. `transitionSteps` and `decayRate`
 * must be positive. TensorFlow.js users: `tf.keras`'s `ExponentialDecay`.
 *
 * @example
 * ```ts
 * const smooth = exponentialDecay(1, 2, 0.25);
 * smooth(1).item(); // 0.5
 * smooth(4).item(); // 0.0625
 * const stairs = exponentialDecay(1, 2, 0.25, { staircase: true });
 * stairs(1).item(); // 1
 * stairs(2).item(); // 0.25
 * ```
 */
export function exponentialDecay(
  initValue: number,
  transitionSteps: number,
  decayRate: number,
  options: ExponentialDecayOptions = {},
): TensorSchedule {
  const op = 'exponentialDecay';
  const { transitionBegin = 0, staircase = false, endValue } = options;
  checkFinite(op, 'initValue', initValue);
  checkSteps(op, 'transitionSteps', transitionSteps, 1);
  checkPositive(op, 'decayRate', decayRate);
  checkSteps(op, 'transitionBegin', transitionBegin);
  if (endValue !== undefined) checkFinite(op, 'endValue', endValue);
  return (count) => {
    const elapsed = countTensor(op, count).sub(transitionBegin);
    const exponent = elapsed.astype('float32').div(transitionSteps);
    const decay = numpy.power(decayRate, staircase ? numpy.floor(exponent) : exponent);
    const value = numpy.where(elapsed.le(0), initValue, decay.mul(initValue));
    if (endValue === undefined) return value;
    return decayRate < 1 ? numpy.maximum(value, endValue) : numpy.minimum(value, endValue);
  };
}
