/** Convolution on WebGPU. (Being written.) */
import { KernelError } from '../errors.js';
import type { ConvOptions } from '../spatial.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function conv(_runner: Runner, _x: WebGpuArray, _w: WebGpuArray, _options?: ConvOptions): WebGpuArray {
  throw new KernelError('conv', 'not written yet on webgpu');
}
export function convBackwardInput(
  _runner: Runner,
  _dy: WebGpuArray,
  _w: WebGpuArray,
  _xShape: readonly number[],
  _options?: ConvOptions,
): WebGpuArray {
  throw new KernelError('convBackwardInput', 'not written yet on webgpu');
}
export function convBackwardFilter(
  _runner: Runner,
  _x: WebGpuArray,
  _dy: WebGpuArray,
  _wShape: readonly number[],
  _options?: ConvOptions,
): WebGpuArray {
  throw new KernelError('convBackwardFilter', 'not written yet on webgpu');
}
