/** Batched matmul on gpu.js: one thread per output element, a dot product over the inner dimension. */
import type { MatmulOptions } from '../backend.js';
import { checkMatmul } from '../matmul-checks.js';
import type { GpuJsArray } from './array.js';
import { runFloat, type GpuJsContext } from './context.js';
import { broadcastStrides, dot, kernelSource, names, unravel } from './source.js';

/** See {@link Backend.matmul}. */
export function matmul(
  ctx: GpuJsContext,
  a: GpuJsArray,
  b: GpuJsArray,
  options?: MatmulOptions,
): GpuJsArray {
  const { transposeA, transposeB, m, k, n, batch } = checkMatmul(a, b, options);
  const coords = names('b', batch.length);
  // A batch index steps over whole matrices; broadcast batch dimensions step by 0.
  const batchOffset = (x: GpuJsArray, matrix: number): string =>
    dot(
      coords,
      broadcastStrides(x.shape.slice(0, -2), batch).map((s) => s * matrix),
    );
  // Element [row, col] of each operand, as stored (a transposed operand is read across).
  const aAt = transposeA ? `t * ${m} + r` : `r * ${k} + t`;
  const bAt = transposeB ? `c * ${k} + t` : `t * ${n} + c`;
  const body = `const bi = Math.floor(i / ${m * n});
const rc = i - bi * ${m * n};
const r = Math.floor(rc / ${n});
const c = rc - r * ${n};
${unravel('bi', batch, coords)}
const aBase = ${batchOffset(a, m * k)};
const bBase = ${batchOffset(b, k * n)};
let acc = 0;
for (let t = 0; t < ${k}; t++) {
acc += lhs[aBase + ${aAt}] * rhs[bBase + ${bAt}];
}`;
  return runFloat(
    ctx,
    'matmul',
    kernelSource(['lhs', 'rhs'], body, 'acc'),
    [...batch, m, n],
    [a, b],
  );
}
