/** Reductions with NumPy's `axis` and `keepdims`: sum, mean, max, min, prod, var, std, argmax, ... */
import type { ReduceOp } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { argReduce, cumsum as cumsumP, keptShape, reduce } from '../primitives/reduce.js';
import { binary, cast, unary } from '../primitives/elementwise.js';
import { reshape } from '../primitives/layout.js';
import { scalarLike } from '../primitives/constants.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { normalizeAxes, normalizeAxis } from './axes.js';

/** Options of the reductions. */
export interface ReduceOptions {
  /** The axis or axes to reduce (negative counts from the end); all of them when absent. */
  axis?: number | readonly number[] | null;
  /** Keep reduced axes as length 1, so the result broadcasts against the input. */
  keepdims?: boolean;
}

function reduction(op: string, kind: ReduceOp, x: ArrayLike, options: ReduceOptions): Tensor {
  let t = asarrayFor(op, x);
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const axes = normalizeAxes(op, options.axis, t.ndim);
  if ((kind === 'max' || kind === 'min') && axes.some((a) => t.shape[a] === 0)) {
    throw new TensorError(
      op,
      `zero-size reduction over ${avalText(t)}: ${op} of nothing has no identity`,
    );
  }
  const out = reduce(kind, t, axes);
  return options.keepdims ? reshape(out, keptShape(t.shape, axes)) : out;
}

/**
 * The sum of elements over `axis` (all by default); bools count as 0/1 (int32).
 *
 * @example
 * ```ts
 * const x = numpy.array([[1, 2], [3, 4]]);
 * numpy.sum(x).item(); // 10
 * numpy.sum(x, { axis: 0 }).tolist(); // [4, 6]
 * numpy.sum(x, { axis: -1, keepdims: true }).tolist(); // [[3], [7]]
 * ```
 */
export function sum(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  return reduction('sum', 'sum', x, options);
}

/**
 * The product of elements over `axis`.
 *
 * @example
 * ```ts
 * numpy.prod(numpy.array([[1, 2], [3, 4]]), { axis: 1 }).tolist(); // [2, 12]
 * ```
 */
export function prod(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  return reduction('prod', 'prod', x, options);
}

/**
 * The largest element over `axis`; an error for an empty axis.
 *
 * @example
 * ```ts
 * numpy.max(numpy.array([[1, 5], [3, 4]]), { axis: 0 }).tolist(); // [3, 5]
 * ```
 */
export function max(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  return reduction('max', 'max', x, options);
}

/**
 * The smallest element over `axis`; an error for an empty axis.
 *
 * @example
 * ```ts
 * numpy.min(numpy.array([[1, 5], [3, 4]]), { axis: 1 }).tolist(); // [1, 3]
 * ```
 */
export function min(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  return reduction('min', 'min', x, options);
}

/**
 * The arithmetic mean over `axis` (float32; NaN for an empty axis, as NumPy).
 *
 * @example
 * ```ts
 * numpy.mean(numpy.array([[1, 2], [3, 4]]), { axis: 0 }).tolist(); // [2, 3]
 * ```
 */
export function mean(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  const t = cast(asarrayFor('mean', x), 'float32');
  const axes = normalizeAxes('mean', options.axis, t.ndim);
  const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
  return binary('div', sum(t, options), scalarLike(t, count));
}

/** Options of {@link variance} and {@link std}. */
export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is `N - ddof` (default 0, the population variance). */
  ddof?: number;
}

/**
 * The variance over `axis`: the mean squared deviation from the mean, divided by `N - ddof`.
 * (`numpy.var` in NumPy; `var` is a reserved word in JavaScript.)
 *
 * @example
 * ```ts
 * numpy.variance(numpy.array([1, 2, 3, 4])).item(); // 1.25
 * numpy.variance(numpy.array([1, 2, 3, 4]), { ddof: 1 }).item(); // 1.6666666269302368
 * ```
 */
export function variance(x: ArrayLike, options: VarOptions = {}): Tensor {
  return varianceFor('variance', x, options);
}

/** {@link variance}, with `op` (the function the user called) named in errors. */
function varianceFor(op: string, x: ArrayLike, options: VarOptions): Tensor {
  const t = cast(asarrayFor(op, x), 'float32');
  const axes = normalizeAxes(op, options.axis, t.ndim);
  const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
  const centred = binary('sub', t, mean(t, { axis: axes, keepdims: true }));
  const squares = sum(unary('square', centred), {
    axis: axes,
    keepdims: options.keepdims ?? false,
  });
  return binary('div', squares, scalarLike(t, Math.max(count - (options.ddof ?? 0), 0)));
}

/**
 * The standard deviation over `axis`: the square root of {@link variance}.
 *
 * @example
 * ```ts
 * numpy.std(numpy.array([1, 3])).item(); // 1
 * ```
 */
export function std(x: ArrayLike, options: VarOptions = {}): Tensor {
  return unary('sqrt', varianceFor('std', x, options));
}

function argReduction(
  op: 'argmax' | 'argmin',
  x: ArrayLike,
  options: { axis?: number; keepdims?: boolean },
): Tensor {
  let t = asarrayFor(op, x);
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const flat = options.axis === undefined;
  const source = flat ? reshape(t, [t.size]) : t;
  const axis = flat ? 0 : normalizeAxis(op, options.axis!, t.ndim);
  if (source.shape[axis] === 0)
    throw new TensorError(op, `cannot take ${op} of the empty axis ${axis} of ${avalText(t)}`);
  const out = argReduce(op, source, axis);
  if (!options.keepdims) return out;
  return reshape(out, flat ? t.shape.map(() => 1) : keptShape(t.shape, [axis]));
}

/**
 * The index of the largest element along `axis` (of the flattened tensor when `axis` is absent); the
 * first one on ties. int32.
 *
 * @example
 * ```ts
 * numpy.argmax(numpy.array([[1, 5], [7, 2]]), { axis: 1 }).tolist(); // [1, 0]
 * numpy.argmax(numpy.array([[1, 5], [7, 2]])).item(); // 2
 * ```
 */
export function argmax(x: ArrayLike, options: { axis?: number; keepdims?: boolean } = {}): Tensor {
  return argReduction('argmax', x, options);
}

/**
 * The index of the smallest element along `axis` (of the flattened tensor when `axis` is absent). int32.
 *
 * @example
 * ```ts
 * numpy.argmin(numpy.array([[1, 5], [7, 2]]), { axis: 1 }).tolist(); // [0, 1]
 * ```
 */
export function argmin(x: ArrayLike, options: { axis?: number; keepdims?: boolean } = {}): Tensor {
  return argReduction('argmin', x, options);
}

/**
 * True if every element is nonzero (over `axis`).
 *
 * @example
 * ```ts
 * numpy.all(numpy.array([[true, false], [true, true]]), { axis: 1 }).tolist(); // [false, true]
 * ```
 */
export function all(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  const t = cast(asarrayFor('all', x), 'bool');
  normalizeAxes('all', options.axis, t.ndim); // checked here so that errors name all, not sum
  return unary('logicalNot', any(unary('logicalNot', t), options));
}

/**
 * True if any element is nonzero (over `axis`).
 *
 * @example
 * ```ts
 * numpy.any(numpy.array([[true, false], [false, false]]), { axis: 1 }).tolist(); // [true, false]
 * ```
 */
export function any(x: ArrayLike, options: ReduceOptions = {}): Tensor {
  const t = cast(asarrayFor('any', x), 'bool');
  normalizeAxes('any', options.axis, t.ndim); // checked here so that errors name any, not sum
  return binary('gt', sum(t, options), scalarLike(t, 0, 'int32'));
}

/**
 * The cumulative sum along `axis` (of the flattened tensor when absent); bools count as int32.
 *
 * @example
 * ```ts
 * numpy.cumsum(numpy.array([[1, 2], [3, 4]]), { axis: 1 }).tolist(); // [[1, 3], [3, 7]]
 * numpy.cumsum(numpy.array([1, 2, 3])).tolist(); // [1, 3, 6]
 * ```
 */
export function cumsum(x: ArrayLike, options: { axis?: number; reverse?: boolean } = {}): Tensor {
  let t = asarrayFor('cumsum', x);
  if (t.dtype === 'bool') t = cast(t, 'int32');
  if (options.axis === undefined) return cumsumP(reshape(t, [t.size]), 0, options.reverse ?? false);
  return cumsumP(t, normalizeAxis('cumsum', options.axis, t.ndim), options.reverse ?? false);
}
