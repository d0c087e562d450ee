/**
 * `polynomialSchedule`, `linearSchedule` and `warmupConstantSchedule`: a value that moves from
 * `initValue` to `endValue` over a number of steps, as Optax's schedules of the same names.
 */
import { numpy } from '@equinox-ts/autodiff';
import { type TensorSchedule, checkFinite, checkSteps, countTensor } from './arguments.js';

/**
 * Options of {@link polynomialSchedule} and {@link linearSchedule}.
 *
 * @example
 * ```ts
 * const options: PolynomialScheduleOptions = { transitionBegin: 10 };
 * linearSchedule(1, 0, 4, options)(12).item(); // 0.5
 * ```
 */
export interface PolynomialScheduleOptions {
  /** Steps before the transition starts; the value is `initValue` until then. Default 0. */
  transitionBegin?: number;
}

/**
 * A polynomial transition from `initValue` to `endValue` (Optax's `polynomial_schedule`): with
 * `t = clip(count - transitionBegin, 0, transitionSteps)`, the value is
 * `(initValue - endValue) * (1 - t / transitionSteps) ** power + endValue`. So it is `initValue`
 * up to step `transitionBegin` and `endValue` from step `transitionBegin + transitionSteps` on.
 * `transitionSteps = 0` gives the constant `initValue`, as in Optax. TensorFlow.js users:
 * `tf.keras`'s `PolynomialDecay` (without `cycle`).
 *
 * @example
 * ```ts
 * const schedule = polynomialSchedule(1, 0, 2, 4); // (1 - t/4)^2
 * schedule(0).item(); // 1
 * schedule(2).item(); // 0.25
 * schedule(4).item(); // 0
 * schedule(9).item(); // 0
 * ```
 */
export function polynomialSchedule(
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  options: PolynomialScheduleOptions = {},
): TensorSchedule {
  const op = 'polynomialSchedule';
  return polynomial(op, initValue, endValue, power, transitionSteps, options);
}

/**
 * A linear transition from `initValue` to `endValue` over `transitionSteps` steps, starting at step
 * `transitionBegin` (Optax's `linear_schedule`; {@link polynomialSchedule} with power 1): the value
 * at step `transitionBegin + t` is `initValue + (t / transitionSteps) * (endValue - initValue)`, and
 * `endValue` from the end of the transition on.
 *
 * @example
 * ```ts
 * const schedule = linearSchedule(1, 0, 4);
 * schedule(0).item(); // 1
 * schedule(1).item(); // 0.75
 * schedule(4).item(); // 0
 * schedule(100).item(); // 0
 * ```
 */
export function linearSchedule(
  initValue: number,
  endValue: number,
  transitionSteps: number,
  options: PolynomialScheduleOptions = {},
): TensorSchedule {
  return polynomial('linearSchedule', initValue, endValue, 1, transitionSteps, options);
}

/**
 * A linear warmup from `initValue` to `peakValue` over `warmupSteps` steps, then `peakValue` for
 * good (Optax's `warmup_constant_schedule`).
 *
 * @example
 * ```ts
 * const schedule = warmupConstantSchedule(0, 1, 4);
 * schedule(2).item(); // 0.5
 * schedule(50).item(); // 1
 * ```
 */
export function warmupConstantSchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
): TensorSchedule {
  return polynomial('warmupConstantSchedule', initValue, peakValue, 1, warmupSteps, {}, [
    'initValue',
    'peakValue',
    'warmupSteps',
  ]);
}

function polynomial(
  op: string,
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  options: PolynomialScheduleOptions,
  names = ['initValue', 'endValue', 'transitionSteps'],
): TensorSchedule {
  checkFinite(op, names[0]!, initValue);
  checkFinite(op, names[1]!, endValue);
  checkFinite(op, 'power', power);
  checkSteps(op, names[2]!, transitionSteps);
  const { transitionBegin = 0 } = options;
  checkSteps(op, 'transitionBegin', transitionBegin);
  return (count) => {
    const step = countTensor(op, count);
    // Optax's convention: no transition at all is the constant initValue.
    if (transitionSteps === 0) return numpy.array(initValue);
    const t = numpy.clip(step.sub(transitionBegin), 0, transitionSteps).astype('float32');
    const remaining = t.div(transitionSteps).neg().add(1);
    // power 1 skips `pow`, which some backends compute only approximately (exp2(y * log2(x))).
    const shaped = power === 1 ? remaining : remaining.pow(power);
    return shaped.mul(initValue - endValue).add(endValue);
  };
}
