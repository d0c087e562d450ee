/** Shape arithmetic shared by every backend: sizes, strides, broadcasting, and axis checks. */
import { KernelError, shapeText, valueText } from './errors.js';

/**
 * The number of elements in an array of this shape (1 for a scalar, `[]`).
 *
 * @example
 * ```ts
 * sizeOf([2, 3, 4]); // 24
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * Row-major (C order) strides, in elements, of a contiguous array of this shape.
 *
 * @example
 * ```ts
 * contiguousStrides([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d]!;
  }
  return strides;
}

/** Throws unless `shape` is a list of non-negative integers. */
export function checkShape(kernel: string, argument: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new KernelError(
      kernel,
      `\`${argument}\` must be a list of non-negative integers, found ${valueText(shape)}`,
    );
  }
  return shape as number[];
}

/**
 * The shape that NumPy broadcasting gives arrays of these shapes: shapes are aligned at their last
 * dimension, and each dimension must be equal across them or 1. Throws a {@link KernelError} naming
 * `kernel` otherwise.
 *
 * @example
 * ```ts
 * broadcastShapes('add', [3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastShapes(kernel: string, ...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!;
      const o = rank - shape.length + i;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new KernelError(
          kernel,
          `shapes cannot be broadcast together: ${shapes.map(shapeText).join(', ')} ` +
            `(dimension ${o - rank} is ${out[o]} in one and ${d} in another)`,
        );
      }
    }
  }
  return out;
}

/**
 * Checks one axis against an array's rank and returns it as a non-negative number (negative axes count
 * from the end, as in NumPy).
 *
 * @example
 * ```ts
 * normalizeAxis('cumsum', 'axis', -1, 3); // 2
 * ```
 */
export function normalizeAxis(
  kernel: string,
  argument: string,
  axis: number,
  rank: number,
): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new KernelError(
      kernel,
      `\`${argument}\` must be an integer in [${-rank}, ${rank}) for an array of rank ${rank}, ` +
        `found ${valueText(axis)}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Checks a set of axes (each as in {@link normalizeAxis}, none repeated) and returns them sorted.
 *
 * @example
 * ```ts
 * normalizeAxes('reduce', 'axes', [-1, 0], 3); // [0, 2]
 * ```
 */
export function normalizeAxes(
  kernel: string,
  argument: string,
  axes: readonly number[],
  rank: number,
): number[] {
  if (!Array.isArray(axes)) {
    throw new KernelError(
      kernel,
      `\`${argument}\` must be a list of axes, found ${valueText(axes)}`,
    );
  }
  const out = (axes as readonly number[])
    .map((a: number) => normalizeAxis(kernel, argument, a, rank))
    .sort((a, b) => a - b);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) {
      throw new KernelError(kernel, `\`${argument}\` repeats axis ${out[i]}: ${valueText(axes)}`);
    }
  }
  return out;
}

/** Checks that `perm` is a permutation of `0 .. rank-1`. */
export function checkPermutation(kernel: string, perm: readonly number[], rank: number): void {
  const ok =
    Array.isArray(perm) &&
    perm.length === rank &&
    new Set(perm).size === rank &&
    perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank);
  if (!ok) {
    throw new KernelError(
      kernel,
      `\`perm\` must be a permutation of 0..${rank - 1} for an array of rank ${rank}, ` +
        `found ${valueText(perm)}`,
    );
  }
}
