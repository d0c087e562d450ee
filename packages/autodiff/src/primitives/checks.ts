/** Argument checks shared by the primitives' shape rules. */
import { KernelError } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import type { Aval } from '../core/primitive.js';

/** Throws unless `aval` is float32, naming `op` and `argument`. */
export function requireFloat32(op: string, argument: string, aval: Aval): void {
  if (aval.dtype !== 'float32') {
    throw new TensorError(op, `\`${argument}\` must be float32, found ${avalText(aval)}`);
  }
}

/** Runs one of the kernels' argument checks, reporting its KernelError as a TensorError of `op`. */
export function kernelCheck<T>(op: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof KernelError) throw new TensorError(op, e.message.slice(e.kernel.length + 2));
    throw e;
  }
}
