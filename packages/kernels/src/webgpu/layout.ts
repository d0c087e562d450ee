/** Layout kernels on WebGPU: transpose, broadcastTo, slice, concat, pad (copies). (Being written.) */
import { KernelError } from '../errors.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function transpose(_runner: Runner, _x: WebGpuArray, _perm: readonly number[]): WebGpuArray {
  throw new KernelError('transpose', 'not written yet on webgpu');
}
export function broadcastTo(_runner: Runner, _x: WebGpuArray, _shape: readonly number[]): WebGpuArray {
  throw new KernelError('broadcastTo', 'not written yet on webgpu');
}
export function slice(
  _runner: Runner,
  _x: WebGpuArray,
  _start: readonly number[],
  _limit: readonly number[],
  _strides?: readonly number[],
): WebGpuArray {
  throw new KernelError('slice', 'not written yet on webgpu');
}
export function concat(_runner: Runner, _xs: readonly WebGpuArray[], _axis: number): WebGpuArray {
  throw new KernelError('concat', 'not written yet on webgpu');
}
export function pad(
  _runner: Runner,
  _x: WebGpuArray,
  _lo: readonly number[],
  _hi: readonly number[],
  _value: number,
  _interior?: readonly number[],
): WebGpuArray {
  throw new KernelError('pad', 'not written yet on webgpu');
}
