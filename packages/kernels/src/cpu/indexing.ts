/** gather (`jnp.take` along an axis) and its transpose, scatter-add, on the CPU backend. */
import { allocData } from '../dtype.js';
import { gatherGeometry, scatterAddGeometry } from '../indexing-checks.js';
import { sizeOf } from '../shape.js';
import { CpuArray, denseData } from './array.js';

/** The index `i` into an axis of length `n`: negative counts from the end, the rest is clamped. */
function clampIndex(i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

/** See {@link Backend.gather}. */
export function gather(x: CpuArray, indices: CpuArray, axis: number): CpuArray {
  const { n, outer, inner, shape } = gatherGeometry(x.shape, indices.dtype, indices.shape, axis);
  const index = denseData(indices) as Int32Array;
  const out = allocData(x.dtype, sizeOf(shape));
  const src = denseData(x);
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const from = (o * n + clampIndex(index[j]!, n)) * inner;
      const to = (o * m + j) * inner;
      if (inner === 1) out[to] = src[from]!;
      else out.set(src.subarray(from, from + inner), to);
    }
  }
  return new CpuArray(x.backend, x.dtype, shape, out);
}

/** See {@link Backend.scatterAdd}. */
export function scatterAdd(
  updates: CpuArray,
  indices: CpuArray,
  axis: number,
  size: number,
): CpuArray {
  const { outer, inner, shape } = scatterAddGeometry(
    updates.dtype,
    updates.shape,
    indices.dtype,
    indices.shape,
    axis,
    size,
  );
  const index = denseData(indices) as Int32Array;
  const out = allocData(updates.dtype, sizeOf(shape));
  const m = index.length;
  const src = denseData(updates);
  const int = updates.dtype === 'int32';
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const to = (o * size + clampIndex(index[j]!, size)) * inner;
      const from = (o * m + j) * inner;
      if (int) for (let i = 0; i < inner; i++) out[to + i] = (out[to + i]! + src[from + i]!) | 0;
      else for (let i = 0; i < inner; i++) out[to + i] = out[to + i]! + src[from + i]!;
    }
  }
  return new CpuArray(updates.backend, updates.dtype, shape, out);
}
