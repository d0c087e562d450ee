// PLACEHOLDER (being written)
import type { CpuArray } from './array.js';
const todo = (...args: unknown[]): never => {
  void args;
  throw new Error('not written yet');
};
type S = readonly number[];
export const reshape = (x: CpuArray, s: S): CpuArray => todo(x, s);
export const transpose = (x: CpuArray, p: S): CpuArray => todo(x, p);
export const broadcastTo = (x: CpuArray, s: S): CpuArray => todo(x, s);
export const slice = (x: CpuArray, a: S, b: S, c?: S): CpuArray => todo(x, a, b, c);
export const concat = (xs: CpuArray[], axis: number): CpuArray => todo(xs, axis);
export const pad = (x: CpuArray, lo: S, hi: S, v: number, i?: S): CpuArray => todo(x, lo, hi, v, i);
