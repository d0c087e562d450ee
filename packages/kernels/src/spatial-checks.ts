/** Argument checks shared by every backend's convolution and pooling kernels. */
import type { PoolOp } from './backend.js';
import type { DType } from './dtype.js';
import { KernelError, shapeText, valueText } from './errors.js';
import { checkShape } from './shape.js';
import { resolveConv, type ConvGeometry, type ConvOptions } from './spatial.js';

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

type Operand = { dtype: DType; shape: readonly number[] };

/** The checks every backend's `conv` makes, then the geometry of the convolution. */
export function checkConv(x: Operand, w: Operand, options?: ConvOptions): ConvGeometry {
  checkFloat32('conv', 'x', x);
  checkFloat32('conv', 'w', w);
  return resolveConv('conv', x.shape, w.shape, options);
}

/** The checks every backend's `convBackwardInput` makes, then the forward convolution's geometry. */
export function checkConvBackwardInput(
  dy: Operand,
  w: Operand,
  xShape: readonly number[],
  options?: ConvOptions,
): ConvGeometry {
  const kernel = 'convBackwardInput';
  checkFloat32(kernel, 'dy', dy);
  checkFloat32(kernel, 'w', w);
  checkShape(kernel, 'xShape', xShape);
  const geometry = resolveConv(kernel, xShape, w.shape, options);
  checkGradShape(kernel, dy, [geometry.batch, geometry.outChannels, ...geometry.outSpatial]);
  return geometry;
}

/** The checks every backend's `convBackwardFilter` makes, then the forward convolution's geometry. */
export function checkConvBackwardFilter(
  x: Operand,
  dy: Operand,
  wShape: readonly number[],
  options?: ConvOptions,
): ConvGeometry {
  const kernel = 'convBackwardFilter';
  checkFloat32(kernel, 'x', x);
  checkFloat32(kernel, 'dy', dy);
  checkShape(kernel, 'wShape', wShape);
  const geometry = resolveConv(kernel, x.shape, wShape, options);
  checkGradShape(kernel, dy, [geometry.batch, geometry.outChannels, ...geometry.outSpatial]);
  return geometry;
}
