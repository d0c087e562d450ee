/**
 * Argument checks of the reduction and sorting kernels (reduce, argReduce, cumsum, argsort), shared by
 * every backend so that each accepts the same arguments and reports the same errors.
 */
import type { DType } from './dtype.js';
import { KernelError, valueText } from './errors.js';

/** Throws unless `op` is one of `ops`. */
export function checkOp(kernel: string, op: unknown, ops: readonly string[]): void {
  if (typeof op !== 'string' || !ops.includes(op)) {
    throw new KernelError(
      kernel,
      `\`op\` must be one of ${ops.join(', ')}, found ${valueText(op)}`,
    );
  }
}

/** Throws if `x` is bool: these kernels order or add numbers. */
export function checkNumeric(kernel: string, x: { readonly dtype: DType }): void {
  if (x.dtype === 'bool') {
    throw new KernelError(
      kernel,
      '`x` must have dtype float32 or int32, found bool (cast it first)',
    );
  }
}
