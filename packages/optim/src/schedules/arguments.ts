/**
 * What the built-in schedules share: their type (a {@link Schedule} that also takes a plain number),
 * the step count as an int32 tensor, and the checks of their arguments.
 */
import { Tensor, TensorError, numpy } from '@equinox-ts/autodiff';

/**
 * A {@link Schedule} as the built-in schedules make it: its value is always a float32 scalar tensor,
 * and besides an int32 scalar tensor (the optimiser's step count, possibly traced by `jit`) it takes
 * a plain integer, for printing or plotting a schedule: `schedule(100)`.
 *
 * @example
 * ```ts
 * const halve: TensorSchedule = exponentialDecay(1, 1, 0.5);
 * halve(3).item(); // 0.125
 * halve(numpy.array(3, { dtype: 'int32' })).item(); // 0.125
 * ```
 */
export type TensorSchedule = (count: Tensor | number) => Tensor;

/** `count` as a tensor: numbers (which must be integers) become int32 scalars. */
export function countTensor(op: string, count: Tensor | number): Tensor {
  if (count instanceof Tensor) return count;
  if (!Number.isInteger(count)) {
    throw new TensorError(
      op,
      `the step count must be an integer or an int32 tensor, found ${String(count)}`,
    );
  }
  return numpy.array(count, { dtype: 'int32' });
}

/** A schedule's value (a number or a tensor of any dtype) as a float32 tensor. */
export function asFloat32(value: Tensor | number): Tensor {
  return numpy.astype(value, 'float32');
}

/** Throws unless `value` is a finite number. */
export function checkFinite(op: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TensorError(
      op,
      `\`${argument}\` must be a finite number, found ${describeValue(value)}`,
    );
  }
}

/** Throws unless `value` is a finite number greater than zero. */
export function checkPositive(
  op: string,
  argument: string,
  value: unknown,
): asserts value is number {
  checkFinite(op, argument, value);
  if (!(value > 0)) {
    throw new TensorError(op, `\`${argument}\` must be greater than 0, found ${value}`);
  }
}

/** Throws unless `value` is a number of steps: an integer, at least `least` (0 or 1). */
export function checkSteps(
  op: string,
  argument: string,
  value: unknown,
  least: 0 | 1 = 0,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    const expected = least === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new TensorError(op, `\`${argument}\` must be ${expected}, found ${describeValue(value)}`);
  }
}

/** Throws unless `boundaries` (step numbers) strictly increase. */
export function checkIncreasing(op: string, argument: string, boundaries: number[]): void {
  boundaries.forEach((b, i) => {
    checkSteps(op, `${argument}[${i}]`, b);
    if (i > 0 && !(b > boundaries[i - 1]!)) {
      throw new TensorError(
        op,
        `\`${argument}\` must strictly increase, found ${boundaries[i - 1]} then ${b} (at ${i - 1} and ${i})`,
      );
    }
  });
}

/** Whether `value` is an array (a type guard that keeps the element type, unlike `Array.isArray`). */
export function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** `value` as error messages show it. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
