/** argsort on WebGPU. (Being written.) */
import { KernelError } from '../errors.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function argsort(_runner: Runner, _x: WebGpuArray, _axis: number, _descending: boolean): WebGpuArray {
  throw new KernelError('argsort', 'not written yet on webgpu');
}
