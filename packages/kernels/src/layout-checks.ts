/**
 * Argument checks and result shapes of the layout kernels (broadcastTo, slice, concat, pad), shared by
 * every backend so that each accepts the same arguments and reports the same errors.
 */
import type { DType } from './dtype.js';
import { KernelError, shapeText, valueText } from './errors.js';
import { checkShape, normalizeAxis } from './shape.js';

/** Throws unless `value` is `rank` integers `>= min`; returns it as a list. */
export function checkList(
  kernel: string,
  argument: string,
  value: unknown,
  rank: number,
  min: number,
): number[] {
  if (
    !Array.isArray(value) ||
    value.length !== rank ||
    !value.every((v) => Number.isInteger(v) && v >= min)
  ) {
    throw new KernelError(
      kernel,
      `\`${argument}\` must be ${rank} integers >= ${min} (one per dimension), found ${valueText(value)}`,
    );
  }
  return value as number[];
}

/** Throws unless an array of shape `from` broadcasts to `shape` (trailing dimensions aligned). */
export function checkBroadcastTo(from: readonly number[], shape: readonly number[]): void {
  checkShape('broadcastTo', 'shape', shape);
  const ok =
    shape.length >= from.length &&
    from.every((n, i) => n === 1 || n === shape[shape.length - from.length + i]);
  if (!ok) {
    throw new KernelError(
      'broadcastTo',
      `cannot broadcast ${shapeText(from)} to ${shapeText(shape)}: each dimension must equal ` +
        `the target's or be 1`,
    );
  }
}

/** The result shape of slicing an array of shape `from`, and the step along each dimension. */
export function sliceShape(
  from: readonly number[],
  start: readonly number[],
  limit: readonly number[],
  strides?: readonly number[],
): { shape: number[]; steps: number[] } {
  const rank = from.length;
  checkList('slice', 'start', start, rank, 0);
  checkList('slice', 'limit', limit, rank, 0);
  const steps = checkList('slice', 'strides', strides ?? new Array<number>(rank).fill(1), rank, 1);
  const shape = new Array<number>(rank);
  for (let d = 0; d < rank; d++) {
    if (start[d]! > limit[d]! || limit[d]! > from[d]!) {
      throw new KernelError(
        'slice',
        `dimension ${d} needs 0 <= start <= limit <= ${from[d]}, found start ${start[d]} and ` +
          `limit ${limit[d]} for shape ${shapeText(from)}`,
      );
    }
    shape[d] = Math.ceil((limit[d]! - start[d]!) / steps[d]!);
  }
  return { shape, steps };
}

/**
 * Checks that `xs` can be concatenated along `axis` (same dtype, same shape but along the axis) and
 * returns the normalized axis and the result shape. `xs` must not be empty.
 */
export function concatShape(
  xs: readonly { dtype: DType; shape: readonly number[] }[],
  axis: number,
): { axis: number; shape: number[] } {
  const first = xs[0]!;
  const rank = first.shape.length;
  if (rank === 0) throw new KernelError('concat', 'cannot concatenate scalars (rank 0)');
  const d = normalizeAxis('concat', 'axis', axis, rank);
  xs.forEach((x, i) => {
    const same =
      x.dtype === first.dtype &&
      x.shape.length === rank &&
      x.shape.every((n, k) => k === d || n === first.shape[k]);
    if (!same) {
      throw new KernelError(
        'concat',
        `\`xs[${i}]\` (${x.dtype} ${shapeText(x.shape)}) must match \`xs[0]\` ` +
          `(${first.dtype} ${shapeText(first.shape)}) in dtype and in every dimension but axis ${d}`,
      );
    }
  });
  const shape = [...first.shape];
  shape[d] = xs.reduce((sum, x) => sum + x.shape[d]!, 0);
  return { axis: d, shape };
}

/** The result shape of padding an array of shape `from`, and the interior gap along each dimension. */
export function padShape(
  from: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  value: number,
  interior?: readonly number[],
): { shape: number[]; gaps: number[] } {
  const rank = from.length;
  checkList('pad', 'lo', lo, rank, 0);
  checkList('pad', 'hi', hi, rank, 0);
  const gaps = checkList('pad', 'interior', interior ?? new Array<number>(rank).fill(0), rank, 0);
  if (typeof value !== 'number') {
    throw new KernelError('pad', `\`value\` must be a number, found ${valueText(value)}`);
  }
  const shape = from.map((n, d) => lo[d]! + hi[d]! + (n === 0 ? 0 : n + (n - 1) * gaps[d]!));
  return { shape, gaps };
}
