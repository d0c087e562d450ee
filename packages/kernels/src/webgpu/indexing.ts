/** gather and scatterAdd on WebGPU. (Being written.) */
import { KernelError } from '../errors.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function gather(_runner: Runner, _x: WebGpuArray, _indices: WebGpuArray, _axis: number): WebGpuArray {
  throw new KernelError('gather', 'not written yet on webgpu');
}
export function scatterAdd(
  _runner: Runner,
  _updates: WebGpuArray,
  _indices: WebGpuArray,
  _axis: number,
  _size: number,
): WebGpuArray {
  throw new KernelError('scatterAdd', 'not written yet on webgpu');
}
