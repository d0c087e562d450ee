/** Reductions on WebGPU: reduce, argReduce, cumsum. (Being written.) */
import type { ArgReduceOp, ReduceOp } from '../backend.js';
import { KernelError } from '../errors.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';

export function reduce(_runner: Runner, _op: ReduceOp, _x: WebGpuArray, _axes: readonly number[]): WebGpuArray {
  throw new KernelError('reduce', 'not written yet on webgpu');
}
export function argReduce(_runner: Runner, _op: ArgReduceOp, _x: WebGpuArray, _axis: number): WebGpuArray {
  throw new KernelError('argReduce', 'not written yet on webgpu');
}
export function cumsum(_runner: Runner, _x: WebGpuArray, _axis: number, _reverse: boolean): WebGpuArray {
  throw new KernelError('cumsum', 'not written yet on webgpu');
}
