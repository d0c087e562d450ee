// PLACEHOLDER (being written)
import type { CpuArray } from './array.js';
const todo = (...args: unknown[]): never => {
  void args;
  throw new Error('not written yet');
};
export const gather = (x: CpuArray, i: CpuArray, axis: number): CpuArray => todo(x, i, axis);
export const scatterAdd = (u: CpuArray, i: CpuArray, axis: number, size: number): CpuArray =>
  todo(u, i, axis, size);
