// PLACEHOLDER (being written)
import type { ArgReduceOp, ReduceOp } from '../backend.js';
import type { CpuArray } from './array.js';
const todo = (...args: unknown[]): never => {
  void args;
  throw new Error('not written yet');
};
export const reduce = (op: ReduceOp, x: CpuArray, axes: readonly number[]): CpuArray => todo(op, x, axes);
export const argReduce = (op: ArgReduceOp, x: CpuArray, axis: number): CpuArray => todo(op, x, axis);
export const cumsum = (x: CpuArray, axis: number, reverse: boolean): CpuArray => todo(x, axis, reverse);
