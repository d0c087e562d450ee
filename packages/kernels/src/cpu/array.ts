/** The CPU backend's array: a strided view on a typed array, so layout ops need not copy. */
import type { Backend, BackendArray } from '../backend.js';
import { allocData, elementBytes, type DataArray, type DType } from '../dtype.js';
import { liveArraysOf, type LiveEntry } from '../live-arrays.js';
import { ownArray } from '../own-array.js';
import { contiguousStrides, sizeOf } from '../shape.js';
import { adopt } from './buffers.js';

/**
 * A CPU array: element `[i0, ..., in]` is `data[offset + i0 * strides[0] + ... + in * strides[n]]`.
 * Strides may be 0 (a broadcast) and are never negative. Views share `data`, which is never written after
 * the kernel that made it returns; `data` itself is replaced only when a scratch scope ends (buffers.ts),
 * by a copy with the same layout.
 */
export class CpuArray implements BackendArray {
  readonly size: number;
  /** Set by `release`; a released array refuses to be used. */
  released = false;
  /** True when another array reads the same elements (a view of it, or it of another). */
  shared = false;
  /** Its place in the backend's live-array count (see `Backend.memory`). */
  readonly liveEntry: LiveEntry | null;

  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly shape: readonly number[],
    public data: DataArray,
    readonly strides: readonly number[] = contiguousStrides(shape),
    readonly offset = 0,
  ) {
    this.size = sizeOf(shape);
    adopt(this);
    this.liveEntry = liveArraysOf(backend).track(this, this.size * elementBytes(dtype));
  }

  /** True when the elements are `data[offset .. offset + size)` in row-major order. */
  get isContiguous(): boolean {
    let expected = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      const n = this.shape[d]!;
      if (n !== 1 && this.strides[d] !== expected) return false;
      expected *= n;
    }
    return true;
  }

  /** A view of the same elements with another shape and strides. */
  view(shape: readonly number[], strides: readonly number[], offset = this.offset): CpuArray {
    const view = new CpuArray(this.backend, this.dtype, shape, this.data, strides, offset);
    // Neither may hand its elements back for reuse while the other can still read them.
    this.shared = view.shared = true;
    liveArraysOf(this.backend).markView(view.liveEntry);
    return view;
  }
}

/**
 * The elements of `x` in row-major order: `x.data` itself (or a subarray of it) when `x` is contiguous,
 * else a new copy. Callers must not write to the result.
 */
export function denseData(x: CpuArray): DataArray {
  if (x.isContiguous) {
    return x.offset === 0 && x.data.length === x.size
      ? x.data
      : x.data.subarray(x.offset, x.offset + x.size);
  }
  const out = allocData(x.dtype, x.size);
  copyStrided(x, out);
  return out;
}

/** Writes the elements of `x`, in row-major order, into `out` from index 0. */
export function copyStrided(x: CpuArray, out: DataArray): void {
  const { shape, strides } = collapse(x.shape, [x.strides]);
  const src = x.data;
  const rank = shape.length;
  if (x.size === 0) return;
  if (rank === 0) {
    out[0] = src[x.offset]!;
    return;
  }
  const inner = shape[rank - 1]!;
  const stride = strides[0]![rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let offset = x.offset;
  let o = 0;
  for (;;) {
    for (let i = 0, s = offset; i < inner; i++, s += stride) out[o++] = src[s]!;
    let d = rank - 2;
    for (; d >= 0; d--) {
      offset += strides[0]![d]!;
      if (++index[d]! < shape[d]!) break;
      offset -= strides[0]![d]! * shape[d]!;
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * Merges adjacent dimensions that every operand steps through as one (so a contiguous array becomes
 * one dimension), and drops dimensions of size 1. Used to keep strided loops shallow.
 */
export function collapse(
  shape: readonly number[],
  stridesList: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && stridesList.every((s, k) => outStrides[k]![last] === s[d]! * n);
    if (mergeable) {
      outShape[last] = outShape[last]! * n;
      stridesList.forEach((s, k) => (outStrides[k]![last] = s[d]!));
    } else {
      outShape.push(n);
      stridesList.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** `x` as one of `backend`'s arrays, or a KernelError naming the kernel and the argument. */
export function own(kernel: string, argument: string, x: unknown, backend: Backend): CpuArray {
  return ownArray(kernel, argument, x, backend, CpuArray);
}
