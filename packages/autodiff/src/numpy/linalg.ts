/** Matrix products: matmul and dot (more of linear algebra lives in linalg-extra.ts). */
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { matmul as matmulP } from '../primitives/matmul.js';
import { reshape } from '../primitives/layout.js';
import { cast } from '../primitives/elementwise.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { multiply } from './math.js';

/**
 * The matrix product, as NumPy's `@`: 1-D operands are treated as a row (left) or column (right)
 * vector and that dimension is dropped from the result; leading batch dimensions broadcast. Integer
 * operands are converted to float32.
 *
 * @example
 * ```ts
 * const a = numpy.array([[1, 2], [3, 4]]);
 * numpy.matmul(a, a).tolist(); // [[7, 10], [15, 22]]
 * numpy.matmul(a, numpy.array([1, 1])).tolist(); // [3, 7]
 * numpy.matmul(numpy.zeros([5, 2, 3]), numpy.zeros([3, 4])).shape; // [5, 2, 4]
 * ```
 */
export function matmul(a: ArrayLike, b: ArrayLike): Tensor {
  const x = cast(asarrayFor('matmul', a), 'float32');
  const y = cast(asarrayFor('matmul', b), 'float32');
  if (x.ndim === 0 || y.ndim === 0) {
    throw new TensorError(
      'matmul',
      `operands must have at least one dimension, found ${avalText(x)} @ ${avalText(y)}`,
    );
  }
  const left = x.ndim === 1 ? reshape(x, [1, x.shape[0]!]) : x;
  const right = y.ndim === 1 ? reshape(y, [y.shape[0]!, 1]) : y;
  const out = matmulP(left, right);
  const shape = [...out.shape];
  if (y.ndim === 1) shape.splice(shape.length - 1, 1);
  if (x.ndim === 1) shape.splice(shape.length - (y.ndim === 1 ? 1 : 2), 1);
  return shape.length === out.ndim ? out : reshape(out, shape);
}

/**
 * NumPy's `dot`: a product for scalars, the inner product for vectors, `matmul` for matrices, and for
 * an N-D `a` a sum over its last axis and the second-to-last of `b` (the last of a 1-D `b`).
 * Integer inputs give float32, as every product here does.
 *
 * @example
 * ```ts
 * numpy.dot(numpy.array([1, 2, 3]), numpy.array([4, 5, 6])).item(); // 32
 * numpy.dot(numpy.array([[1, 2], [3, 4]]), numpy.array([1, 1])).tolist(); // [3, 7]
 * ```
 */
export function dot(a: ArrayLike, b: ArrayLike): Tensor {
  const x = asarrayFor('dot', a);
  const y = asarrayFor('dot', b);
  if (x.ndim === 0 || y.ndim === 0) return multiply(cast(x, 'float32'), cast(y, 'float32'));
  const k = y.shape[Math.max(y.ndim - 2, 0)]!;
  if (x.shape[x.ndim - 1] !== k) {
    throw new TensorError(
      'dot',
      `inner dimensions differ: ${avalText(x)} · ${avalText(y)} (${x.shape[x.ndim - 1]} != ${k})`,
    );
  }
  if (y.ndim <= 2) return matmul(x, y);
  // N-D dot: contract x's last axis with y's second-to-last; y's other axes follow x's.
  const yFirst = y.shape.slice(0, -2);
  const moved = reshape(
    // [..., k, n] -> [k, prod(...) * n] with y's leading axes kept in order after k.
    cast(y, 'float32').transpose([y.ndim - 2, ...yFirst.map((_, i) => i), y.ndim - 1]),
    [k, y.size / k],
  );
  const out = matmul(x, moved);
  return reshape(out, [...x.shape.slice(0, -1), ...yFirst, y.shape[y.ndim - 1]!]);
}
