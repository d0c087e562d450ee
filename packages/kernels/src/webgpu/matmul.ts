/** matmul on WebGPU. (Being written.) */
import type { MatmulOptions } from '../backend.js';
import { KernelError } from '../errors.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function matmul(_runner: Runner, _a: WebGpuArray, _b: WebGpuArray, _options?: MatmulOptions): WebGpuArray {
  throw new KernelError('matmul', 'not written yet on webgpu');
}
