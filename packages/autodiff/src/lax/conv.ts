/** `lax.convGeneralDilated` and its short forms `lax.conv` and `lax.convWithGeneralPadding`. */
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { conv as convP } from '../primitives/conv.js';
import { cast } from '../primitives/elementwise.js';
import { pad, slice, transpose } from '../primitives/layout.js';
import { asarrayFor, type ArrayLike } from '../numpy/convert.js';
import {
  convPermutations,
  inversePermutation,
  type ConvDimensionNumbers,
} from './dimension-numbers.js';
import { intList, resolvePadding, type Padding } from './padding.js';

/**
 * Options of {@link convGeneralDilated}.
 *
 * @example
 * ```ts
 * const options: lax.ConvGeneralDilatedOptions = { rhsDilation: [2], featureGroupCount: 1 };
 * ```
 */
export interface ConvGeneralDilatedOptions {
  /**
   * Spacing of the input's elements: `lhsDilation[d] - 1` zeros go between neighbours along spatial
   * dimension `d` before the convolution (a transposed convolution). Default 1 everywhere. Needs
   * explicit padding, as in JAX.
   */
  lhsDilation?: readonly number[];
  /** Spacing of the filter's taps (atrous convolution). Default 1 everywhere. */
  rhsDilation?: readonly number[];
  /** The operands' layouts; channel-first (`['NCHW', 'OIHW', 'NCHW']` in 2-D) by default. */
  dimensionNumbers?: ConvDimensionNumbers | null;
  /** Split the features into this many independent groups (depthwise: as many as input features). Default 1. */
  featureGroupCount?: number;
}

/**
 * General n-dimensional convolution (cross-correlation, as in every deep learning library), with
 * JAX's arguments: `lhs` is the input `[N, C, ...spatial]` and `rhs` the filters `[O, C / groups,
 * ...kernel]` (other layouts through `dimensionNumbers`), with 1 to 3 spatial dimensions. The output
 * is `[N, O, ...outSpatial]`. Integer operands are converted to float32. Differentiable to any order
 * in both operands.
 *
 * @param windowStrides - step between windows, one per spatial dimension.
 * @param padding - `'SAME'`, `'SAME_LOWER'`, `'VALID'` or `[low, high]` pairs (negative values crop).
 *
 * @example
 * ```ts
 * const x = numpy.array([[[1, 2, 3, 4]]]); // [N=1, C=1, W=4]
 * const w = numpy.array([[[1, -1]]]); // [O=1, I=1, K=2]
 * lax.convGeneralDilated(x, w, [1], 'VALID').tolist(); // [[[-1, -1, -1]]]
 * lax.convGeneralDilated(x, w, [2], [[1, 0]]).tolist(); // [[[-1, -1]]]
 * // A transposed convolution: zeros between the input's elements.
 * lax.convGeneralDilated(x, numpy.ones([1, 1, 1]), [1], [[0, 0]], { lhsDilation: [2] }).tolist(); // [[[1, 0, 2, 0, 3, 0, 4]]]
 * ```
 */
export function convGeneralDilated(
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: readonly number[],
  padding: Padding,
  options: ConvGeneralDilatedOptions = {},
): Tensor {
  return convNamed('convGeneralDilated', lhs, rhs, windowStrides, padding, options);
}

/** {@link convGeneralDilated}, with errors naming `op` (`conv`, `convWithGeneralPadding`...). */
function convNamed(
  op: string,
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: readonly number[],
  padding: Padding,
  options: ConvGeneralDilatedOptions,
): Tensor {
  const x0 = cast(asarrayFor(op, lhs), 'float32');
  const w0 = cast(asarrayFor(op, rhs), 'float32');
  if (x0.ndim < 3 || x0.ndim > 5) {
    throw new TensorError(
      op,
      `\`lhs\` must have rank 3 to 5 (batch, feature and 1 to 3 spatial dimensions), found ${avalText(x0)}`,
    );
  }
  if (w0.ndim !== x0.ndim) {
    throw new TensorError(
      op,
      `\`rhs\` must have the rank of \`lhs\` (${x0.ndim}), found ${avalText(w0)} for lhs ${avalText(x0)}`,
    );
  }
  const perms = convPermutations(op, options.dimensionNumbers, x0.ndim);
  let x = transpose(x0, perms.lhs);
  const w = transpose(w0, perms.rhs);
  const n = x.ndim - 2;
  const strides = intList(op, 'windowStrides', windowStrides, n, 1, 1);
  const lhsDilation = intList(op, 'lhsDilation', options.lhsDilation, n, 1, 1);
  const rhsDilation = intList(op, 'rhsDilation', options.rhsDilation, n, 1, 1);
  const groups = options.featureGroupCount ?? 1;
  checkFeatures(op, x, w, groups);
  if (typeof padding === 'string' && lhsDilation.some((d) => d !== 1)) {
    throw new TensorError(
      op,
      `string padding ('${padding}') is not supported with lhsDilation ${JSON.stringify(lhsDilation)}, as in JAX: give [low, high] pairs`,
    );
  }
  const window = w.shape.slice(2).map((k, d) => (k - 1) * rhsDilation[d]! + 1);
  const pads = resolvePadding(op, padding, x.shape.slice(2), window, strides);
  if (lhsDilation.some((d) => d > 1)) {
    const zeros = x.shape.map(() => 0);
    x = pad(x, zeros, zeros, 0, [0, 0, ...lhsDilation.map((d) => d - 1)]);
  }
  x = cropNegativePadding(op, x, pads);
  const y = convP(x, w, {
    strides,
    padding: pads.map(([lo, hi]) => [Math.max(lo, 0), Math.max(hi, 0)] as const),
    dilation: rhsDilation,
    groups,
  });
  return transpose(y, inversePermutation(perms.out));
}

/** Throws unless the filter's features fit the input's and the group count. */
function checkFeatures(op: string, x: Tensor, w: Tensor, groups: number): void {
  const [inFeatures, outFeatures, filterIn] = [x.shape[1]!, w.shape[0]!, w.shape[1]!];
  if (!Number.isInteger(groups) || groups < 1) {
    throw new TensorError(
      op,
      `\`featureGroupCount\` must be a positive integer, found ${String(groups)}`,
    );
  }
  if (inFeatures % groups !== 0 || outFeatures % groups !== 0) {
    throw new TensorError(
      op,
      `\`featureGroupCount\` (${groups}) must divide the input features (${inFeatures}) and the filter's output features (${outFeatures})`,
    );
  }
  if (filterIn * groups !== inFeatures) {
    throw new TensorError(
      op,
      `the filter's input features must be ${inFeatures / groups} (input features ${inFeatures} / featureGroupCount ${groups}), found ${filterIn}`,
    );
  }
}

/** Crops the spatial dimensions where padding is negative (JAX allows that; the primitive does not). */
function cropNegativePadding(
  op: string,
  x: Tensor,
  pads: readonly (readonly [number, number])[],
): Tensor {
  if (pads.every(([lo, hi]) => lo >= 0 && hi >= 0)) return x;
  const start = x.shape.map((_, d) => (d < 2 ? 0 : Math.max(-pads[d - 2]![0], 0)));
  const limit = x.shape.map((size, d) => (d < 2 ? size : size - Math.max(-pads[d - 2]![1], 0)));
  if (limit.some((l, d) => l < start[d]!)) {
    throw new TensorError(
      op,
      `negative padding ${JSON.stringify(pads)} crops more than the (dilated) input's spatial size ${JSON.stringify(x.shape.slice(2))}`,
    );
  }
  return slice(x, start, limit);
}

/**
 * `convGeneralDilated` with explicit padding and dilations given positionally, as JAX's
 * `lax.conv_with_general_padding`.
 *
 * @example
 * ```ts
 * const x = numpy.array([[[1, 2, 3]]]);
 * lax.convWithGeneralPadding(x, numpy.array([[[1, 1]]]), [1], [[1, 1]], null, null).tolist(); // [[[1, 3, 5, 3]]]
 * ```
 */
export function convWithGeneralPadding(
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: readonly number[],
  padding: Padding,
  lhsDilation?: readonly number[] | null,
  rhsDilation?: readonly number[] | null,
): Tensor {
  return convNamed('convWithGeneralPadding', lhs, rhs, windowStrides, padding, {
    ...(lhsDilation && { lhsDilation }),
    ...(rhsDilation && { rhsDilation }),
  });
}

/**
 * The short form of {@link convGeneralDilated}: channel-first operands, no dilation, one group.
 *
 * @example
 * ```ts
 * const image = numpy.ones([1, 1, 3, 3]); // [N, C, H, W]
 * const filter = numpy.ones([2, 1, 2, 2]); // [O, I, KH, KW]
 * lax.conv(image, filter, [1, 1], 'VALID').tolist(); // [[[[4, 4], [4, 4]], [[4, 4], [4, 4]]]]
 * lax.conv(image, filter, [1, 1], 'SAME').shape; // [1, 2, 3, 3]
 * ```
 */
export function conv(
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: readonly number[],
  padding: Padding,
): Tensor {
  return convNamed('conv', lhs, rhs, windowStrides, padding, {});
}
