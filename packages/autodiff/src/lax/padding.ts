/** Padding arguments of the windowed lax functions (convolution, reduceWindow), resolved to pairs. */
import { TensorError, valueText } from '../core/errors.js';

/**
 * Padding of the windowed dimensions, as JAX takes it: `'VALID'` (none); `'SAME'` (enough that the
 * output has `ceil(size / stride)` positions, an odd total putting the extra element after);
 * `'SAME_LOWER'` (the same, the extra element before); or one `[low, high]` pair per dimension
 * (negative values crop, in convolutions). Strings are case-insensitive.
 *
 * @example
 * ```ts
 * const padding: lax.Padding = [[1, 1], [0, 2]];
 * lax.conv(numpy.ones([1, 1, 3, 3]), numpy.ones([1, 1, 3, 3]), [1, 1], padding).shape; // [1, 1, 3, 3]
 * ```
 */
export type Padding = string | readonly (readonly [number, number])[];

/** True for an array of `n` entries (a check that leaves the argument's declared type alone). */
const isList = (value: unknown, n: number): boolean => Array.isArray(value) && value.length === n;

/** `value` as `n` integers of at least `min` (one per dimension), or `fallback` when absent. */
export function intList(
  op: string,
  argument: string,
  value: readonly number[] | undefined,
  n: number,
  min: number,
  fallback: number,
): number[] {
  if (value === undefined) return new Array<number>(n).fill(fallback);
  if (!isList(value, n) || !value.every((v) => Number.isInteger(v) && v >= min)) {
    throw new TensorError(
      op,
      `\`${argument}\` must be ${n} integers of at least ${min} (one per dimension), found ${valueText(value)}`,
    );
  }
  return [...value];
}

/**
 * Explicit `[low, high]` pairs for `padding` over dimensions of sizes `inShape`, with windows of
 * `window` elements (after dilation) taken every `strides`, as JAX's `padtype_to_pads`.
 */
export function resolvePadding(
  op: string,
  padding: Padding,
  inShape: readonly number[],
  window: readonly number[],
  strides: readonly number[],
): [number, number][] {
  const n = inShape.length;
  if (typeof padding === 'string') {
    const kind = padding.toUpperCase();
    if (kind === 'VALID') return inShape.map(() => [0, 0]);
    if (kind !== 'SAME' && kind !== 'SAME_LOWER') {
      throw new TensorError(
        op,
        `\`padding\` must be 'SAME', 'SAME_LOWER', 'VALID' or ${n} [low, high] pairs, found ${valueText(padding)}`,
      );
    }
    return inShape.map((size, d) => {
      const out = Math.ceil(size / strides[d]!);
      const total = Math.max(0, (out - 1) * strides[d]! + window[d]! - size);
      const small = Math.floor(total / 2);
      return kind === 'SAME' ? [small, total - small] : [total - small, small];
    });
  }
  const ok =
    isList(padding, n) && padding.every((p) => isList(p, 2) && p.every((v) => Number.isInteger(v)));
  if (!ok) {
    throw new TensorError(
      op,
      `\`padding\` must be 'SAME', 'SAME_LOWER', 'VALID' or ${n} [low, high] integer pairs, found ${valueText(padding)}`,
    );
  }
  return padding.map(([lo, hi]) => [lo, hi]);
}
