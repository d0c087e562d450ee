/** Pooling on WebGPU. (Being written.) */
import type { PoolOp } from '../backend.js';
import { KernelError } from '../errors.js';
import type { PoolOptions } from '../spatial.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function pool(_runner: Runner, _op: PoolOp, _x: WebGpuArray, _options: PoolOptions): WebGpuArray {
  throw new KernelError('pool', 'not written yet on webgpu');
}
export function poolBackward(
  _runner: Runner,
  _op: PoolOp,
  _dy: WebGpuArray,
  _x: WebGpuArray,
  _options: PoolOptions,
): WebGpuArray {
  throw new KernelError('poolBackward', 'not written yet on webgpu');
}
