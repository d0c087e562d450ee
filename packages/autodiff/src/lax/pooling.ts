/** `lax.maxPool` and `lax.avgPool`: pooling over the trailing dimensions, channel-first friendly. */
import type { Tensor } from '../tensor.js';
import { TensorError, avalText } from '../core/errors.js';
import { asarray, type ArrayLike } from '../numpy/convert.js';
import { intList, type Padding } from './padding.js';
import { reduceWindow, type ReduceWindowOp } from './reduce-window.js';

/**
 * Options of {@link maxPool} and {@link avgPool}.
 *
 * @example
 * ```ts
 * const options: lax.PoolOptions = { strides: [2, 2], padding: 'SAME' };
 * ```
 */
export interface PoolOptions {
  /** Step between windows, one per pooled dimension. Default 1 everywhere (as Flax and Equinox). */
  strides?: readonly number[];
  /** `'VALID'` (default), `'SAME'`, `'SAME_LOWER'` or one `[low, high]` pair per pooled dimension. */
  padding?: Padding;
}

function poolTrailing(
  name: string,
  op: ReduceWindowOp,
  x: ArrayLike,
  windowShape: readonly number[],
  options: PoolOptions,
): Tensor {
  const t = asarray(x);
  const n = Array.isArray(windowShape) ? windowShape.length : 0;
  if (n < 1 || n > 3 || n > t.ndim) {
    throw new TensorError(
      name,
      `\`windowShape\` must have 1 to 3 entries, at most the rank of \`x\` (${avalText(t)}), found ${JSON.stringify(windowShape)}`,
    );
  }
  const lead = t.ndim - n;
  const ones = new Array<number>(lead).fill(1);
  const window = intList(name, 'windowShape', windowShape, n, 1, 1);
  const strides = intList(name, 'strides', options.strides, n, 1, 1);
  const padding = options.padding ?? 'VALID';
  const fullPadding =
    typeof padding === 'string' ? padding : [...ones.map(() => [0, 0] as const), ...padding];
  return reduceWindow(t, op, [...ones, ...window], [...ones, ...strides], fullPadding);
}

/**
 * Max pooling over the last `windowShape.length` dimensions of `x` (1 to 3), e.g. `[C, H, W]` or
 * `[N, C, H, W]` with a 2-D window; the leading dimensions are carried through. Padding holds
 * -Infinity. Differentiable to any order; the gradient goes to each window's first largest element.
 *
 * @example
 * ```ts
 * const x = numpy.array([[[1, 2, 5, 6], [3, 4, 7, 8]]]); // [C=1, H=2, W=4]
 * lax.maxPool(x, [2, 2], { strides: [2, 2] }).tolist(); // [[[4, 8]]]
 * lax.maxPool(x, [1, 2]).tolist(); // [[[2, 5, 6], [4, 7, 8]]]
 * ```
 */
export function maxPool(
  x: ArrayLike,
  windowShape: readonly number[],
  options: PoolOptions = {},
): Tensor {
  return poolTrailing('maxPool', 'max', x, windowShape, options);
}

/**
 * Average pooling over the last `windowShape.length` dimensions of `x` (1 to 3); the leading
 * dimensions are carried through. Each window's sum is divided by the whole window size, padding
 * included (as Flax's default and Equinox's `AvgPool`). Differentiable to any order.
 *
 * @example
 * ```ts
 * const x = numpy.array([[[1, 2, 5, 6], [3, 4, 7, 8]]]); // [C=1, H=2, W=4]
 * lax.avgPool(x, [2, 2], { strides: [2, 2] }).tolist(); // [[[2.5, 6.5]]]
 * lax.avgPool(x, [2], { padding: [[1, 0]] }).tolist(); // [[[0.5, 1.5, 3.5, 5.5], [1.5, 3.5, 5.5, 7.5]]]
 * ```
 */
export function avgPool(
  x: ArrayLike,
  windowShape: readonly number[],
  options: PoolOptions = {},
): Tensor {
  return poolTrailing('avgPool', 'avg', x, windowShape, options);
}
