/** `MaxPool1d`, `MaxPool2d`, `MaxPool3d`: the largest element of each window, as Equinox's. */
import { Pool, type PoolOptions } from './pool.js';

/**
 * One-dimensional max pooling (Equinox's `eqx.nn.MaxPool1d`): each channel's largest element over
 * windows of `kernelSize` taken every `stride` elements. Padding holds -Infinity, so it never wins.
 *
 * - `kernelSize`: the window size (an integer, or a list of one).
 * - `stride` (default 1), `padding` (default 0), `useCeil` (default `false`): see {@link PoolOptions}.
 *
 * `call(x)` takes `[channels, length]` and returns `[channels, outLength]`, with
 * `outLength = floor((length + low + high - kernelSize) / stride) + 1` (ceil with `useCeil`).
 *
 * @example
 * ```ts
 * const pool = new MaxPool1d(2, { stride: 2 });
 * pool.call(numpy.array([[1, 5, 2, 4, 3]])).tolist(); // [[5, 4]]
 * new MaxPool1d(2, { stride: 2, useCeil: true }).call(numpy.array([[1, 5, 2, 4, 3]])).tolist(); // [[5, 4, 3]]
 * ```
 */
export class MaxPool1d extends Pool {
  constructor(kernelSize: number | readonly number[], options: PoolOptions = {}) {
    super('max', 1, kernelSize, options);
  }
}

/**
 * Two-dimensional max pooling (Equinox's `eqx.nn.MaxPool2d`): each channel's largest element over
 * `kernelSize` windows taken every `stride` elements. Padding holds -Infinity, so it never wins.
 *
 * - `kernelSize`: the window size, an integer for both dimensions or `[height, width]`.
 * - `stride` (default 1), `padding` (default 0), `useCeil` (default `false`): see {@link PoolOptions}.
 *
 * `call(x)` takes `[channels, height, width]` and returns `[channels, outHeight, outWidth]`, each
 * `floor((size + low + high - kernel) / stride) + 1` (ceil with `useCeil`). Batch with `vmap`.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2, { stride: 2 });
 * pool.call(numpy.arange(16).reshape([1, 4, 4])).tolist(); // [[[5, 7], [13, 15]]]
 * vmap(pool.call)(numpy.ones([8, 3, 6, 6])).shape; // [8, 3, 3, 3]
 * ```
 */
export class MaxPool2d extends Pool {
  constructor(kernelSize: number | readonly number[], options: PoolOptions = {}) {
    super('max', 2, kernelSize, options);
  }
}

/**
 * Three-dimensional max pooling (Equinox's `eqx.nn.MaxPool3d`): each channel's largest element over
 * `kernelSize` windows taken every `stride` elements. Padding holds -Infinity, so it never wins.
 *
 * - `kernelSize`: the window size, an integer for all three dimensions or one per dimension.
 * - `stride` (default 1), `padding` (default 0), `useCeil` (default `false`): see {@link PoolOptions}.
 *
 * `call(x)` takes `[channels, depth, height, width]` and returns `[channels, ...outSpatial]`, each
 * `floor((size + low + high - kernel) / stride) + 1` (ceil with `useCeil`).
 *
 * @example
 * ```ts
 * const pool = new MaxPool3d([1, 2, 2], { stride: 2, padding: [0, 1, 1] });
 * pool.call(numpy.ones([2, 3, 4, 4])).shape; // [2, 2, 3, 3]
 * new MaxPool3d(2).call(numpy.arange(8).reshape([1, 2, 2, 2])).tolist(); // [[[[7]]]]
 * ```
 */
export class MaxPool3d extends Pool {
  constructor(kernelSize: number | readonly number[], options: PoolOptions = {}) {
    super('max', 3, kernelSize, options);
  }
}
