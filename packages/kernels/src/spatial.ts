/** Options and output shapes of the sliding-window kernels: convolution and pooling. */
import { KernelError, shapeText, valueText } from './errors.js';

/**
 * Padding of the spatial dimensions: `'VALID'` (none), `'SAME'` (enough that the output has
 * `ceil(in / stride)` positions; an odd total puts the extra element after, as in JAX and TensorFlow), or
 * an explicit `[before, after]` pair per spatial dimension.
 *
 * @example
 * ```ts
 * const padding: Padding = [[1, 1], [0, 2]];
 * ```
 */
export type Padding = 'SAME' | 'VALID' | readonly (readonly [number, number])[];

/**
 * Options of the convolution kernels. Every list has one entry per spatial dimension.
 *
 * @example
 * ```ts
 * const options: ConvOptions = { strides: [2, 2], padding: 'SAME', dilation: [1, 1], groups: 1 };
 * ```
 */
export interface ConvOptions {
  /** Step between windows. Default 1 everywhere. */
  strides?: readonly number[];
  /** Default `'VALID'`. */
  padding?: Padding;
  /** Spacing between filter taps (atrous convolution). Default 1 everywhere. */
  dilation?: readonly number[];
  /** Split channels into this many independent groups; divides C_in and C_out. Default 1. */
  groups?: number;
}

/**
 * Options of the pooling kernels. Every list has one entry per spatial dimension.
 *
 * @example
 * ```ts
 * const options: PoolOptions = { window: [2, 2], strides: [2, 2], padding: 'VALID' };
 * ```
 */
export interface PoolOptions {
  /** Window size. */
  window: readonly number[];
  /** Step between windows. Default: the window size. */
  strides?: readonly number[];
  /** Default `'VALID'`. */
  padding?: Padding;
}

/**
 * A sliding-window computation with every option resolved: one entry per spatial dimension.
 *
 * @example
 * ```ts
 * resolveConv('conv', [1, 3, 8, 8], [4, 3, 3, 3], { padding: 'SAME' }).outSpatial; // [8, 8]
 * ```
 */
export interface WindowGeometry {
  /** Input spatial size. */
  inSpatial: number[];
  /** Window (filter) size, before dilation. */
  window: number[];
  strides: number[];
  dilation: number[];
  /** Padding before each spatial dimension. */
  padLo: number[];
  /** Padding after each spatial dimension. */
  padHi: number[];
  /** Output spatial size. */
  outSpatial: number[];
}

/**
 * A resolved convolution: the window geometry, plus batch, channels and groups.
 *
 * @example
 * ```ts
 * resolveConv('conv', [2, 4, 5], [6, 2, 3], { groups: 2 }).outChannels; // 6
 * ```
 */
export interface ConvGeometry extends WindowGeometry {
  batch: number;
  inChannels: number;
  outChannels: number;
  groups: number;
}

function positiveList(kernel: string, argument: string, value: unknown, n: number): number[] {
  if (value === undefined) return new Array<number>(n).fill(1);
  if (
    !Array.isArray(value) ||
    value.length !== n ||
    !value.every((v) => Number.isInteger(v) && v >= 1)
  ) {
    throw new KernelError(
      kernel,
      `\`${argument}\` must be ${n} positive integers (one per spatial dimension), found ${valueText(value)}`,
    );
  }
  return value as number[];
}

/** The options object, or `{}` when absent; anything but an object throws. */
function checkOptions<T extends object>(kernel: string, options: unknown, example: string): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new KernelError(
      kernel,
      `\`options\` must be an object such as ${example}, found ${valueText(options)}`,
    );
  }
  return options as T;
}

function resolveWindow(
  kernel: string,
  inSpatial: number[],
  window: number[],
  strides: number[],
  dilation: number[],
  padding: Padding | undefined,
): WindowGeometry {
  const n = inSpatial.length;
  const padLo = new Array<number>(n).fill(0);
  const padHi = new Array<number>(n).fill(0);
  const outSpatial = new Array<number>(n);
  const pad = padding ?? 'VALID';
  if (pad !== 'SAME' && pad !== 'VALID') {
    const ok =
      Array.isArray(pad) &&
      pad.length === n &&
      pad.every(
        (p) =>
          Array.isArray(p) &&
          p.length === 2 &&
          p.every((v) => Number.isInteger(v) && (v as number) >= 0),
      );
    if (!ok) {
      throw new KernelError(
        kernel,
        `\`padding\` must be 'SAME', 'VALID' or ${n} pairs [before, after] of non-negative integers, ` +
          `found ${valueText(pad)}`,
      );
    }
  }
  for (let d = 0; d < n; d++) {
    const effective = (window[d]! - 1) * dilation[d]! + 1;
    if (pad === 'SAME') {
      const out = Math.ceil(inSpatial[d]! / strides[d]!);
      const total = Math.max(0, (out - 1) * strides[d]! + effective - inSpatial[d]!);
      padLo[d] = Math.floor(total / 2);
      padHi[d] = total - padLo[d]!;
    } else if (pad !== 'VALID') {
      const pair = (pad as readonly (readonly [number, number])[])[d]!;
      padLo[d] = pair[0];
      padHi[d] = pair[1];
    }
    const span = inSpatial[d]! + padLo[d]! + padHi[d]! - effective;
    outSpatial[d] = span < 0 ? 0 : Math.floor(span / strides[d]!) + 1;
  }
  return { inSpatial, window, strides, dilation, padLo, padHi, outSpatial };
}

/**
 * Checks a convolution's shapes and options and resolves them: `xShape` is `[N, C_in, ...spatial]`,
 * `wShape` is `[C_out, C_in / groups, ...kernel]`. Throws a {@link KernelError} naming `kernel`.
 *
 * @example
 * ```ts
 * resolveConv('conv', [2, 4, 5], [6, 2, 3], { groups: 2, strides: [2] }).outSpatial; // [2]
 * ```
 */
export function resolveConv(
  kernel: string,
  xShape: readonly number[],
  wShape: readonly number[],
  convOptions?: ConvOptions,
): ConvGeometry {
  const options = checkOptions<ConvOptions>(kernel, convOptions, "{ padding: 'SAME' }");
  const n = xShape.length - 2;
  if (n < 1 || n > 3) {
    throw new KernelError(
      kernel,
      `input must be [N, C, ...spatial] with 1 to 3 spatial dimensions, found shape ${shapeText(xShape)}`,
    );
  }
  if (wShape.length !== xShape.length) {
    throw new KernelError(
      kernel,
      `filter must be [C_out, C_in / groups, ...kernel] with rank ${xShape.length} like the input, ` +
        `found filter ${shapeText(wShape)} for input ${shapeText(xShape)}`,
    );
  }
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    throw new KernelError(
      kernel,
      `\`groups\` must be a positive integer, found ${valueText(groups)}`,
    );
  }
  const [batch, inChannels] = xShape as [number, number];
  const [outChannels, groupChannels] = wShape as [number, number];
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new KernelError(
      kernel,
      `\`groups\` (${groups}) must divide input channels (${inChannels}) and output channels ` +
        `(${outChannels})`,
    );
  }
  if (groupChannels * groups !== inChannels) {
    throw new KernelError(
      kernel,
      `filter's input channels must be C_in / groups = ${inChannels / groups}, found ` +
        `${groupChannels} (filter ${shapeText(wShape)}, input ${shapeText(xShape)})`,
    );
  }
  const window = wShape.slice(2);
  if (window.some((k) => k < 1)) {
    throw new KernelError(
      kernel,
      `filter's spatial sizes must be positive, found ${shapeText(wShape)}`,
    );
  }
  const strides = positiveList(kernel, 'strides', options.strides, n);
  const dilation = positiveList(kernel, 'dilation', options.dilation, n);
  const geometry = resolveWindow(
    kernel,
    xShape.slice(2),
    window,
    strides,
    dilation,
    options.padding,
  );
  return { ...geometry, batch, inChannels, outChannels, groups };
}

/**
 * Checks a pooling's shapes and options and resolves them (no dilation): `xShape` is
 * `[N, C, ...spatial]`. Throws a {@link KernelError} naming `kernel`.
 *
 * @example
 * ```ts
 * resolvePool('pool', [1, 1, 4, 4], { window: [2, 2] }).outSpatial; // [2, 2]
 * ```
 */
export function resolvePool(
  kernel: string,
  xShape: readonly number[],
  poolOptions: PoolOptions,
): WindowGeometry {
  const options = checkOptions<Partial<PoolOptions>>(kernel, poolOptions, '{ window: [2, 2] }');
  const n = xShape.length - 2;
  if (n < 1 || n > 3) {
    throw new KernelError(
      kernel,
      `input must be [N, C, ...spatial] with 1 to 3 spatial dimensions, found shape ${shapeText(xShape)}`,
    );
  }
  if (options.window === undefined) {
    throw new KernelError(
      kernel,
      '`options.window` is required: one window size per spatial dimension',
    );
  }
  const window = positiveList(kernel, 'window', options.window, n);
  const strides = positiveList(kernel, 'strides', options.strides ?? window, n);
  const dilation = new Array<number>(n).fill(1);
  return resolveWindow(kernel, xShape.slice(2), window, strides, dilation, options.padding);
}

/**
 * The output shape `[N, C_out, ...outSpatial]` of a convolution.
 *
 * @example
 * ```ts
 * convOutputShape([32, 32, 14, 14], [64, 32, 3, 3], { padding: 'SAME' }); // [32, 64, 14, 14]
 * ```
 */
export function convOutputShape(
  xShape: readonly number[],
  wShape: readonly number[],
  options?: ConvOptions,
): number[] {
  const g = resolveConv('conv', xShape, wShape, options);
  return [g.batch, g.outChannels, ...g.outSpatial];
}

/**
 * The output shape `[N, C, ...outSpatial]` of a pooling.
 *
 * @example
 * ```ts
 * poolOutputShape([1, 3, 5, 5], { window: [2, 2] }); // [1, 3, 2, 2]
 * ```
 */
export function poolOutputShape(xShape: readonly number[], options: PoolOptions): number[] {
  const g = resolvePool('pool', xShape, options);
  return [xShape[0]!, xShape[1]!, ...g.outSpatial];
}
