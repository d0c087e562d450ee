/** `ConvTranspose` and `ConvTranspose1d/2d/3d`: transposed convolutions, as `eqx.nn.ConvTranspose`. */
import { type Tensor, TensorError, lax, numpy } from '@equinox-ts/autodiff';
import { initKey } from './checks.js';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import {
  type ConvPaddingMode,
  type ResolvedPadding,
  checkChannels,
  checkConvInput,
  checkSpatialDims,
  initConvParameters,
  perDimension,
  resolvePaddingArgument,
  resolvePaddingMode,
} from './conv-args.js';
import type { ConvOptions } from './conv.js';

/**
 * Options of {@link ConvTranspose} (and of `ConvTranspose1d/2d/3d`): those of the {@link Conv} it
 * transposes, plus `outputPadding`.
 *
 * @example
 * ```ts
 * const options: ConvTransposeOptions = { key: random.key(0), stride: 2, outputPadding: 1 };
 * new ConvTranspose1d(1, 1, 3, options).call(numpy.ones([1, 4])).shape; // [1, 10]
 * ```
 */
export interface ConvTransposeOptions extends ConvOptions {
  /**
   * Extra size for the output, where the strided {@link Conv} maps several input sizes to one output
   * size: one integer or one per spatial dimension, each less than its stride. Default 0.
   */
  outputPadding?: number | readonly number[];
}

/**
 * A general n-dimensional transposed convolution on one channels-first example (Equinox's
 * `eqx.nn.ConvTranspose`): it goes from the shape of a {@link Conv}'s output back to the shape of its
 * input, with the same connectivity.
 *
 * - `numSpatialDims`: 1, 2 or 3.
 * - `inChannels`, `outChannels`: channel counts of input and output.
 * - `kernelSize`: the kernel's size, one integer or one per spatial dimension.
 * - `stride`, `padding`, `dilation`, `groups`: those of the equivalent {@link Conv} (a Conv with
 *   `inChannels` and `outChannels` swapped); see {@link ConvOptions}.
 * - `outputPadding`: see {@link ConvTransposeOptions}. With `'SAME'`/`'SAME_LOWER'` padding it moves
 *   padding between the sides, as in Equinox.
 * - `useBias`, `key`: as for {@link Conv}.
 * - `paddingMode`: `'ZEROS'`, or `'CIRCULAR'` (the extra connectivity of a circularly padded Conv),
 *   which needs `'SAME'`/`'SAME_LOWER'` padding and no `outputPadding`. `'REFLECT'` and `'REPLICATE'`
 *   are not supported, as in Equinox.
 *
 * Weight `[outChannels, inChannels / groups, ...kernelSize]` and bias `[outChannels, 1, ..., 1]` are
 * uniform in `[-1/sqrt(fanIn), 1/sqrt(fanIn)]`, `fanIn = inChannels / groups * prod(kernelSize)`, as
 * in Equinox. The weight is applied as it is (not flipped): to get the exact transpose of a `Conv`
 * with weight `w` (one group), use `numpy.swapaxes(numpy.flip(w, spatial axes), 0, 1)`.
 *
 * `call(x)` takes `[inChannels, ...spatial]` and returns `[outChannels, ...outSpatial]` with
 * `outSpatial = (size - 1) * stride - padLow - padHigh + dilation * (kernel - 1) + outputPadding + 1`
 * (for `'SAME'`: `size * stride`, less `outputPadding` where `dilation * (kernel - 1) + 1 +
 * outputPadding < stride`, as in Equinox).
 *
 * @example
 * ```ts
 * const up = new ConvTranspose(2, 8, 3, [3, 3], { key: random.key(0), stride: 2, padding: 1, outputPadding: 1 });
 * up.weight.shape; // [3, 8, 3, 3]
 * up.call(numpy.ones([8, 4, 4])).shape; // [3, 8, 8]
 * vmap(up.call)(numpy.ones([2, 8, 4, 4])).shape; // [2, 3, 8, 8]
 * ```
 */
export class ConvTranspose extends Module {
  weight: Tensor;
  bias: Tensor | null;
  numSpatialDims: number = field({ static: true });
  inChannels: number = field({ static: true });
  outChannels: number = field({ static: true });
  kernelSize: readonly number[] = field({ static: true });
  stride: readonly number[] = field({ static: true });
  padding: ResolvedPadding = field({ static: true });
  outputPadding: readonly number[] = field({ static: true });
  dilation: readonly number[] = field({ static: true });
  groups: number = field({ static: true });
  useBias: boolean = field({ static: true });
  paddingMode: 'ZEROS' | 'CIRCULAR' = field({ static: true });

  constructor(
    numSpatialDims: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeOptions,
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
    this.outputPadding = perDimension(name, 'outputPadding', options.outputPadding ?? 0, n, 0);
    if (this.outputPadding.some((a, d) => a >= this.stride[d]!)) {
      throw new TensorError(
        name,
        `\`outputPadding\` must be less than \`stride\` in every dimension, found outputPadding ${JSON.stringify(this.outputPadding)} and stride ${JSON.stringify(this.stride)}`,
      );
    }
    this.padding = resolvePaddingArgument(name, options.padding ?? 0, n);
    this.paddingMode = checkTransposeMode(
      name,
      options.paddingMode,
      this.padding,
      this.outputPadding,
    );
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

  /** Applies the transposed convolution: `[inChannels, ...spatial]` to `[outChannels, ...outSpatial]`. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    checkConvInput(this.constructor.name, x, this.inChannels, this.numSpatialDims);
    let input = x;
    let pads = this.transposedPadding();
    if (this.paddingMode === 'CIRCULAR') {
      // Whole strides of padding become wrapped input elements; the rest stays zeros.
      const wrapped = pads.map(([lo, hi], d) => [
        Math.floor(lo / this.stride[d]!),
        Math.floor(hi / this.stride[d]!),
      ]);
      input = numpy.pad(x, [[0, 0], ...wrapped], { mode: 'wrap' });
      pads = pads.map(([lo, hi], d) => [lo % this.stride[d]!, hi % this.stride[d]!]);
    }
    const y = lax.convGeneralDilated(
      numpy.expandDims(input, 0),
      this.weight,
      this.stride.map(() => 1),
      pads,
      { lhsDilation: this.stride, rhsDilation: this.dilation, featureGroupCount: this.groups },
    );
    const out = numpy.squeeze(y, 0);
    return this.bias === null ? out : out.add(this.bias);
  }

  /** The padding of the stride-dilated input (Relationship 14 of Dumoulin and Visin's guide). */
  private transposedPadding(): [number, number][] {
    return this.kernelSize.map((k, d) => {
      const span = this.dilation[d]! * (k - 1);
      let extra = this.outputPadding[d]!;
      let [low, high] = [0, 0];
      if (Array.isArray(this.padding)) {
        [low, high] = this.padding[d]!;
      } else if (this.padding !== 'VALID') {
        // The total padding of the equivalent SAME convolution whose input this output matches.
        let total = span - this.stride[d]! + extra + 1;
        if (total < 0) [extra, total] = [-total, 0];
        low = Math.floor((total + (this.padding === 'SAME_LOWER' ? 1 : 0)) / 2);
        high = total - low;
      }
      return [span - low, span - high + extra];
    });
  }
}

/** The padding mode a ConvTranspose supports with these arguments, as Equinox restricts it. */
function checkTransposeMode(
  layer: string,
  mode: ConvPaddingMode | undefined,
  padding: ResolvedPadding,
  outputPadding: readonly number[],
): 'ZEROS' | 'CIRCULAR' {
  const resolved = resolvePaddingMode(layer, mode ?? 'ZEROS');
  if (resolved === 'REFLECT' || resolved === 'REPLICATE') {
    throw new TensorError(
      layer,
      `\`paddingMode\` '${resolved}' is not supported by transposed convolutions (as in Equinox): use 'ZEROS' or 'CIRCULAR'`,
    );
  }
  if (resolved === 'CIRCULAR') {
    if (outputPadding.some((a) => a !== 0)) {
      throw new TensorError(
        layer,
        `\`paddingMode\` 'CIRCULAR' needs \`outputPadding\` 0, found ${JSON.stringify(outputPadding)}`,
      );
    }
    if (padding !== 'SAME' && padding !== 'SAME_LOWER') {
      throw new TensorError(
        layer,
        `\`paddingMode\` 'CIRCULAR' needs \`padding\` 'SAME' or 'SAME_LOWER', found ${JSON.stringify(padding)}`,
      );
    }
  }
  return resolved;
}

/**
 * {@link ConvTranspose} with one spatial dimension (Equinox's `eqx.nn.ConvTranspose1d`).
 *
 * @example
 * ```ts
 * const up = new ConvTranspose1d(4, 2, 3, { key: random.key(0), stride: 2 });
 * up.call(numpy.ones([4, 4])).shape; // [2, 9]
 * ```
 */
export class ConvTranspose1d extends ConvTranspose {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeOptions,
  ) {
    super(1, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * {@link ConvTranspose} with two spatial dimensions (Equinox's `eqx.nn.ConvTranspose2d`).
 *
 * @example
 * ```ts
 * const up = new ConvTranspose2d(2, 2, 3, { key: random.key(0), stride: 2, padding: 'SAME' });
 * up.call(numpy.ones([2, 3, 4])).shape; // [2, 6, 8]
 * ```
 */
export class ConvTranspose2d extends ConvTranspose {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeOptions,
  ) {
    super(2, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * {@link ConvTranspose} with three spatial dimensions (Equinox's `eqx.nn.ConvTranspose3d`).
 *
 * @example
 * ```ts
 * const up = new ConvTranspose3d(1, 1, 2, { key: random.key(0), stride: [1, 2, 1] });
 * up.call(numpy.ones([1, 2, 2, 2])).shape; // [1, 3, 4, 3]
 * ```
 */
export class ConvTranspose3d extends ConvTranspose {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeOptions,
  ) {
    super(3, inChannels, outChannels, kernelSize, options);
  }
}
