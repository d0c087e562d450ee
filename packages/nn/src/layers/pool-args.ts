/** Argument parsing of the pooling layers: sizes and paddings as one entry per spatial dimension. */
import { TensorError } from '@equinox-ts/autodiff';

/**
 * Padding of a pooling layer, as Equinox takes it: one integer for every side of every spatial
 * dimension, one integer per spatial dimension (both sides), or one `[low, high]` pair per spatial
 * dimension. Padding is never negative.
 *
 * @example
 * ```ts
 * const padding: PoolPadding = [[1, 0], [0, 1]];
 * new MaxPool2d(2, { padding }).call(numpy.ones([1, 3, 3])).shape; // [1, 3, 3]
 * ```
 */
export type PoolPadding = number | readonly number[] | readonly (readonly [number, number])[];

const isInt = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min;

const isPair = (value: unknown): value is readonly [number, number] =>
  Array.isArray(value) && value.length === 2 && value.every((v) => isInt(v, 0));

/** A value for messages: JSON where it has one, else its string form. */
export function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `value` (one positive integer, or `n` of them) as `n` positive integers, or a clear error. */
export function positivePerDim(
  layer: string,
  argument: string,
  value: unknown,
  n: number,
): number[] {
  if (isInt(value, 1)) return new Array<number>(n).fill(value);
  if (Array.isArray(value) && value.length === n && value.every((v) => isInt(v, 1))) {
    return [...value];
  }
  throw new TensorError(
    layer,
    `\`${argument}\` must be a positive integer or ${n} of them (one per spatial dimension), found ${shown(value)}`,
  );
}

/** `padding` as one `[low, high]` pair of non-negative integers per spatial dimension. */
export function paddingPerDim(layer: string, padding: unknown, n: number): [number, number][] {
  if (isInt(padding, 0)) return new Array(n).fill(0).map(() => [padding, padding]);
  if (Array.isArray(padding) && padding.length === n) {
    if (padding.every((p) => isInt(p, 0))) return padding.map((p) => [p, p]);
    if (padding.every(isPair)) return (padding as [number, number][]).map(([lo, hi]) => [lo, hi]);
  }
  throw new TensorError(
    layer,
    `\`padding\` must be a non-negative integer, ${n} of them, or ${n} [low, high] pairs of them ` +
      `(one per spatial dimension), found ${shown(padding)}`,
  );
}
