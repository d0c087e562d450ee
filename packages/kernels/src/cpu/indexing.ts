/** gather (`jnp.take` along an axis) and its transpose, scatter-add, on the CPU backend. */
import { allocData } from '../dtype.js';
import { KernelError, shapeText, valueText } from '../errors.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import { CpuArray, denseData } from './array.js';

/** The index `i` into an axis of length `n`: negative counts from the end, the rest is clamped. */
function clampIndex(i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

function checkIndices(kernel: string, indices: CpuArray): Int32Array {
  if (indices.dtype !== 'int32') {
    throw new KernelError(kernel, `\`indices\` must have dtype int32, found ${indices.dtype}`);
  }
  return denseData(indices) as Int32Array;
}

/** See {@link Backend.gather}. */
export function gather(x: CpuArray, indices: CpuArray, axis: number): CpuArray {
  const index = checkIndices('gather', indices);
  const d = normalizeAxis('gather', 'axis', axis, x.shape.length);
  const n = x.shape[d]!;
  const outer = sizeOf(x.shape.slice(0, d));
  const inner = sizeOf(x.shape.slice(d + 1));
  const shape = [...x.shape.slice(0, d), ...indices.shape, ...x.shape.slice(d + 1)];
  const out = allocData(x.dtype, sizeOf(shape));
  if (out.length > 0 && n === 0) {
    throw new KernelError(
      'gather',
      `axis ${d} of \`x\` ${shapeText(x.shape)} is empty; no index is valid`,
    );
  }
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
  const index = checkIndices('scatterAdd', indices);
  if (updates.dtype === 'bool') {
    throw new KernelError('scatterAdd', '`updates` must have dtype float32 or int32, found bool');
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new KernelError(
      'scatterAdd',
      `\`size\` must be a non-negative integer, found ${valueText(size)}`,
    );
  }
  const k = indices.shape.length;
  const rank = updates.shape.length - k + 1;
  if (rank < 1) {
    throw new KernelError(
      'scatterAdd',
      `\`updates\` ${shapeText(updates.shape)} has fewer dimensions than \`indices\` ${shapeText(indices.shape)}`,
    );
  }
  const d = normalizeAxis('scatterAdd', 'axis', axis, rank);
  const middle = updates.shape.slice(d, d + k);
  if (middle.some((m, i) => m !== indices.shape[i])) {
    throw new KernelError(
      'scatterAdd',
      `\`updates\` ${shapeText(updates.shape)} must have \`indices\`' shape ${shapeText(indices.shape)} ` +
        `at axis ${d}, found ${shapeText(middle)}`,
    );
  }
  const shape = [...updates.shape.slice(0, d), size, ...updates.shape.slice(d + k)];
  const outer = sizeOf(shape.slice(0, d));
  const inner = sizeOf(shape.slice(d + 1));
  const out = allocData(updates.dtype, sizeOf(shape));
  const m = index.length;
  if (size === 0 && m > 0 && outer * inner > 0) {
    throw new KernelError('scatterAdd', '`size` is 0 but there are indices to scatter to');
  }
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
