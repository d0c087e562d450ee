/** `AvgPool1d`, `AvgPool2d`, `AvgPool3d`: the mean of each window, as Equinox's. */
import { Pool, type PoolOptions } from './pool.js';

/**
 * One-dimensional average pooling (Equinox's `eqx.nn.AvgPool1d`): each channel's sum over windows of
 * `kernelSize` taken every `stride` elements, divided by `kernelSize`. Padding (including what
 * `useCeil` adds) holds zeros that count in the divisor, as in Equinox.
 *
 * - `kernelSize`: the window size (an integer, or a list of one).
 * - `stride` (default 1), `padding` (default 0), `useCeil` (default `false`): see {@link PoolOptions}.
 *
 * `call(x)` takes `[channels, length]` and returns `[channels, outLength]`, with
 * `outLength = floor((length + low + high - kernelSize) / stride) + 1` (ceil with `useCeil`).
 *
 * @example
 * ```ts
 * const pool = new AvgPool1d(2, { stride: 2 });
 * pool.call(numpy.array([[1, 5, 2, 4]])).tolist(); // [[3, 3]]
 * new AvgPool1d(2, { padding: [[1, 0]] }).call(numpy.array([[2, 4]])).tolist(); // [[1, 3]]
 * ```
 */
export class AvgPool1d extends Pool {
  constructor(kernelSize: number | readonly number[], options: PoolOptions = {}) {
    super('avg', 1, kernelSize, options);
  }
}

/**
 * Two-dimensional average pooling (Equinox's `eqx.nn.AvgPool2d`): each channel's sum over
 * `kernelSize` windows taken every `stride` elements, divided by the window's size. Padding (including
 * what `useCeil` adds) holds zeros that count in the divisor, as in Equinox.
 *
 * - `kernelSize`: the window size, an integer for both dimensions or `[height, width]`.
 * - `stride` (default 1), `padding` (default 0), `useCeil` (default `false`): see {@link PoolOptions}.
 *
 * `call(x)` takes `[channels, height, width]` and returns `[channels, outHeight, outWidth]`, each
 * `floor((size + low + high - kernel) / stride) + 1` (ceil with `useCeil`). Batch with `vmap`.
 *
 * @example
 * ```ts
 * const pool = new AvgPool2d(2, { stride: 2 });
 * pool.call(numpy.arange(16).reshape([1, 4, 4])).tolist(); // [[[2.5, 4.5], [10.5, 12.5]]]
 * new AvgPool2d(2, { padding: 1 }).call(numpy.ones([1, 1, 1])).tolist(); // [[[0.25, 0.25], [0.25, 0.25]]]
 * ```
 */
export class AvgPool2d extends Pool {
  constructor(kernelSize: number | readonly number[], options: PoolOptions = {}) {
    super('avg', 2, kernelSize, options);
  }
}

/**
 * Three-dimensional average pooling (Equinox's `eqx.nn.AvgPool3d`): each channel's sum over
 * `kernelSize` windows taken every `stride` elements, divided by the window's size. Padding (including
 * what `useCeil` adds) holds zeros that count in the divisor, as in Equinox.
 *
 * - `kernelSize`: the window size, an integer for all three dimensions or one per dimension.
 * - `stride` (default 1), `padding` (default 0), `useCeil` (default `false`): see {@link PoolOptions}.
 *
 * `call(x)` takes `[channels, depth, height, width]` and returns `[channels, ...outSpatial]`, each
 * `floor((size + low + high - kernel) / stride) + 1` (ceil with `useCeil`).
 *
 * @example
 * ```ts
 * new AvgPool3d(2).call(numpy.arange(8).reshape([1, 2, 2, 2])).tolist(); // [[[[3.5]]]]
 * new AvgPool3d([1, 2, 3], { stride: [1, 2, 3] }).call(numpy.ones([4, 2, 4, 6])).shape; // [4, 2, 2, 2]
 * ```
 */
export class AvgPool3d extends Pool {
  constructor(kernelSize: number | readonly number[], options: PoolOptions = {}) {
    super('avg', 3, kernelSize, options);
  }
}
