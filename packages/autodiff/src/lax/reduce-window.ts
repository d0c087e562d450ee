/** `lax.reduceWindow`: max, min, sum or mean over sliding windows, on the pooling and conv primitives. */
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { filled } from '../primitives/constants.js';
import { conv } from '../primitives/conv.js';
import { cast, unary } from '../primitives/elementwise.js';
import { reshape, transpose } from '../primitives/layout.js';
import { pool } from '../primitives/pool.js';
import { asarray, type ArrayLike } from '../numpy/convert.js';
import { inversePermutation } from './dimension-numbers.js';
import { intList, resolvePadding, type Padding } from './padding.js';

/**
 * The reductions of {@link reduceWindow}: `'max'`, `'min'`, `'sum'`, and `'avg'` (the sum divided by
 * the whole window size, padding included).
 *
 * @example
 * ```ts
 * const op: lax.ReduceWindowOp = 'max';
 * ```
 */
export type ReduceWindowOp = 'max' | 'min' | 'sum' | 'avg';

const OPS: readonly ReduceWindowOp[] = ['max', 'min', 'sum', 'avg'];

/**
 * Reduces `x` over sliding windows, as JAX's `lax.reduce_window` with the matching monoid:
 * `windowDimensions`, `windowStrides` and `padding` have one entry per dimension of `x`. Padding holds
 * the reduction's identity (-Infinity for max, +Infinity for min, 0 for sum and avg). At most 3
 * dimensions may have a window, stride or padding other than 1, 1 and none (the pooled dimensions;
 * the others are carried through, as batch and channel are). Integer inputs are converted to
 * float32. Differentiable to any order.
 *
 * @param windowStrides - default 1 everywhere.
 * @param padding - default `'VALID'`.
 *
 * @example
 * ```ts
 * const x = numpy.array([[1, 5, 2, 4], [3, 0, 7, 1]]);
 * lax.reduceWindow(x, 'max', [1, 2], [1, 2]).tolist(); // [[5, 4], [3, 7]]
 * lax.reduceWindow(x, 'sum', [2, 2], [1, 1]).tolist(); // [[9, 14, 14]]
 * lax.reduceWindow(x, 'avg', [1, 2], [1, 2], [[0, 0], [1, 1]]).tolist(); // [[0.5, 3.5, 2], [1.5, 3.5, 0.5]]
 * ```
 */
export function reduceWindow(
  x: ArrayLike,
  op: ReduceWindowOp,
  windowDimensions: readonly number[],
  windowStrides?: readonly number[],
  padding: Padding = 'VALID',
): Tensor {
  const name = 'reduceWindow';
  const t = cast(asarray(x), 'float32');
  if (!OPS.includes(op))
    throw new TensorError(
      name,
      `\`op\` must be one of ${OPS.map((o) => `'${o}'`).join(', ')}, found ${JSON.stringify(op)}`,
    );
  const window = intList(name, 'windowDimensions', windowDimensions, t.ndim, 1, 1);
  const strides = intList(name, 'windowStrides', windowStrides, t.ndim, 1, 1);
  const pads = resolvePadding(name, padding, t.shape, window, strides);
  if (pads.some(([lo, hi]) => lo < 0 || hi < 0)) {
    throw new TensorError(name, `\`padding\` must not be negative, found ${JSON.stringify(pads)}`);
  }
  // Dimensions with a trivial window are carried like batch dimensions; the others are pooled.
  const pooled = t.shape
    .map((_, d) => d)
    .filter((d) => window[d] !== 1 || strides[d] !== 1 || pads[d]![0] !== 0 || pads[d]![1] !== 0);
  if (pooled.length === 0) return t;
  if (pooled.length > 3) {
    throw new TensorError(
      name,
      `at most 3 dimensions can have a window, stride or padding (the pooling kernels' limit), found ${pooled.length} ` +
        `(dimensions ${JSON.stringify(pooled)} of ${avalText(t)} with windowDimensions ${JSON.stringify(window)})`,
    );
  }
  const carried = t.shape.map((_, d) => d).filter((d) => !pooled.includes(d));
  const perm = [...carried, ...pooled];
  const moved = transpose(t, perm);
  const carriedShape = carried.map((d) => t.shape[d]!);
  const batch = carriedShape.reduce((a, b) => a * b, 1);
  const planes = reshape(moved, [batch, 1, ...pooled.map((d) => t.shape[d]!)]);
  const reduced = reduceSpatial(planes, op, {
    window: pooled.map((d) => window[d]!),
    strides: pooled.map((d) => strides[d]!),
    padding: pooled.map((d) => pads[d]!),
  });
  const out = reshape(reduced, [...carriedShape, ...reduced.shape.slice(2)]);
  return transpose(out, inversePermutation(perm));
}

interface Windows {
  readonly window: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
}

/** The reduction over the spatial dimensions of `x: [N, 1, ...spatial]`. */
function reduceSpatial(x: Tensor, op: ReduceWindowOp, windows: Windows): Tensor {
  if (op === 'max' || op === 'avg') return pool(x, { op, ...windows });
  if (op === 'min') return unary('neg', pool(unary('neg', x), { op: 'max', ...windows }));
  // A sum is a convolution with a filter of ones: exact sums, where avg * size would round.
  const ones = filled([1, 1, ...windows.window], 1, 'float32', x.backend);
  return conv(x, ones, {
    strides: windows.strides,
    padding: windows.padding,
    dilation: windows.window.map(() => 1),
    groups: 1,
  });
}
