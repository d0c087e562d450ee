/** `Pool`: Equinox's general sliding-window downsampling, on `lax.reduceWindow`. */
import { type Tensor, TensorError, lax } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { aval, checkExample } from './checks.js';
import { type PoolPadding, paddingPerDim, positivePerDim, shown } from './pool-args.js';

/**
 * Options of {@link Pool} and the max and average pooling layers (Equinox's keyword arguments).
 *
 * @example
 * ```ts
 * const options: PoolOptions = { stride: 2, padding: 1, useCeil: true };
 * new MaxPool1d(3, options).call(numpy.ones([1, 6])).shape; // [1, 4]
 * ```
 */
export interface PoolOptions {
  /** Step between windows: one integer, or one per spatial dimension. Default 1 (as Equinox). */
  stride?: number | readonly number[];
  /** Padding before and after each spatial dimension (see {@link PoolPadding}). Default 0. */
  padding?: PoolPadding;
  /**
   * Whether the output size is rounded up instead of down: where the windows do not fit the padded
   * input exactly, `stride` is added to the high padding of that dimension. Default `false`.
   */
  useCeil?: boolean;
}

/**
 * General N-dimensional downsampling over a sliding window (Equinox's `eqx.nn.Pool`), on one example
 * of shape `[channels, ...spatial]`: each channel is reduced separately over windows of `kernelSize`
 * taken every `stride` elements of the padded input.
 *
 * - `op`: the reduction, one of `lax.reduceWindow`'s: `'max'` and `'min'` (padding never wins),
 *   `'sum'` (padding counts as 0), `'avg'` (the sum over the whole window size, padding included).
 *   Equinox takes an initial value and a binary function instead; these four are the ones it uses.
 * - `numSpatialDims`: how many spatial dimensions the input has, 1 to 3.
 * - `kernelSize`: the window size, one positive integer or one per spatial dimension.
 * - `stride`, `padding`, `useCeil`: see {@link PoolOptions}. No padding may exceed the kernel size
 *   (Equinox's rule, checked again after `useCeil` raised the high padding).
 *
 * `call(x)` takes `x` of shape `[channels, ...spatial]` and returns `[channels, ...outSpatial]` with
 * `out = floor((size + low + high - kernel) / stride) + 1` (ceil with `useCeil`). Batch with `vmap`.
 *
 * @example
 * ```ts
 * const pool = new Pool('sum', 1, 2, { stride: 2 });
 * pool.call(numpy.array([[1, 2, 3, 4]])).tolist(); // [[3, 7]]
 * new Pool('min', 2, [1, 2]).call(numpy.ones([3, 4, 5])).shape; // [3, 4, 4]
 * ```
 */
export class Pool extends Module {
  op: lax.ReduceWindowOp = field({ static: true });
  numSpatialDims: number = field({ static: true });
  kernelSize: readonly number[] = field({ static: true });
  stride: readonly number[] = field({ static: true });
  padding: readonly (readonly [number, number])[] = field({ static: true });
  useCeil: boolean = field({ static: true });

  constructor(
    op: lax.ReduceWindowOp,
    numSpatialDims: number,
    kernelSize: number | readonly number[],
    options: PoolOptions = {},
  ) {
    super();
    const name = new.target.name;
    if (!['max', 'min', 'sum', 'avg'].includes(op)) {
      throw new TensorError(
        name,
        `\`op\` must be 'max', 'min', 'sum' or 'avg', found ${shown(op)}`,
      );
    }
    if (!Number.isInteger(numSpatialDims) || numSpatialDims < 1 || numSpatialDims > 3) {
      throw new TensorError(
        name,
        `\`numSpatialDims\` must be 1, 2 or 3, found ${shown(numSpatialDims)}`,
      );
    }
    const n = numSpatialDims;
    if (typeof options !== 'object' || options === null) {
      throw new TensorError(name, `\`options\` must be an object, found ${shown(options)}`);
    }
    const useCeil = options.useCeil ?? false;
    if (typeof useCeil !== 'boolean') {
      throw new TensorError(name, `\`useCeil\` must be a boolean, found ${shown(useCeil)}`);
    }
    this.op = op;
    this.numSpatialDims = n;
    this.kernelSize = positivePerDim(name, 'kernelSize', kernelSize, n);
    this.stride = positivePerDim(name, 'stride', options.stride ?? 1, n);
    this.padding = paddingPerDim(name, options.padding ?? 0, n);
    this.useCeil = useCeil;
    checkPaddingFits(name, this.padding, this.kernelSize, '');
  }

  /** Pools one example: `[channels, ...spatial]` to `[channels, ...outSpatial]`. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    const name = this.constructor.name;
    checkExample(name, x, [null, ...this.kernelSize.map(() => null)]);
    const spatial = x.shape.slice(1);
    spatial.forEach((size, d) => {
      const [lo, hi] = this.padding[d]!;
      if (size + lo + hi < this.kernelSize[d]!) {
        throw new TensorError(
          name,
          `kernel size ${this.kernelSize[d]} is larger than the padded input in spatial dimension ${d} ` +
            `(${size} + padding ${lo} + ${hi} = ${size + lo + hi}) of \`x\` ${aval(x)}`,
        );
      }
    });
    const padding = this.useCeil ? this.ceilPadding(spatial) : this.padding;
    if (this.useCeil)
      checkPaddingFits(name, padding, this.kernelSize, ' after `useCeil` added `stride`');
    return lax.reduceWindow(
      x,
      this.op,
      [1, ...this.kernelSize],
      [1, ...this.stride],
      [[0, 0], ...padding],
    );
  }

  /** The padding with `stride` more at the high end wherever the windows leave a remainder. */
  private ceilPadding(spatial: readonly number[]): [number, number][] {
    return spatial.map((size, d) => {
      const [lo, hi] = this.padding[d]!;
      const fits = (size + lo + hi - this.kernelSize[d]!) % this.stride[d]! === 0;
      return [lo, fits ? hi : hi + this.stride[d]!];
    });
  }
}

/** Equinox's rule: no padding larger than the kernel size. */
function checkPaddingFits(
  name: string,
  padding: readonly (readonly [number, number])[],
  kernelSize: readonly number[],
  why: string,
): void {
  padding.forEach(([lo, hi], d) => {
    if (Math.max(lo, hi) > kernelSize[d]!) {
      throw new TensorError(
        name,
        `padding must be at most the kernel size: spatial dimension ${d} has padding [${lo}, ${hi}]${why} ` +
          `for kernel size ${kernelSize[d]}`,
      );
    }
  });
}
