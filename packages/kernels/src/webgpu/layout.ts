/**
 * Layout kernels on WebGPU: transpose, broadcastTo, slice, concat, pad. Arrays here are always
 * contiguous, so each result is a copy: transpose, broadcastTo, slice and concat are one strided-copy
 * kernel (output coordinate -> input offset through per-dimension strides), pad has its own kernel.
 */
import { scalarFor } from '../cpu/elementwise.js';
import type { DType } from '../dtype.js';
import { checkBroadcastTo, concatShape, padShape, sliceShape } from '../layout-checks.js';
import { checkPermutation, contiguousStrides, sizeOf } from '../shape.js';
import type { WebGpuArray } from './array.js';
import { full } from './elementwise.js';
import type { Runner } from './runner.js';
import { flatIndex, groupsFor, STORAGE_TYPE } from './wgsl.js';

/** A copy of `count` elements over `shape`: element at `coord` goes from `in0` to `out0`. */
interface Copy {
  shape: number[];
  inBase: number;
  inStrides: number[];
  outBase: number;
  outStrides: number[];
}

/**
 * The same copy over fewer dimensions: drops size-1 dimensions and merges neighbours that are
 * contiguous in both source and target, so each invocation does fewer divisions.
 */
function simplify(copy: Copy): Copy {
  const shape: number[] = [];
  const inStrides: number[] = [];
  const outStrides: number[] = [];
  copy.shape.forEach((n, d) => {
    if (n === 1) return;
    const last = shape.length - 1;
    if (
      last >= 0 &&
      inStrides[last] === copy.inStrides[d]! * n &&
      outStrides[last] === copy.outStrides[d]! * n
    ) {
      shape[last]! *= n;
      inStrides[last] = copy.inStrides[d]!;
      outStrides[last] = copy.outStrides[d]!;
      return;
    }
    shape.push(n);
    inStrides.push(copy.inStrides[d]!);
    outStrides.push(copy.outStrides[d]!);
  });
  return { ...copy, shape, inStrides, outStrides };
}

// params: count, rank, inBase, outBase, then shape, inStrides, outStrides (rank each).
const COPY_CODE = `${flatIndex('u32(params[0])')}
  let rank = u32(params[1]);
  var rem = i;
  var inAt = u32(params[2]);
  var outAt = u32(params[3]);
  for (var d = rank; d > 0u; d--) {
    let n = u32(params[3u + d]);
    let c = rem % n;
    rem /= n;
    inAt += c * u32(params[3u + rank + d]);
    outAt += c * u32(params[3u + 2u * rank + d]);
  }
  out0[outAt] = in0[inAt];
}`;

/**
 * Copies `x` as described by `copy` into `into` (filling part of it), or into a new array of `shape`
 * (then `copy.outStrides` must be `shape`'s contiguous strides, so every element gets written).
 */
function stridedCopy(
  runner: Runner,
  x: WebGpuArray,
  shape: readonly number[],
  copy: Copy,
  into?: WebGpuArray,
): WebGpuArray {
  const count = sizeOf(copy.shape);
  if (count === 0) return into ?? runner.allocate(shape, x.dtype);
  const { shape: dims, inBase, inStrides, outBase, outStrides } = simplify(copy);
  const [out] = runner.run({
    key: `copy:${x.dtype}`,
    code: () => COPY_CODE,
    inputs: [x],
    outputs: [{ shape, dtype: x.dtype }],
    into: into ? [into] : undefined,
    params: [count, dims.length, inBase, outBase, ...dims, ...inStrides, ...outStrides],
    groups: groupsFor(count),
  });
  return out!;
}

/** Copies `x` read through `strides` from `base` into a new contiguous array of `shape`. */
function gatherCopy(
  runner: Runner,
  x: WebGpuArray,
  shape: number[],
  base: number,
  strides: number[],
): WebGpuArray {
  return stridedCopy(runner, x, shape, {
    shape,
    inBase: base,
    inStrides: strides,
    outBase: 0,
    outStrides: contiguousStrides(shape),
  });
}

/** See {@link Backend.transpose}. */
export function transpose(runner: Runner, x: WebGpuArray, perm: readonly number[]): WebGpuArray {
  checkPermutation('transpose', perm, x.shape.length);
  const strides = contiguousStrides(x.shape);
  return gatherCopy(
    runner,
    x,
    perm.map((p) => x.shape[p]!),
    0,
    perm.map((p) => strides[p]!),
  );
}

/** See {@link Backend.broadcastTo}. */
export function broadcastTo(runner: Runner, x: WebGpuArray, shape: readonly number[]): WebGpuArray {
  checkBroadcastTo(x.shape, shape);
  const own = contiguousStrides(x.shape);
  const lead = shape.length - x.shape.length;
  // A broadcast dimension (new, or of size 1) reads the same element all along: stride 0.
  const strides = shape.map((_, d) => (d < lead || x.shape[d - lead] === 1 ? 0 : own[d - lead]!));
  return gatherCopy(runner, x, [...shape], 0, strides);
}

/** See {@link Backend.slice}. */
export function slice(
  runner: Runner,
  x: WebGpuArray,
  start: readonly number[],
  limit: readonly number[],
  strides?: readonly number[],
): WebGpuArray {
  const { shape, steps } = sliceShape(x.shape, start, limit, strides);
  const own = contiguousStrides(x.shape);
  const base = own.reduce((sum, s, d) => sum + start[d]! * s, 0);
  return gatherCopy(
    runner,
    x,
    shape,
    base,
    own.map((s, d) => s * steps[d]!),
  );
}

/** See {@link Backend.concat}. */
export function concat(runner: Runner, xs: readonly WebGpuArray[], axis: number): WebGpuArray {
  const { axis: d, shape } = concatShape(xs, axis);
  const outStrides = contiguousStrides(shape);
  const out = runner.allocate(shape, xs[0]!.dtype);
  // One launch per input, each writing its block of the result.
  let at = 0;
  for (const x of xs) {
    stridedCopy(
      runner,
      x,
      shape,
      {
        shape: [...x.shape],
        inBase: 0,
        inStrides: contiguousStrides(x.shape),
        outBase: at * outStrides[d]!,
        outStrides,
      },
      out,
    );
    at += x.shape[d]!;
  }
  return out;
}

/** `value` converted to `dtype` as cast does, as the bits of its storage type (an i32 parameter). */
function fillBits(value: number, dtype: DType): number {
  if (dtype === 'float32') return new Int32Array(new Float32Array([value]).buffer)[0]!;
  return scalarFor(value, dtype);
}

// params: count, rank, fill bits, then the output shape, lo, interior step (gap + 1), the input shape
// and the input's strides (rank each). Each invocation writes one output element: an input element
// where its coordinate lands on one, the fill value elsewhere.
const padCode = (dtype: DType): string => `${flatIndex('u32(params[0])')}
  let rank = u32(params[1]);
  var rem = i;
  var inAt = 0u;
  var inside = true;
  for (var d = rank; d > 0u; d--) {
    let n = u32(params[2u + d]);
    let c = rem % n;
    rem /= n;
    let lo = u32(params[2u + rank + d]);
    let step = u32(params[2u + 2u * rank + d]);
    if (c < lo) { inside = false; continue; }
    let q = (c - lo) / step;
    if ((c - lo) % step != 0u || q >= u32(params[2u + 3u * rank + d])) { inside = false; continue; }
    inAt += q * u32(params[2u + 4u * rank + d]);
  }
  if (inside) {
    out0[i] = in0[inAt];
  } else {
    out0[i] = bitcast<${STORAGE_TYPE[dtype]}>(params[2]);
  }
}`;

/** See {@link Backend.pad}. */
export function pad(
  runner: Runner,
  x: WebGpuArray,
  lo: readonly number[],
  hi: readonly number[],
  value: number,
  interior?: readonly number[],
): WebGpuArray {
  const { shape, gaps } = padShape(x.shape, lo, hi, value, interior);
  const count = sizeOf(shape);
  if (count === 0) return runner.allocate(shape, x.dtype);
  // Nothing to copy: the result is all fill.
  if (x.size === 0) return full(runner, shape, value, x.dtype);
  const [out] = runner.run({
    key: `pad:${x.dtype}`,
    code: () => padCode(x.dtype),
    inputs: [x],
    outputs: [{ shape, dtype: x.dtype }],
    params: [
      count,
      shape.length,
      fillBits(value, x.dtype),
      ...shape,
      ...lo,
      ...gaps.map((g) => g + 1),
      ...x.shape,
      ...contiguousStrides(x.shape),
    ],
    groups: groupsFor(count),
  });
  return out!;
}
