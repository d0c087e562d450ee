/** The checks and output geometry of gather and scatterAdd, shared by every backend. */
import type { DType } from './dtype.js';
import { KernelError, shapeText, valueText } from './errors.js';
import { normalizeAxis, sizeOf } from './shape.js';

/** Throws unless `dtype` (of `indices`) is int32. */
export function checkIndexDType(kernel: string, dtype: DType): void {
  if (dtype !== 'int32') {
    throw new KernelError(kernel, `\`indices\` must have dtype int32, found ${dtype}`);
  }
}

/** gather's view of `x` as [outer, n, inner] and its output [outer, indices..., inner]. */
export interface GatherGeometry {
  /** The gathered axis, normalized. */
  axis: number;
  /** The gathered axis' length. */
  n: number;
  outer: number;
  inner: number;
  shape: number[];
}

/** Checks gather's arguments (indices dtype, axis, an empty axis indexed) and gives its geometry. */
export function gatherGeometry(
  xShape: readonly number[],
  indexDType: DType,
  indexShape: readonly number[],
  axis: number,
): GatherGeometry {
  checkIndexDType('gather', indexDType);
  const d = normalizeAxis('gather', 'axis', axis, xShape.length);
  const n = xShape[d]!;
  const shape = [...xShape.slice(0, d), ...indexShape, ...xShape.slice(d + 1)];
  if (sizeOf(shape) > 0 && n === 0) {
    throw new KernelError(
      'gather',
      `axis ${d} of \`x\` ${shapeText(xShape)} is empty; no index is valid`,
    );
  }
  return {
    axis: d,
    n,
    outer: sizeOf(xShape.slice(0, d)),
    inner: sizeOf(xShape.slice(d + 1)),
    shape,
  };
}

/** scatterAdd's output viewed as [outer, size, inner], and its full shape. */
export interface ScatterGeometry {
  /** The scattered axis, normalized. */
  axis: number;
  outer: number;
  inner: number;
  shape: number[];
}

/** Checks scatterAdd's arguments (dtypes, size, ranks, shapes) and gives its geometry. */
export function scatterAddGeometry(
  updateDType: DType,
  updateShape: readonly number[],
  indexDType: DType,
  indexShape: readonly number[],
  axis: number,
  size: number,
): ScatterGeometry {
  checkIndexDType('scatterAdd', indexDType);
  if (updateDType === 'bool') {
    throw new KernelError('scatterAdd', '`updates` must have dtype float32 or int32, found bool');
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new KernelError(
      'scatterAdd',
      `\`size\` must be a non-negative integer, found ${valueText(size)}`,
    );
  }
  const k = indexShape.length;
  const rank = updateShape.length - k + 1;
  if (rank < 1) {
    throw new KernelError(
      'scatterAdd',
      `\`updates\` ${shapeText(updateShape)} has fewer dimensions than \`indices\` ${shapeText(indexShape)}`,
    );
  }
  const d = normalizeAxis('scatterAdd', 'axis', axis, rank);
  const middle = updateShape.slice(d, d + k);
  if (middle.some((m, i) => m !== indexShape[i])) {
    throw new KernelError(
      'scatterAdd',
      `\`updates\` ${shapeText(updateShape)} must have \`indices\`' shape ${shapeText(indexShape)} ` +
        `at axis ${d}, found ${shapeText(middle)}`,
    );
  }
  const shape = [...updateShape.slice(0, d), size, ...updateShape.slice(d + k)];
  const outer = sizeOf(shape.slice(0, d));
  const inner = sizeOf(shape.slice(d + 1));
  if (size === 0 && sizeOf(indexShape) > 0 && outer * inner > 0) {
    throw new KernelError('scatterAdd', '`size` is 0 but there are indices to scatter to');
  }
  return { axis: d, outer, inner, shape };
}
