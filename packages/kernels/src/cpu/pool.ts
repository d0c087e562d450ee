/** The CPU pooling kernels: argument checks, then the loops of pool-forward.ts and pool-backward.ts. */
import type { PoolOp } from '../backend.js';
import { resolvePool, type PoolOptions } from '../spatial.js';
import { CpuArray, denseData } from './array.js';
import { checkFloat32, checkGradShape, checkPoolOp } from '../spatial-checks.js';
import { window3 } from './conv-geometry.js';
import { poolBackwardDense } from './pool-backward.js';
import { poolForward } from './pool-forward.js';

/**
 * Max or average pooling of float32 `x: [N, C, ...spatial]` (1 to 3 spatial dimensions) over windows;
 * returns `[N, C, ...outSpatial]`. Max pads with -Infinity; average divides by the whole window size,
 * padding included.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 5, 2, 3]), [1, 1, 4]);
 * cpu.readSync(cpu.pool('max', x, { window: [2] })); // Float32Array [5, 3]
 * ```
 */
export function pool(op: PoolOp, x: CpuArray, options: PoolOptions): CpuArray {
  checkPoolOp('pool', op);
  checkFloat32('pool', 'x', x);
  const g = resolvePool('pool', x.shape, options);
  const planes = x.shape[0]! * x.shape[1]!;
  const y = poolForward(op, window3(g), planes, denseData(x) as Float32Array);
  return new CpuArray(x.backend, 'float32', [x.shape[0]!, x.shape[1]!, ...g.outSpatial], y);
}

/**
 * The gradient of {@link pool} with respect to `x`, given `dy` shaped like pool's output. Max routes
 * each window's gradient to the window's first largest element (row-major order within the window);
 * average spreads `dy / windowSize` over the window.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 5, 2, 3]), [1, 1, 4]);
 * const dy = cpu.upload(new Float32Array([10, 20]), [1, 1, 2]);
 * cpu.readSync(cpu.poolBackward('max', dy, x, { window: [2] })); // Float32Array [0, 10, 0, 20]
 * ```
 */
export function poolBackward(
  op: PoolOp,
  dy: CpuArray,
  x: CpuArray,
  options: PoolOptions,
): CpuArray {
  const kernel = 'poolBackward';
  checkPoolOp(kernel, op);
  checkFloat32(kernel, 'dy', dy);
  checkFloat32(kernel, 'x', x);
  const g = resolvePool(kernel, x.shape, options);
  checkGradShape(kernel, dy, [x.shape[0]!, x.shape[1]!, ...g.outSpatial]);
  const planes = x.shape[0]! * x.shape[1]!;
  const dx = poolBackwardDense(
    op,
    window3(g),
    planes,
    denseData(dy) as Float32Array,
    denseData(x) as Float32Array,
  );
  return new CpuArray(x.backend, 'float32', [...x.shape], dx);
}
