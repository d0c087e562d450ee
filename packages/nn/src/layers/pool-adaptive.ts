/** `AdaptivePool` and the adaptive average and max pooling layers: pooling to a target size. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { aval, checkExample } from './checks.js';
import { positivePerDim, shown } from './pool-args.js';

/**
 * A reduction over one axis that removes it, as `numpy.mean` and `numpy.max` are.
 *
 * @example
 * ```ts
 * const op: AxisReduction = numpy.max;
 * op(numpy.array([[1, 4], [3, 2]]), { axis: 1 }).tolist(); // [4, 3]
 * ```
 */
export type AxisReduction = (x: Tensor, options: { axis: number }) => Tensor;

/**
 * General adaptive downsampling to a target shape (Equinox's `eqx.nn.AdaptivePool`), on one example
 * of shape `[channels, ...spatial]`.
 *
 * Equinox's windows (not PyTorch's): a spatial dimension of size `n` pooled to `t` outputs is cut into
 * `t` consecutive, non-overlapping windows, the first `n % t` of them `floor(n / t) + 1` long and the
 * rest `floor(n / t)` long (the pieces of `numpy.arraySplit(x, t)`). Dimensions are pooled one after
 * the other, so each output is `operation` over a box of the input.
 *
 * - `targetShape`: the output's spatial shape, one positive integer for every dimension or one per
 *   spatial dimension; no larger than the input's (checked in `call`).
 * - `numSpatialDims`: how many spatial dimensions the input has.
 * - `operation`: the reduction of each window along one axis, e.g. `numpy.mean` or `numpy.max`.
 *
 * `call(x)` takes `[channels, ...spatial]` and returns `[channels, ...targetShape]`. Batch with `vmap`.
 *
 * @example
 * ```ts
 * const pool = new AdaptivePool(2, 1, numpy.sum);
 * pool.call(numpy.array([[1, 2, 3, 4, 5]])).tolist(); // [[6, 9]]
 * ```
 */
export class AdaptivePool extends Module {
  targetShape: readonly number[] = field({ static: true });
  operation: AxisReduction = field({ static: true });

  constructor(
    targetShape: number | readonly number[],
    numSpatialDims: number,
    operation: AxisReduction,
  ) {
    super();
    const name = new.target.name;
    if (!Number.isInteger(numSpatialDims) || numSpatialDims < 1) {
      throw new TensorError(
        name,
        `\`numSpatialDims\` must be a positive integer, found ${shown(numSpatialDims)}`,
      );
    }
    if (typeof operation !== 'function') {
      throw new TensorError(
        name,
        `\`operation\` must be a function such as numpy.mean, found ${shown(operation)}`,
      );
    }
    this.targetShape = positivePerDim(name, 'targetShape', targetShape, numSpatialDims);
    this.operation = operation;
  }

  /** Pools one example: `[channels, ...spatial]` to `[channels, ...targetShape]`. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    const name = this.constructor.name;
    checkExample(name, x, [null, ...this.targetShape.map(() => null)]);
    this.targetShape.forEach((target, d) => {
      if (x.shape[d + 1]! < target) {
        throw new TensorError(
          name,
          `\`targetShape\` ${shown(this.targetShape)} is larger than the input's spatial shape ` +
            `${shown(x.shape.slice(1))} in spatial dimension ${d} (\`x\` ${aval(x)})`,
        );
      }
    });
    return this.targetShape.reduce((y, target, d) => this.poolAxis(y, d + 1, target), x);
  }

  /** Pools `axis` of `x` to `target` windows: `n % target` long ones first, then the short ones. */
  private poolAxis(x: Tensor, axis: number, target: number): Tensor {
    const size = x.shape[axis]!;
    const short = Math.floor(size / target);
    const longCount = size % target;
    // Windows of one length are a reshape away from a reduction over a new axis.
    const reduceEqual = (part: Tensor, count: number, length: number): Tensor => {
      const shape = [...part.shape.slice(0, axis), count, length, ...part.shape.slice(axis + 1)];
      return this.operation(part.reshape(shape), { axis: axis + 1 });
    };
    if (longCount === 0) return reduceEqual(x, target, short);
    const [head, tail] = numpy.split(x, [longCount * (short + 1)], { axis });
    const pooledHead = reduceEqual(head!, longCount, short + 1);
    if (longCount === target) return pooledHead;
    return numpy.concatenate([pooledHead, reduceEqual(tail!, target - longCount, short)], { axis });
  }
}

/**
 * Adaptive one-dimensional average pooling (Equinox's `eqx.nn.AdaptiveAvgPool1d`): the mean over
 * `targetShape` windows, cut as {@link AdaptivePool} says (the first `length % target` windows one
 * longer).
 *
 * - `targetShape`: the output length (an integer, or a list of one), at most the input's.
 *
 * `call(x)` takes `[channels, length]` and returns `[channels, targetShape]`.
 *
 * @example
 * ```ts
 * new AdaptiveAvgPool1d(2).call(numpy.array([[1, 2, 3, 4, 5]])).tolist(); // [[2, 4.5]]
 * ```
 */
export class AdaptiveAvgPool1d extends AdaptivePool {
  constructor(targetShape: number | readonly number[]) {
    super(targetShape, 1, numpy.mean);
  }
}

/**
 * Adaptive two-dimensional average pooling (Equinox's `eqx.nn.AdaptiveAvgPool2d`): the mean over
 * windows cut as {@link AdaptivePool} says, in each spatial dimension.
 *
 * - `targetShape`: the output's `[height, width]`, or one integer for both; at most the input's.
 *
 * `call(x)` takes `[channels, height, width]` and returns `[channels, ...targetShape]`.
 *
 * @example
 * ```ts
 * const pool = new AdaptiveAvgPool2d(1);
 * pool.call(numpy.arange(6).reshape([1, 2, 3])).tolist(); // [[[2.5]]]
 * new AdaptiveAvgPool2d([2, 3]).call(numpy.ones([4, 7, 9])).shape; // [4, 2, 3]
 * ```
 */
export class AdaptiveAvgPool2d extends AdaptivePool {
  constructor(targetShape: number | readonly number[]) {
    super(targetShape, 2, numpy.mean);
  }
}

/**
 * Adaptive three-dimensional average pooling (Equinox's `eqx.nn.AdaptiveAvgPool3d`): the mean over
 * windows cut as {@link AdaptivePool} says, in each spatial dimension.
 *
 * - `targetShape`: the output's spatial shape, or one integer for all three; at most the input's.
 *
 * `call(x)` takes `[channels, depth, height, width]` and returns `[channels, ...targetShape]`.
 *
 * @example
 * ```ts
 * new AdaptiveAvgPool3d([1, 2, 2]).call(numpy.ones([3, 2, 5, 4])).shape; // [3, 1, 2, 2]
 * ```
 */
export class AdaptiveAvgPool3d extends AdaptivePool {
  constructor(targetShape: number | readonly number[]) {
    super(targetShape, 3, numpy.mean);
  }
}

/**
 * Adaptive one-dimensional max pooling (Equinox's `eqx.nn.AdaptiveMaxPool1d`): the largest element
 * of `targetShape` windows, cut as {@link AdaptivePool} says (the first `length % target` windows one
 * longer).
 *
 * - `targetShape`: the output length (an integer, or a list of one), at most the input's.
 *
 * `call(x)` takes `[channels, length]` and returns `[channels, targetShape]`.
 *
 * @example
 * ```ts
 * new AdaptiveMaxPool1d(3).call(numpy.array([[1, 5, 2, 4, 3]])).tolist(); // [[5, 4, 3]]
 * ```
 */
export class AdaptiveMaxPool1d extends AdaptivePool {
  constructor(targetShape: number | readonly number[]) {
    super(targetShape, 1, numpy.max);
  }
}

/**
 * Adaptive two-dimensional max pooling (Equinox's `eqx.nn.AdaptiveMaxPool2d`): the largest element
 * of windows cut as {@link AdaptivePool} says, in each spatial dimension.
 *
 * - `targetShape`: the output's `[height, width]`, or one integer for both; at most the input's.
 *
 * `call(x)` takes `[channels, height, width]` and returns `[channels, ...targetShape]`.
 *
 * @example
 * ```ts
 * const pool = new AdaptiveMaxPool2d([1, 2]);
 * pool.call(numpy.arange(6).reshape([1, 2, 3])).tolist(); // [[[4, 5]]]
 * vmap(pool.call)(numpy.ones([5, 2, 4, 4])).shape; // [5, 2, 1, 2]
 * ```
 */
export class AdaptiveMaxPool2d extends AdaptivePool {
  constructor(targetShape: number | readonly number[]) {
    super(targetShape, 2, numpy.max);
  }
}

/**
 * Adaptive three-dimensional max pooling (Equinox's `eqx.nn.AdaptiveMaxPool3d`): the largest element
 * of windows cut as {@link AdaptivePool} says, in each spatial dimension.
 *
 * - `targetShape`: the output's spatial shape, or one integer for all three; at most the input's.
 *
 * `call(x)` takes `[channels, depth, height, width]` and returns `[channels, ...targetShape]`.
 *
 * @example
 * ```ts
 * new AdaptiveMaxPool3d(1).call(numpy.arange(8).reshape([1, 2, 2, 2])).tolist(); // [[[[7]]]]
 * ```
 */
export class AdaptiveMaxPool3d extends AdaptivePool {
  constructor(targetShape: number | readonly number[]) {
    super(targetShape, 3, numpy.max);
  }
}
