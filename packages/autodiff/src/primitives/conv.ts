/**
 * The convolution primitives: `conv` and its two transposes, `convBackwardInput` (the gradient with
 * respect to the input, also the transposed convolution) and `convBackwardFilter`. Convolution is
 * bilinear, so each of the three is the transpose of the others in one argument, and their VJP rules
 * are written with the same three primitives: derivatives of any order work.
 */
import { resolveConv, type ConvGeometry } from '@equinox-ts/kernels';
import { TensorError, avalText, shapeText } from '../core/errors.js';
import { bind, definePrimitive, type Aval } from '../core/primitive.js';
import { kernelCheck, requireFloat32 } from './checks.js';
import type { Tensor } from '../tensor.js';

/** A convolution's options, resolved: one entry per spatial dimension, explicit padding. */
export interface ConvParams {
  readonly strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/** Checks shapes and options with the kernels' own rules, reporting them as a TensorError of `op`. */
export function convGeometry(
  op: string,
  xShape: readonly number[],
  wShape: readonly number[],
  params: ConvParams,
): ConvGeometry {
  return kernelCheck(op, () => resolveConv(op, xShape, wShape, params));
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** Throws unless `dy` has the shape conv gives for `xShape` and `wShape`. */
function requireOutputShape(op: string, dy: Aval, g: ConvGeometry): void {
  const expected = [g.batch, g.outChannels, ...g.outSpatial];
  if (!sameShape(dy.shape, expected)) {
    throw new TensorError(
      op,
      `\`dy\` must have the convolution's output shape ${shapeText(expected)}, found ${avalText(dy)}`,
    );
  }
}

const convP = definePrimitive<ConvParams>({
  name: 'conv',
  shape: ([x, w], params) => {
    requireFloat32('conv', 'x', x!);
    requireFloat32('conv', 'w', w!);
    const g = convGeometry('conv', x!.shape, w!.shape, params);
    return { shape: [g.batch, g.outChannels, ...g.outSpatial], dtype: 'float32' };
  },
  impl: (backend, [x, w], params) => backend.conv(x!, w!, params),
  vjp: (ct, [x, w], _y, params, needed) => [
    needed[0] ? convBackwardInput(ct, w!, x!.shape, params) : null,
    needed[1] ? convBackwardFilter(x!, ct, w!.shape, params) : null,
  ],
});

/** Convolution (cross-correlation) of `x: [N, C_in, ...spatial]` with `w: [C_out, C_in / groups, ...kernel]`. */
export function conv(x: Tensor, w: Tensor, params: ConvParams): Tensor {
  return bind(convP, [x, w], params);
}

interface BackwardInputParams extends ConvParams {
  readonly xShape: readonly number[];
}

const convBackwardInputP = definePrimitive<BackwardInputParams>({
  name: 'convBackwardInput',
  shape: ([dy, w], params) => {
    requireFloat32('convBackwardInput', 'dy', dy!);
    requireFloat32('convBackwardInput', 'w', w!);
    requireOutputShape(
      'convBackwardInput',
      dy!,
      convGeometry('convBackwardInput', params.xShape, w!.shape, params),
    );
    return { shape: params.xShape, dtype: 'float32' };
  },
  impl: (backend, [dy, w], params) => backend.convBackwardInput(dy!, w!, params.xShape, params),
  // <convBackwardInput(dy, w), g> = <dy, conv(g, w)> = <w, convBackwardFilter(g, dy)>.
  vjp: (ct, [dy, w], _y, params, needed) => [
    needed[0] ? conv(ct, w!, params) : null,
    needed[1] ? convBackwardFilter(ct, dy!, w!.shape, params) : null,
  ],
});

/**
 * The transpose of {@link conv} in its input: given `dy` shaped like conv's output and `w`, a tensor of
 * `xShape`. Also the transposed convolution.
 */
export function convBackwardInput(
  dy: Tensor,
  w: Tensor,
  xShape: readonly number[],
  params: ConvParams,
): Tensor {
  return bind(convBackwardInputP, [dy, w], { ...params, xShape });
}

interface BackwardFilterParams extends ConvParams {
  readonly wShape: readonly number[];
}

const convBackwardFilterP = definePrimitive<BackwardFilterParams>({
  name: 'convBackwardFilter',
  shape: ([x, dy], params) => {
    requireFloat32('convBackwardFilter', 'x', x!);
    requireFloat32('convBackwardFilter', 'dy', dy!);
    requireOutputShape(
      'convBackwardFilter',
      dy!,
      convGeometry('convBackwardFilter', x!.shape, params.wShape, params),
    );
    return { shape: params.wShape, dtype: 'float32' };
  },
  impl: (backend, [x, dy], params) => backend.convBackwardFilter(x!, dy!, params.wShape, params),
  // <convBackwardFilter(x, dy), g> = <dy, conv(x, g)> = <x, convBackwardInput(dy, g)>.
  vjp: (ct, [x, dy], _y, params, needed) => [
    needed[0] ? convBackwardInput(dy!, ct, x!.shape, params) : null,
    needed[1] ? conv(x!, ct, params) : null,
  ],
});

/** The transpose of {@link conv} in its filter: given `x` and `dy` shaped like conv's output, a tensor of `wShape`. */
export function convBackwardFilter(
  x: Tensor,
  dy: Tensor,
  wShape: readonly number[],
  params: ConvParams,
): Tensor {
  return bind(convBackwardFilterP, [x, dy], { ...params, wShape });
}
