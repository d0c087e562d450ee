/**
 * gather and scatterAdd on WebGPU: one invocation per output element. scatterAdd has each output
 * element loop over every index (WGSL has no float atomics): deterministic, and summing in the CPU's
 * order (ascending update position, from 0), so float32 results match it exactly; the cost is
 * O(output size × index count), fine for moderate index counts but not for very large scatters.
 */
import { gatherGeometry, scatterAddGeometry } from '../indexing-checks.js';
import { sizeOf } from '../shape.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';
import { STORAGE_TYPE, flatIndex, groupsFor } from './wgsl.js';

/** WGSL resolving index `k` into an axis of length `n` as the CPU does: negative from the end, then clamped. */
const RESOLVE = /* wgsl */ `
fn resolve(k: i32, n: i32) -> i32 {
  return clamp(select(k, k + n, k < 0), 0, n - 1);
}`;

export function gather(
  runner: Runner,
  x: WebGpuArray,
  indices: WebGpuArray,
  axis: number,
): WebGpuArray {
  const { n, inner, shape } = gatherGeometry(x.shape, indices.dtype, indices.shape, axis);
  const count = sizeOf(shape);
  if (count === 0) return runner.allocate(shape, x.dtype);
  // Output element i is (o, j, t) over [outer, indices.size, inner]; bool copies as its stored u32.
  const [out] = runner.run({
    key: `gather:${x.dtype}`,
    code: () => `${RESOLVE}
${flatIndex('u32(params[0])')}
  let n = u32(params[1]);
  let m = u32(params[2]);
  let inner = u32(params[3]);
  let t = i % inner;
  let j = (i / inner) % m;
  let o = i / (inner * m);
  let row = u32(resolve(in1[j], i32(n)));
  out0[i] = in0[(o * n + row) * inner + t];
}`,
    inputs: [x, indices],
    outputs: [{ shape, dtype: x.dtype }],
    params: [count, n, indices.size, inner],
    groups: groupsFor(count),
  });
  return out!;
}

export function scatterAdd(
  runner: Runner,
  updates: WebGpuArray,
  indices: WebGpuArray,
  axis: number,
  size: number,
): WebGpuArray {
  const { inner, shape } = scatterAddGeometry(
    updates.dtype,
    updates.shape,
    indices.dtype,
    indices.shape,
    axis,
    size,
  );
  const dtype = updates.dtype;
  const count = sizeOf(shape);
  if (count === 0) return runner.allocate(shape, dtype);
  const type = STORAGE_TYPE[dtype];
  // Output element i is (o, s, t) over [outer, size, inner]; it sums the updates (o, j, t) whose index
  // resolves to s, in ascending j. int32 adds wrap, as WGSL integer arithmetic does.
  const [out] = runner.run({
    key: `scatterAdd:${dtype}`,
    code: () => `${RESOLVE}
${flatIndex('u32(params[0])')}
  let size = u32(params[1]);
  let m = u32(params[2]);
  let inner = u32(params[3]);
  let t = i % inner;
  let s = i32((i / inner) % size);
  let first = (i / (inner * size)) * m * inner + t;
  var sum = ${type}(0);
  for (var j = 0u; j < m; j++) {
    if (resolve(in1[j], i32(size)) == s) { sum += in0[first + j * inner]; }
  }
  out0[i] = sum;
}`,
    inputs: [updates, indices],
    outputs: [{ shape, dtype }],
    params: [count, size, indices.size, inner],
    groups: groupsFor(count),
  });
  return out!;
}
