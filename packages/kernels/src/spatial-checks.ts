/** Argument checks shared by every backend's convolution and pooling kernels. */
import type { PoolOp } from './backend.js';
import type { DType } from './dtype.js';
import { KernelError, shapeText, valueText } from './errors.js';

/** Throws unless `x` holds float32 elements. */
export function checkFloat32(kernel: string, argument: string, x: { dtype: DType }): void {
  if (x.dtype !== 'float32') {
    throw new KernelError(kernel, `\`${argument}\` must be float32, found ${x.dtype}`);
  }
}

/** Throws unless `dy` has the shape of the forward kernel's output. */
export function checkGradShape(
  kernel: string,
  dy: { shape: readonly number[] },
  expected: readonly number[],
): void {
  const same = dy.shape.length === expected.length && dy.shape.every((d, i) => d === expected[i]);
  if (!same) {
    throw new KernelError(
      kernel,
      `\`dy\` must have the forward output's shape ${shapeText(expected)}, found ${shapeText(dy.shape)}`,
    );
  }
}

/** Throws unless `op` is a pooling op. */
export function checkPoolOp(kernel: string, op: unknown): asserts op is PoolOp {
  if (op !== 'max' && op !== 'avg') {
    throw new KernelError(kernel, `\`op\` must be 'max' or 'avg', found ${valueText(op)}`);
  }
}
