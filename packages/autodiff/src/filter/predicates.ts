/** The leaf predicates that filtered transformations and `partition` use, as in Equinox. */
import { isFloatDtype } from '../core/dtype.js';
import { Tensor } from '../tensor.js';

/**
 * True for tensors (of any dtype).
 *
 * @example
 * ```ts
 * isArray(numpy.zeros([2])); // true
 * isArray(1.5); // false
 * ```
 */
export function isArray(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/**
 * True for floating-point tensors: the leaves that `filterGrad` differentiates.
 *
 * @example
 * ```ts
 * isInexactArray(numpy.zeros([2])); // true
 * isInexactArray(numpy.arange(3)); // false
 * ```
 */
export function isInexactArray(x: unknown): x is Tensor {
  return x instanceof Tensor && isFloatDtype(x.dtype);
}

/**
 * True for tensors and for JavaScript numbers and booleans (values that can become tensors).
 *
 * @example
 * ```ts
 * isArrayLike(3); // true
 * isArrayLike('relu'); // false
 * ```
 */
export function isArrayLike(x: unknown): boolean {
  return x instanceof Tensor || typeof x === 'number' || typeof x === 'boolean';
}
