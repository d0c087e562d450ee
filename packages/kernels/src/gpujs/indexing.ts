/**
 * gather and scatterAdd on gpu.js for float32 elements. The int32 indices stay on the host and are read
 * by the kernel as float32: indices too large for that to be exact are out of range either way, and
 * clamp to the same element. scatterAdd has no scattered writes on a GPU, so each output element sums
 * the updates whose index lands on it, in index order, as the CPU backend adds them.
 */
import { gatherGeometry, scatterAddGeometry } from '../indexing-checks.js';
import type { GpuJsArray } from './array.js';
import { fromHost, runFloat, toHost, type GpuJsContext } from './context.js';
import { kernelSource } from './source.js';

/** Source declaring `name` as index `raw` into an axis of length `n`: negative from the end, clamped. */
function clamped(name: string, raw: string, n: number): string {
  return `const ${name}w = ${raw} < 0 ? ${raw} + ${n} : ${raw};
const ${name} = ${name}w < 0 ? 0 : (${name}w > ${n - 1} ? ${n - 1} : ${name}w);`;
}

/** See {@link Backend.gather}. */
export function gather(
  ctx: GpuJsContext,
  x: GpuJsArray,
  indices: GpuJsArray,
  axis: number,
): GpuJsArray {
  if (x.dtype !== 'float32') {
    return fromHost(ctx, ctx.host.gather(toHost(ctx, x), toHost(ctx, indices), axis));
  }
  const { n, inner, shape } = gatherGeometry(x.shape, indices.dtype, indices.shape, axis);
  const m = indices.size;
  const body = `const o = Math.floor(i / ${m * inner});
const rest = i - o * ${m * inner};
const j = Math.floor(rest / ${inner});
const t = rest - j * ${inner};
const raw = index[j];
${clamped('k', 'raw', n)}`;
  const source = kernelSource(['src', 'index'], body, `src[(o * ${n} + k) * ${inner} + t]`);
  return runFloat(ctx, 'gather', source, shape, [x, indices]);
}

/** See {@link Backend.scatterAdd}. */
export function scatterAdd(
  ctx: GpuJsContext,
  updates: GpuJsArray,
  indices: GpuJsArray,
  axis: number,
  size: number,
): GpuJsArray {
  if (updates.dtype !== 'float32') {
    return fromHost(
      ctx,
      ctx.host.scatterAdd(toHost(ctx, updates), toHost(ctx, indices), axis, size),
    );
  }
  const { inner, shape } = scatterAddGeometry(
    updates.dtype,
    updates.shape,
    indices.dtype,
    indices.shape,
    axis,
    size,
  );
  const m = indices.size;
  const body = `const o = Math.floor(i / ${size * inner});
const rest = i - o * ${size * inner};
const s = Math.floor(rest / ${inner});
const t = rest - s * ${inner};
let acc = 0;
for (let j = 0; j < ${m}; j++) {
const raw = index[j];
${clamped('k', 'raw', size)}
if (k === s) {
acc += src[(o * ${m} + j) * ${inner} + t];
}
}`;
  return runFloat(ctx, 'scatterAdd', kernelSource(['src', 'index'], body, 'acc'), shape, [
    updates,
    indices,
  ]);
}
