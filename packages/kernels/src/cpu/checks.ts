/** Argument checks shared by the convolution and pooling kernels. */
import { KernelError, shapeText } from '../errors.js';
import type { CpuArray } from './array.js';

/** Throws unless `x` holds float32 elements. */
export function checkFloat32(kernel: string, argument: string, x: CpuArray): void {
  if (x.dtype !== 'float32') {
    throw new KernelError(kernel, `\`${argument}\` must be float32, found ${x.dtype}`);
  }
}

/** Throws unless `dy` has the shape of the forward kernel's output. */
export function checkGradShape(kernel: string, dy: CpuArray, expected: readonly number[]): void {
  const same = dy.shape.length === expected.length && dy.shape.every((d, i) => d === expected[i]);
  if (!same) {
    throw new KernelError(
      kernel,
      `\`dy\` must have the forward output's shape ${shapeText(expected)}, found ${shapeText(dy.shape)}`,
    );
  }
}
