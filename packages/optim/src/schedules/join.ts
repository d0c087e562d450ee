/** `joinSchedules`: schedules one after another, as Optax's `join_schedules`. */
import type { Tensor } from '@equinox-ts/autodiff';
import { TensorError, numpy } from '@equinox-ts/autodiff';
import {
  type TensorSchedule,
  asFloat32,
  checkIncreasing,
  countTensor,
  describeValue,
  isList,
} from './arguments.js';
import type { Schedule } from './schedule.js';

/**
 * Runs `schedules[0]` until step `boundaries[0]`, then `schedules[1]` until `boundaries[1]`, and so on
 * (Optax's `join_schedules`). Each schedule counts its own steps from 0: from step `boundaries[i]`
 * on, the value is `schedules[i + 1](count - boundaries[i])`, so a boundary step already takes the
 * next schedule's first value. Needs one boundary fewer than schedules, strictly increasing.
 *
 * @example
 * ```ts
 * const schedule = joinSchedules([constantSchedule(1), linearSchedule(0.5, 0, 10)], [3]);
 * schedule(2).item(); // 1
 * schedule(3).item(); // 0.5
 * schedule(8).item(); // 0.25
 * ```
 */
export function joinSchedules(
  schedules: readonly Schedule[],
  boundaries: readonly number[],
): TensorSchedule {
  return join('joinSchedules', schedules, boundaries);
}

/** {@link joinSchedules}, with errors naming `op`. */
export function join(
  op: string,
  schedules: readonly Schedule[],
  boundaries: readonly number[],
): TensorSchedule {
  if (!isList(schedules) || schedules.length === 0) {
    throw new TensorError(
      op,
      `\`schedules\` must be a non-empty array of schedules, found ${describeValue(schedules)}`,
    );
  }
  schedules.forEach((s, i) => {
    if (typeof s !== 'function') {
      throw new TensorError(
        op,
        `\`schedules[${i}]\` must be a schedule (a function of the step count), found ${describeValue(s)}`,
      );
    }
  });
  if (!isList(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new TensorError(
      op,
      `needs one boundary fewer than schedules: ${schedules.length} schedules and ` +
        `${isList(boundaries) ? boundaries.length : describeValue(boundaries)} boundaries`,
    );
  }
  checkIncreasing(op, 'boundaries', [...boundaries]);
  const ordered = [...schedules];
  const starts = [...boundaries];
  return (count) => {
    const step = countTensor(op, count);
    let value: Tensor = asFloat32(ordered[0]!(step));
    starts.forEach((start, i) => {
      const next = asFloat32(ordered[i + 1]!(step.sub(start)));
      value = numpy.where(step.lt(start), value, next);
    });
    return value;
  };
}
