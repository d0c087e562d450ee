/** Layout kernels of the CPU backend: views where possible (reshape, transpose, broadcast, slice). */
import { allocData } from '../dtype.js';
import { KernelError, shapeText } from '../errors.js';
import { checkBroadcastTo, concatShape, padShape, sliceShape } from '../layout-checks.js';
import { checkPermutation, checkShape, contiguousStrides, sizeOf } from '../shape.js';
import { CpuArray, denseData } from './array.js';
import { scalarFor } from './elementwise.js';
import { broadcastStrides } from './strided.js';

/** See {@link Backend.reshape}. */
export function reshape(x: CpuArray, shape: readonly number[]): CpuArray {
  checkShape('reshape', 'shape', shape);
  if (sizeOf(shape) !== x.size) {
    throw new KernelError(
      'reshape',
      `cannot reshape ${shapeText(x.shape)} (${x.size} elements) to ${shapeText(shape)} ` +
        `(${sizeOf(shape)} elements)`,
    );
  }
  if (x.isContiguous) return x.view([...shape], contiguousStrides(shape));
  return new CpuArray(x.backend, x.dtype, [...shape], denseData(x));
}

/** See {@link Backend.transpose}. */
export function transpose(x: CpuArray, perm: readonly number[]): CpuArray {
  checkPermutation('transpose', perm, x.shape.length);
  return x.view(
    perm.map((p) => x.shape[p]!),
    perm.map((p) => x.strides[p]!),
  );
}

/** See {@link Backend.broadcastTo}. */
export function broadcastTo(x: CpuArray, shape: readonly number[]): CpuArray {
  checkBroadcastTo(x.shape, shape);
  return x.view([...shape], broadcastStrides(x.shape, x.strides, shape));
}

/** See {@link Backend.slice}. */
export function slice(
  x: CpuArray,
  start: readonly number[],
  limit: readonly number[],
  strides?: readonly number[],
): CpuArray {
  const { shape, steps } = sliceShape(x.shape, start, limit, strides);
  let offset = x.offset;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d]! > 0) offset += start[d]! * x.strides[d]!;
  }
  return x.view(
    shape,
    x.strides.map((s, d) => s * steps[d]!),
    offset,
  );
}

/** Copies `x` into the elements of `out` (a contiguous buffer) at `offset` with `strides`. */
function copyInto(
  x: CpuArray,
  out: CpuArray['data'],
  offset: number,
  strides: readonly number[],
): void {
  // Read the source densely, then write it row by row (with a block copy when rows are contiguous).
  const dense = denseData(x);
  const rank = x.shape.length;
  if (x.size === 0) return;
  if (rank === 0) {
    out[offset] = dense[0]!;
    return;
  }
  const inner = x.shape[rank - 1]!;
  const innerStride = strides[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let o = offset;
  for (let i = 0; i < x.size;) {
    if (innerStride === 1) {
      out.set(dense.subarray(i, i + inner), o);
      i += inner;
    } else {
      for (let j = 0, p = o; j < inner; j++, p += innerStride) out[p] = dense[i++]!;
    }
    let d = rank - 2;
    for (; d >= 0; d--) {
      o += strides[d]!;
      if (++index[d]! < x.shape[d]!) break;
      o -= strides[d]! * x.shape[d]!;
      index[d] = 0;
    }
  }
}

/** See {@link Backend.concat}. */
export function concat(xs: readonly CpuArray[], axis: number): CpuArray {
  const first = xs[0]!;
  const { axis: d, shape } = concatShape(xs, axis);
  const strides = contiguousStrides(shape);
  const out = allocData(first.dtype, sizeOf(shape));
  let at = 0;
  for (const x of xs) {
    copyInto(x, out, at * strides[d]!, strides);
    at += x.shape[d]!;
  }
  return new CpuArray(first.backend, first.dtype, shape, out);
}

/** See {@link Backend.pad}. */
export function pad(
  x: CpuArray,
  lo: readonly number[],
  hi: readonly number[],
  value: number,
  interior?: readonly number[],
): CpuArray {
  const { shape, gaps } = padShape(x.shape, lo, hi, value, interior);
  const outStrides = contiguousStrides(shape);
  const out = allocData(x.dtype, sizeOf(shape));
  const fill = scalarFor(value, x.dtype);
  if (fill !== 0) out.fill(fill);
  const offset = lo.reduce((sum, l, d) => sum + l * outStrides[d]!, 0);
  copyInto(
    x,
    out,
    offset,
    outStrides.map((s, d) => s * (gaps[d]! + 1)),
  );
  return new CpuArray(x.backend, x.dtype, shape, out);
}
