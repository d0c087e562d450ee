/**
 * sort and argsort. The order comes from the backend's stable argsort kernel; `sort` gathers `x` by it,
 * so its gradient is the gather's (a scatter of the cotangent back to where each element came from).
 */
import { TensorError } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { cast } from '../primitives/elementwise.js';
import { argsort as argsortP } from '../primitives/sort.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { normalizeAxis } from './axes.js';
import { takeAlongAxis } from './select.js';

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** The axis to sort along (default -1, the last); `null` sorts the flattened tensor. */
  axis?: number | null;
  /** Largest first (NaNs first too); equal elements still keep their order. Default false. */
  descending?: boolean;
  /** Accepted for JAX compatibility: the sort is always stable. */
  stable?: boolean;
}

function sortedOrder(op: string, x: ArrayLike, options: SortOptions): [Tensor, Tensor, number] {
  let t = asarrayFor(op, x);
  if (options.axis === null) t = layout.reshape(t, [t.size]);
  if (t.ndim === 0) {
    throw new TensorError(
      op,
      'cannot sort a zero-dimensional tensor along an axis (use axis: null)',
    );
  }
  const axis = normalizeAxis(op, options.axis ?? -1, t.ndim);
  const keys = t.dtype === 'bool' ? cast(t, 'int32') : t;
  return [t, argsortP(keys, axis, options.descending ?? false), axis];
}

/**
 * The indices that sort `x` along `axis` (default the last): `takeAlongAxis(x, argsort(x), axis)` is
 * sorted. Stable: equal elements keep their order. NaNs sort last, as in NumPy. int32.
 *
 * @example
 * ```ts
 * numpy.argsort(numpy.array([3, 1, 2])).tolist(); // [1, 2, 0]
 * numpy.argsort(numpy.array([2, 1, 2, 1])).tolist(); // [1, 3, 0, 2]
 * numpy.argsort(numpy.array([[3, 1], [0, 5]]), { axis: 0 }).tolist(); // [[1, 0], [0, 1]]
 * numpy.argsort(numpy.array([3, 1, 2]), { descending: true }).tolist(); // [0, 2, 1]
 * ```
 */
export function argsort(x: ArrayLike, options: SortOptions = {}): Tensor {
  return sortedOrder('argsort', x, options)[1];
}

/**
 * `x` sorted along `axis` (default the last; `null` flattens first). NaNs sort last, as in NumPy.
 * Differentiable: each output element's gradient goes to the input element it came from.
 *
 * @example
 * ```ts
 * numpy.sort(numpy.array([3, 1, NaN, 2])).tolist(); // [1, 2, 3, NaN]
 * numpy.sort(numpy.array([[3, 1], [0, 5]]), { axis: 0 }).tolist(); // [[0, 1], [3, 5]]
 * numpy.sort(numpy.array([[3, 1], [0, 5]]), { axis: null }).tolist(); // [0, 1, 3, 5]
 * numpy.sort(numpy.array([1, 3, 2]), { descending: true }).tolist(); // [3, 2, 1]
 * ```
 */
export function sort(x: ArrayLike, options: SortOptions = {}): Tensor {
  const [t, order, axis] = sortedOrder('sort', x, options);
  return takeAlongAxis(t, order, axis);
}
