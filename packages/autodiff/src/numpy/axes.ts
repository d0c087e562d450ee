/** Axis arguments: normalising negative axes and checking ranges, with messages naming the function. */
import { TensorError, valueText } from '../core/errors.js';

/** `axis` as a non-negative index into `rank` dimensions (negative counts from the end). */
export function normalizeAxis(op: string, axis: number, rank: number, argument = 'axis'): number {
  if (!Number.isInteger(axis)) {
    throw new TensorError(op, `${argument} must be an integer, found ${valueText(axis)}`);
  }
  if (axis < -rank || axis >= rank) {
    throw new TensorError(
      op,
      `${argument} ${axis} is out of range for a tensor of rank ${rank} (expected ${-rank} to ${rank - 1})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** `axis` (one, several, or all when absent/null) as sorted distinct non-negative indices. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | null | undefined,
  rank: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, d) => d);
  const list = integerList(op, axis, 'axis');
  const axes = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(axes).size !== axes.length)
    throw new TensorError(op, `repeated axis in [${list.join(', ')}]`);
  return axes.sort((a, b) => a - b);
}

/**
 * `value` (one integer or a list of them, as shape and axis arguments take) as a list, after checking
 * its type, so that a tensor, string or object given by mistake is named rather than failing inside.
 */
export function integerList(op: string, value: unknown, argument: string): readonly number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || !list.every((n) => typeof n === 'number')) {
    throw new TensorError(
      op,
      `${argument} must be an integer or a list of integers, found ${valueText(value)}`,
    );
  }
  return list;
}
