// PLACEHOLDER (being written): max and average pooling and their backward kernels.
import type { PoolOp } from '../backend.js';
import type { PoolOptions } from '../spatial.js';
import type { CpuArray } from './array.js';

export function pool(op: PoolOp, x: CpuArray, options: PoolOptions): CpuArray {
  (void op, void x, void options);
  throw new Error('pool: not written yet');
}

export function poolBackward(
  op: PoolOp,
  dy: CpuArray,
  x: CpuArray,
  options: PoolOptions,
): CpuArray {
  (void op, void dy, void x, void options);
  throw new Error('poolBackward: not written yet');
}
