/**
 * sort and argsort from tensor operations only: a bitonic sorting network over integer keys, run along
 * the last axis padded to a power of two. The network carries each element's index, which breaks ties
 * (so the order is stable) and is the argsort; `sort` then gathers `x` by it, so its gradient is the
 * gather's (a scatter of the cotangent back to where each element came from).
 */
import { TensorError } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { binary, bitcast, cast, unary, where } from '../primitives/elementwise.js';
import { iotaLike, scalarLike } from '../primitives/constants.js';
import { asarray, type ArrayLike } from './convert.js';
import { normalizeAxis } from './axes.js';
import { takeAlongAxis } from './select.js';

const INT32_MAX = 2 ** 31 - 1;

/**
 * int32 keys in the order of `t`'s values: float32 bits made monotonic (negative floats have their
 * magnitude bits flipped), -0 equal to +0, and every NaN above +Infinity, so NaNs sort last.
 */
function sortKeys(t: Tensor, descending: boolean): Tensor {
  let keys: Tensor;
  if (t.dtype === 'float32') {
    // Adding zero turns -0 into +0; bitcast has no gradient, so the keys stay out of differentiation.
    const bits = bitcast(binary('add', t, scalarLike(t, 0)), 'int32');
    const zero = scalarLike(bits, 0);
    const monotonic = where(
      binary('lt', bits, zero),
      binary('bitwiseXor', bits, scalarLike(bits, INT32_MAX)),
      bits,
    );
    keys = where(unary('isNaN', t), scalarLike(bits, INT32_MAX), monotonic);
  } else {
    keys = cast(t, 'int32');
  }
  // ~k = -k - 1 reverses the order without overflow at the least int32.
  return descending ? unary('bitwiseNot', keys) : keys;
}

function constant(like: Tensor, values: readonly number[], dtype: 'int32' | 'bool'): Tensor {
  const data = dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
  return Tensor._fromArray(like.backend.upload(data, [values.length]));
}

/** The stable ascending order of each row of int32 `keys` (shape `[rows, n]`), as int32 indices. */
function bitonicOrder(keys: Tensor): Tensor {
  const [rows, n] = keys.shape as [number, number];
  let length = 1;
  while (length < n) length *= 2;
  // Padding sorts after everything: the largest key, and indices beyond every real one.
  let key = layout.pad(keys, [0, 0], [0, length - n], INT32_MAX);
  let idx = iotaLike([rows, length], 1, 'int32', keys.backend);
  for (let block = 2; block <= length; block *= 2) {
    for (let stride = block / 2; stride >= 1; stride /= 2) {
      const partner: number[] = [];
      const takeSmaller: number[] = [];
      for (let i = 0; i < length; i++) {
        const j = i ^ stride;
        partner.push(j);
        // In ascending blocks the lower position keeps the smaller pair; in descending ones, the larger.
        takeSmaller.push(Number(i < j === ((i & block) === 0)));
      }
      const partnerIndices = constant(keys, partner, 'int32');
      const otherKey = layout.gather(key, partnerIndices, 1);
      const otherIdx = layout.gather(idx, partnerIndices, 1);
      const selfSmaller = binary(
        'logicalOr',
        binary('lt', key, otherKey),
        binary('logicalAnd', binary('eq', key, otherKey), binary('lt', idx, otherIdx)),
      );
      const keepSelf = binary('eq', selfSmaller, constant(keys, takeSmaller, 'bool'));
      key = where(keepSelf, key, otherKey);
      idx = where(keepSelf, idx, otherIdx);
    }
  }
  return layout.slice(idx, [0, 0], [rows, n]);
}

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
  let t = asarray(x);
  if (options.axis === null) t = layout.reshape(t, [t.size]);
  if (t.ndim === 0)
    throw new TensorError(
      op,
      'cannot sort a zero-dimensional tensor along an axis (use axis: null)',
    );
  const axis = normalizeAxis(op, options.axis ?? -1, t.ndim);
  const n = t.shape[axis]!;
  const perm = [...t.shape.map((_, d) => d).filter((d) => d !== axis), axis];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const moved = layout.transpose(sortKeys(t, options.descending ?? false), perm);
  const rows = t.size / Math.max(n, 1);
  const order =
    n <= 1
      ? iotaLike(moved.shape, moved.ndim - 1, 'int32', t.backend)
      : bitonicOrder(layout.reshape(moved, [rows, n]));
  return [t, layout.transpose(layout.reshape(order, moved.shape), inverse), axis];
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
