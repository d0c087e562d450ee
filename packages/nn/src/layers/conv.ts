/** `Conv` and `Conv1d`/`Conv2d`/`Conv3d`: n-dimensional convolutions, as `eqx.nn.Conv`. */
import { type Tensor, TensorError, lax, numpy } from '@equinox-ts/autodiff';
import { initKey } from './checks.js';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import {
  type ConvPadding,
  type ConvPaddingMode,
  type ResolvedPadding,
  checkChannels,
  checkConvInput,
  checkSpatialDims,
  initConvParameters,
  perDimension,
  resolvePaddingArgument,
  resolvePaddingMode,
  stringPads,
} from './conv-args.js';

/**
 * Options of {@link Conv} (and of `Conv1d`, `Conv2d`, `Conv3d`).
 *
 * @example
 * ```ts
 * const options: ConvOptions = { key: random.key(0), stride: 2, padding: 'SAME' };
 * new Conv2d(1, 4, 3, options).call(numpy.ones([1, 5, 5])).shape; // [4, 3, 3]
 * ```
 */
export interface ConvOptions {
  /** The random key the weight and bias are drawn from. */
  key: Tensor;
  /** Step between windows: one integer, or one per spatial dimension. Default 1. */
  stride?: number | readonly number[];
  /** See {@link ConvPadding}. Default 0. */
  padding?: ConvPadding;
  /** Spacing between the kernel's taps: one integer, or one per spatial dimension. Default 1. */
  dilation?: number | readonly number[];
  /** Independent channel groups; must divide `inChannels` and `outChannels`. Default 1. */
  groups?: number;
  /** Whether to add a bias. Default `true`. */
  useBias?: boolean;
  /** What the padding is filled with, see {@link ConvPaddingMode}. Default `'ZEROS'`. */
  paddingMode?: ConvPaddingMode;
}

const NUMPY_MODES = { REFLECT: 'reflect', REPLICATE: 'edge', CIRCULAR: 'wrap' } as const;

/**
 * A general n-dimensional convolution (cross-correlation) on one channels-first example (Equinox's
 * `eqx.nn.Conv`).
 *
 * - `numSpatialDims`: 1, 2 or 3.
 * - `inChannels`, `outChannels`: channel counts of input and output.
 * - `kernelSize`: the kernel's size, one integer or one per spatial dimension.
 * - `stride`, `padding`, `dilation`, `groups`, `useBias`, `paddingMode`, `key`: see
 *   {@link ConvOptions}. With `groups = g` the layer is `g` convolutions side by side, each seeing
 *   `inChannels / g` input channels and making `outChannels / g` output channels. A `paddingMode`
 *   other than `'ZEROS'` pads the input explicitly (as `numpy.pad`), then convolves without padding.
 *
 * Weight `[outChannels, inChannels / groups, ...kernelSize]` and bias `[outChannels, 1, ..., 1]` are
 * uniform in `[-1/sqrt(fanIn), 1/sqrt(fanIn)]`, `fanIn = inChannels / groups * prod(kernelSize)`.
 *
 * `call(x)` takes `[inChannels, ...spatial]` and returns `[outChannels, ...outSpatial]`, where each
 * `outSpatial = floor((size + padLow + padHigh - dilation * (kernel - 1) - 1) / stride) + 1`. Batch
 * with `vmap`.
 *
 * @example
 * ```ts
 * const conv = new Conv(2, 3, 8, [3, 3], { key: random.key(0), padding: 1 });
 * conv.weight.shape; // [8, 3, 3, 3]
 * conv.bias?.shape; // [8, 1, 1]
 * conv.call(numpy.ones([3, 6, 6])).shape; // [8, 6, 6]
 * vmap(conv.call)(numpy.ones([2, 3, 6, 6])).shape; // [2, 8, 6, 6]
 * ```
 */
export class Conv extends Module {
  weight: Tensor;
  bias: Tensor | null;
  numSpatialDims: number = field({ static: true });
  inChannels: number = field({ static: true });
  outChannels: number = field({ static: true });
  kernelSize: readonly number[] = field({ static: true });
  stride: readonly number[] = field({ static: true });
  padding: ResolvedPadding = field({ static: true });
  dilation: readonly number[] = field({ static: true });
  groups: number = field({ static: true });
  useBias: boolean = field({ static: true });
  paddingMode: Uppercase<ConvPaddingMode> = field({ static: true });

  constructor(
    numSpatialDims: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvOptions,
  ) {
    super();
    const name = new.target.name;
    const key = initKey(name, options);
    const n = checkSpatialDims(name, numSpatialDims);
    const groups = options.groups ?? 1;
    checkChannels(name, inChannels, outChannels, groups);
    this.kernelSize = perDimension(name, 'kernelSize', kernelSize, n, 1);
    this.stride = perDimension(name, 'stride', options.stride ?? 1, n, 1);
    this.dilation = perDimension(name, 'dilation', options.dilation ?? 1, n, 1);
    this.padding = resolvePaddingArgument(name, options.padding ?? 0, n);
    this.paddingMode = resolvePaddingMode(name, options.paddingMode ?? 'ZEROS');
    if (this.paddingMode !== 'ZEROS' && Array.isArray(this.padding)) {
      if (this.padding.some(([lo, hi]) => lo < 0 || hi < 0)) {
        throw new TensorError(
          name,
          `\`padding\` must be non-negative with paddingMode '${this.paddingMode}', found ${JSON.stringify(this.padding)}`,
        );
      }
    }
    this.useBias = options.useBias ?? true;
    const params = initConvParameters(
      key,
      outChannels,
      inChannels / groups,
      this.kernelSize,
      this.useBias,
    );
    this.weight = params.weight;
    this.bias = params.bias;
    this.numSpatialDims = n;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
  }

  /** Convolves one example: `[inChannels, ...spatial]` to `[outChannels, ...outSpatial]`. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    checkConvInput(this.constructor.name, x, this.inChannels, this.numSpatialDims);
    let input = x;
    let padding: lax.Padding = this.padding;
    if (this.paddingMode !== 'ZEROS') {
      input = numpy.pad(x, [[0, 0], ...this.explicitPadding(x)], {
        mode: NUMPY_MODES[this.paddingMode],
      });
      padding = 'VALID';
    }
    const y = lax.convGeneralDilated(
      numpy.expandDims(input, 0),
      this.weight,
      this.stride,
      padding,
      { rhsDilation: this.dilation, featureGroupCount: this.groups },
    );
    const out = numpy.squeeze(y, 0);
    return this.bias === null ? out : out.add(this.bias);
  }

  /** The `[low, high]` pairs of the padding for input `x` (strings resolved against its size). */
  private explicitPadding(x: Tensor): [number, number][] {
    if (Array.isArray(this.padding)) return this.padding;
    const window = this.kernelSize.map((k, d) => this.dilation[d]! * (k - 1) + 1);
    return stringPads(this.padding, x.shape.slice(1), window, this.stride);
  }
}

/**
 * {@link Conv} with one spatial dimension (Equinox's `eqx.nn.Conv1d`): `[inChannels, length]` to
 * `[outChannels, outLength]`.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(2, 4, 3, { key: random.key(0), stride: 2 });
 * conv.call(numpy.ones([2, 9])).shape; // [4, 4]
 * ```
 */
export class Conv1d extends Conv {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvOptions,
  ) {
    super(1, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * {@link Conv} with two spatial dimensions (Equinox's `eqx.nn.Conv2d`): `[inChannels, height, width]`
 * to `[outChannels, outHeight, outWidth]`.
 *
 * @example
 * ```ts
 * const conv = new Conv2d(3, 6, [3, 1], { key: random.key(0), groups: 3, padding: 'SAME' });
 * conv.weight.shape; // [6, 1, 3, 1]
 * conv.call(numpy.ones([3, 4, 5])).shape; // [6, 4, 5]
 * ```
 */
export class Conv2d extends Conv {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvOptions,
  ) {
    super(2, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * {@link Conv} with three spatial dimensions (Equinox's `eqx.nn.Conv3d`): `[inChannels, depth,
 * height, width]` to `[outChannels, outDepth, outHeight, outWidth]`.
 *
 * @example
 * ```ts
 * const conv = new Conv3d(1, 2, 2, { key: random.key(0), dilation: [1, 2, 1] });
 * conv.call(numpy.ones([1, 3, 4, 3])).shape; // [2, 2, 2, 2]
 * ```
 */
export class Conv3d extends Conv {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvOptions,
  ) {
    super(3, inChannels, outChannels, kernelSize, options);
  }
}
