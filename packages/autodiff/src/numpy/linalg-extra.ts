/** More linear algebra: outer, inner, tensordot, and the triangle and diagonal helpers. */
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { binary, cast, where } from '../primitives/elementwise.js';
import { iotaLike, scalarLike } from '../primitives/constants.js';
import { reduce } from '../primitives/reduce.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { normalizeAxis } from './axes.js';
import { gatherDiagonal } from './index-helpers.js';
import { matmul } from './linalg.js';
import { multiply } from './math.js';

/**
 * The outer product of two vectors (inputs of other ranks are flattened first). The result is
 * float32, integer inputs included, as for the other products ({@link inner}, {@link tensordot},
 * `dot`, `matmul`).
 *
 * @example
 * ```ts
 * const ints = numpy.array([1, 2], { dtype: 'int32' });
 * numpy.outer(ints, numpy.array([1, 10, 100])).tolist(); // [[1, 10, 100], [2, 20, 200]]
 * numpy.outer(ints, ints).dtype; // 'float32'
 * ```
 */
export function outer(a: ArrayLike, b: ArrayLike): Tensor {
  const x = cast(asarrayFor('outer', a), 'float32');
  const y = cast(asarrayFor('outer', b), 'float32');
  return multiply(layout.reshape(x, [x.size, 1]), layout.reshape(y, [1, y.size]));
}

/** Options of {@link tensordot}. */
export interface TensordotOptions {
  /**
   * A number `n` contracts the last `n` axes of `a` with the first `n` of `b` (default 2); a pair of
   * lists contracts `a`'s axes `axes[0][i]` with `b`'s axes `axes[1][i]`.
   */
  axes?: number | readonly [readonly number[], readonly number[]];
}

/**
 * Sums products over chosen axes of `a` and `b`. The result has `a`'s remaining axes, then `b`'s.
 * Computed as one matrix product, so the result is float32, integer inputs included.
 *
 * @example
 * ```ts
 * const a = numpy.arange(6).reshape([2, 3]);
 * numpy.tensordot(a, numpy.ones([3, 2]), { axes: 1 }).tolist(); // [[3, 3], [12, 12]]
 * numpy.tensordot(a, a, { axes: [[0, 1], [0, 1]] }).item(); // 55
 * numpy.tensordot(numpy.ones([2, 3, 4]), numpy.ones([4, 3, 5]), { axes: [[1, 2], [1, 0]] }).shape; // [2, 5]
 * ```
 */
export function tensordot(a: ArrayLike, b: ArrayLike, options: TensordotOptions = {}): Tensor {
  const x = cast(asarrayFor('tensordot', a), 'float32');
  const y = cast(asarrayFor('tensordot', b), 'float32');
  const axes = options.axes ?? 2;
  let axesA: number[];
  let axesB: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
      throw new TensorError(
        'tensordot',
        `axes ${axes} must be a non-negative integer no larger than either rank, found ranks ${x.ndim} and ${y.ndim}`,
      );
    }
    axesA = Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
    axesB = Array.from({ length: axes }, (_, i) => i);
  } else {
    if (axes[0].length !== axes[1].length) {
      throw new TensorError(
        'tensordot',
        `axes lists must have equal lengths, found ${axes[0].length} and ${axes[1].length}`,
      );
    }
    axesA = axes[0].map((d) => normalizeAxis('tensordot', d, x.ndim, 'axes[0] entry'));
    axesB = axes[1].map((d) => normalizeAxis('tensordot', d, y.ndim, 'axes[1] entry'));
  }
  axesA.forEach((d, i) => {
    if (x.shape[d] !== y.shape[axesB[i]!]) {
      throw new TensorError(
        'tensordot',
        `contracted dimensions differ: axis ${d} of ${avalText(x)} has length ${x.shape[d]}, axis ${axesB[i]} of ` +
          `${avalText(y)} has length ${y.shape[axesB[i]!]}`,
      );
    }
  });
  if (new Set(axesA).size !== axesA.length || new Set(axesB).size !== axesB.length) {
    throw new TensorError('tensordot', 'an axis is contracted twice');
  }
  const freeA = x.shape.map((_, d) => d).filter((d) => !axesA.includes(d));
  const freeB = y.shape.map((_, d) => d).filter((d) => !axesB.includes(d));
  const k = axesA.reduce((n, d) => n * x.shape[d]!, 1);
  const m = freeA.reduce((n, d) => n * x.shape[d]!, 1);
  const n = freeB.reduce((p, d) => p * y.shape[d]!, 1);
  const left = layout.reshape(layout.transpose(x, [...freeA, ...axesA]), [m, k]);
  const right = layout.reshape(layout.transpose(y, [...axesB, ...freeB]), [k, n]);
  return layout.reshape(matmul(left, right), [
    ...freeA.map((d) => x.shape[d]!),
    ...freeB.map((d) => y.shape[d]!),
  ]);
}

/**
 * The inner product over the last axes of `a` and `b` (a product for 0-d inputs). The result is
 * float32, integer inputs included.
 *
 * @example
 * ```ts
 * numpy.inner(numpy.array([1, 2, 3]), numpy.array([0, 1, 0])).item(); // 2
 * numpy.inner(numpy.eye(2), numpy.array([[1, 2], [3, 4]])).tolist(); // [[1, 3], [2, 4]]
 * numpy.inner(numpy.array([2], { dtype: 'int32' }), numpy.array([3], { dtype: 'int32' })).dtype; // 'float32'
 * ```
 */
export function inner(a: ArrayLike, b: ArrayLike): Tensor {
  const x = cast(asarrayFor('inner', a), 'float32');
  const y = cast(asarrayFor('inner', b), 'float32');
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y);
  const [n, m] = [x.shape[x.ndim - 1], y.shape[y.ndim - 1]];
  if (n !== m) {
    throw new TensorError(
      'inner',
      `the last dimensions must be equal, found ${avalText(x)} and ${avalText(y)} (${n} != ${m})`,
    );
  }
  return tensordot(x, y, { axes: [[-1], [-1]] });
}

/** `x` with entries where `keep(col - row)` is false along its last two axes set to zero. */
function triangle(op: string, x: ArrayLike, keep: 'le' | 'ge', k: number): Tensor {
  const t = asarrayFor(op, x);
  if (t.ndim < 2)
    throw new TensorError(op, `expected a tensor of rank 2 or more, found ${avalText(t)}`);
  if (!Number.isInteger(k)) throw new TensorError(op, `k must be an integer, found ${k}`);
  const square = t.shape.slice(-2);
  const rows = iotaLike(square, 0, 'int32', t.backend);
  const cols = iotaLike(square, 1, 'int32', t.backend);
  const mask = binary(keep, binary('sub', cols, rows), scalarLike(rows, k));
  return where(mask, t, scalarLike(t, 0));
}

/**
 * The lower triangle of the last two axes: entries above diagonal `k` are set to zero.
 *
 * @example
 * ```ts
 * numpy.tril(numpy.ones([3, 3])).tolist(); // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 * numpy.tril(numpy.ones([2, 3]), { k: 1 }).tolist(); // [[1, 1, 0], [1, 1, 1]]
 * ```
 */
export function tril(x: ArrayLike, options: { k?: number } = {}): Tensor {
  return triangle('tril', x, 'le', options.k ?? 0);
}

/**
 * The upper triangle of the last two axes: entries below diagonal `k` are set to zero.
 *
 * @example
 * ```ts
 * numpy.triu(numpy.ones([3, 3])).tolist(); // [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
 * numpy.triu(numpy.ones([3, 2]), { k: -1 }).tolist(); // [[1, 1], [1, 1], [0, 1]]
 * ```
 */
export function triu(x: ArrayLike, options: { k?: number } = {}): Tensor {
  return triangle('triu', x, 'ge', options.k ?? 0);
}

/** Options of {@link diagonal} and {@link trace}. */
export interface DiagonalOptions {
  /** The diagonal: 0 the main one, positive above it, negative below. */
  offset?: number;
  /** The axis of the rows (default 0). */
  axis1?: number;
  /** The axis of the columns (default 1). */
  axis2?: number;
}

/**
 * The diagonal `offset` of the matrices in axes `axis1` and `axis2`; the other axes come first and the
 * diagonal last, as in NumPy.
 *
 * @example
 * ```ts
 * const x = numpy.arange(9).reshape([3, 3]);
 * numpy.diagonal(x).tolist(); // [0, 4, 8]
 * numpy.diagonal(x, { offset: 1 }).tolist(); // [1, 5]
 * numpy.diagonal(x, { offset: -2 }).tolist(); // [6]
 * numpy.diagonal(numpy.zeros([2, 3, 4]), { axis1: 1, axis2: 2 }).shape; // [2, 3]
 * ```
 */
export function diagonal(x: ArrayLike, options: DiagonalOptions = {}): Tensor {
  return diagonalOf('diagonal', asarrayFor('diagonal', x), options);
}

function diagonalOf(op: string, t: Tensor, options: DiagonalOptions): Tensor {
  if (t.ndim < 2)
    throw new TensorError(op, `expected a tensor of rank 2 or more, found ${avalText(t)}`);
  const a1 = normalizeAxis(op, options.axis1 ?? 0, t.ndim, 'axis1');
  const a2 = normalizeAxis(op, options.axis2 ?? 1, t.ndim, 'axis2');
  if (a1 === a2) throw new TensorError(op, `axis1 and axis2 must differ, both are ${a1}`);
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset))
    throw new TensorError(op, `offset must be an integer, found ${offset}`);
  return gatherDiagonal(t, a1, a2, offset);
}

/**
 * The sum of the diagonal `offset` of the matrices in axes `axis1` and `axis2`.
 *
 * @example
 * ```ts
 * numpy.trace(numpy.arange(9).reshape([3, 3])).item(); // 12
 * numpy.trace(numpy.ones([2, 2, 3]), { axis1: 1, axis2: 2 }).tolist(); // [2, 2]
 * ```
 */
export function trace(x: ArrayLike, options: DiagonalOptions = {}): Tensor {
  let t = asarrayFor('trace', x);
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const d = diagonalOf('trace', t, options);
  return reduce('sum', d, [d.ndim - 1]);
}

/**
 * For a vector: the square matrix with it on diagonal `k`. For a matrix: its diagonal `k`.
 *
 * @example
 * ```ts
 * numpy.diag(numpy.array([1, 2])).tolist(); // [[1, 0], [0, 2]]
 * numpy.diag(numpy.array([1, 2]), { k: 1 }).tolist(); // [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
 * numpy.diag(numpy.array([[1, 2], [3, 4]])).tolist(); // [1, 4]
 * ```
 */
export function diag(v: ArrayLike, options: { k?: number } = {}): Tensor {
  const t = asarrayFor('diag', v);
  const k = options.k ?? 0;
  if (t.ndim === 2) return diagonalOf('diag', t, { offset: k });
  if (t.ndim !== 1)
    throw new TensorError('diag', `expected a tensor of rank 1 or 2, found ${avalText(t)}`);
  if (!Number.isInteger(k)) throw new TensorError('diag', `k must be an integer, found ${k}`);
  const n = t.shape[0]! + Math.abs(k);
  // Entry (r, c) is on the diagonal when c - r = k; it holds v[r] for k >= 0 and v[c] below.
  const padded = layout.pad(t, [0], [Math.abs(k)]);
  const values = k >= 0 ? layout.reshape(padded, [n, 1]) : layout.reshape(padded, [1, n]);
  const rows = iotaLike([n, n], 0, 'int32', t.backend);
  const cols = iotaLike([n, n], 1, 'int32', t.backend);
  const onDiagonal = binary('eq', binary('sub', cols, rows), scalarLike(rows, k));
  return where(onDiagonal, values, scalarLike(t, 0));
}
