/** `constantSchedule`: the same value at every step, as Optax's `constant_schedule`. */
import { numpy } from '@equinox-ts/autodiff';
import { type TensorSchedule, checkFinite, countTensor } from './arguments.js';

/**
 * A schedule whose value is `value` at every step (Optax's `constant_schedule`); useful as a piece
 * of {@link joinSchedules}.
 *
 * @example
 * ```ts
 * const schedule = constantSchedule(0.5);
 * schedule(0).item(); // 0.5
 * schedule(1000).item(); // 0.5
 * ```
 */
export function constantSchedule(value: number): TensorSchedule {
  checkFinite('constantSchedule', 'value', value);
  return (count) => {
    countTensor('constantSchedule', count);
    return numpy.array(value);
  };
}
