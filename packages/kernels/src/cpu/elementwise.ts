// PLACEHOLDER (being written)
import type { Backend } from '../backend.js';
import type { DType } from '../dtype.js';
import type { BinaryOp, UnaryOp } from '../ops.js';
import type { CpuArray } from './array.js';
const todo = (...args: unknown[]): never => {
  void args;
  throw new Error('not written yet');
};
export const unary = (op: UnaryOp, x: CpuArray): CpuArray => todo(op, x);
export const binary = (op: BinaryOp, a: CpuArray, b: CpuArray): CpuArray => todo(op, a, b);
export const where = (c: CpuArray, a: CpuArray, b: CpuArray): CpuArray => todo(c, a, b);
export const cast = (x: CpuArray, d: DType): CpuArray => todo(x, d);
export const bitcast = (x: CpuArray, d: 'float32' | 'int32'): CpuArray => todo(x, d);
export const full = (be: Backend, s: readonly number[], v: number, d: DType): CpuArray => todo(be, s, v, d);
export const iota = (be: Backend, s: readonly number[], a: number, d: DType): CpuArray => todo(be, s, a, d);
