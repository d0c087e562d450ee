// PLACEHOLDER (being written): batched broadcasting matmul on top of gemm.ts.
import type { MatmulOptions } from '../backend.js';
import type { CpuArray } from './array.js';

export function matmul(a: CpuArray, b: CpuArray, options?: MatmulOptions): CpuArray {
  (void a, void b, void options);
  throw new Error('matmul: not written yet');
}
