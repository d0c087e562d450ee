/** Shape manipulation: reshape, transpose, expandDims, squeeze, broadcastTo, ravel, moveaxis, ... */
import { broadcastShapes as kernelBroadcastShapes } from '@equinox-ts/kernels';
import { TensorError, shapeText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { integerList, normalizeAxes, normalizeAxis } from './axes.js';

/**
 * The same elements in a new shape; one entry may be -1 and is inferred.
 *
 * @example
 * ```ts
 * numpy.reshape(numpy.arange(6), [3, -1]).shape; // [3, 2]
 * ```
 */
export function reshape(x: ArrayLike, newShape: number | readonly number[]): Tensor {
  const t = asarrayFor('reshape', x);
  const shape = integerList('reshape', newShape, 'newShape');
  const inferred = shape.filter((n) => n === -1).length;
  if (inferred > 1 || shape.some((n) => !Number.isInteger(n) || n < -1)) {
    throw new TensorError(
      'reshape',
      `invalid shape ${shapeText(shape)}: entries must be non-negative integers, with at most one -1`,
    );
  }
  let target = [...shape];
  if (inferred === 1) {
    const known = shape.reduce((a, n) => (n === -1 ? a : a * n), 1);
    if (known === 0 || t.size % known !== 0) {
      throw new TensorError(
        'reshape',
        `cannot reshape ${shapeText(t.shape)} (${t.size} elements) to ${shapeText(shape)}`,
      );
    }
    target = shape.map((n) => (n === -1 ? t.size / known : n));
  }
  return layout.reshape(t, target);
}

/**
 * Permutes the dimensions: result dimension `i` is `x`'s dimension `axes[i]` (reversed by default).
 *
 * @example
 * ```ts
 * numpy.transpose(numpy.zeros([2, 3, 4])).shape; // [4, 3, 2]
 * numpy.transpose(numpy.zeros([2, 3, 4]), [1, 0, 2]).shape; // [3, 2, 4]
 * ```
 */
export function transpose(x: ArrayLike, axes?: readonly number[]): Tensor {
  const t = asarrayFor('transpose', x);
  const perm = axes
    ? integerList('transpose', axes, 'axes').map((a) =>
        normalizeAxis('transpose', a, t.ndim, 'axes entry'),
      )
    : t.shape.map((_, i) => t.ndim - 1 - i);
  if (perm.length !== t.ndim || new Set(perm).size !== perm.length) {
    throw new TensorError(
      'transpose',
      `axes ${shapeText(axes ?? [])} is not a permutation of ${t.ndim} dimensions`,
    );
  }
  return layout.transpose(t, perm);
}

/**
 * Swaps two dimensions.
 *
 * @example
 * ```ts
 * numpy.swapaxes(numpy.zeros([2, 3, 4]), 0, -1).shape; // [4, 3, 2]
 * ```
 */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): Tensor {
  const t = asarrayFor('swapaxes', x);
  const a = normalizeAxis('swapaxes', axis1, t.ndim, 'axis1');
  const b = normalizeAxis('swapaxes', axis2, t.ndim, 'axis2');
  const perm = t.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return layout.transpose(t, perm);
}

/**
 * Moves dimension `source` to position `destination`, keeping the others in order.
 *
 * @example
 * ```ts
 * numpy.moveaxis(numpy.zeros([2, 3, 4]), 0, -1).shape; // [3, 4, 2]
 * ```
 */
export function moveaxis(x: ArrayLike, source: number, destination: number): Tensor {
  const t = asarrayFor('moveaxis', x);
  const s = normalizeAxis('moveaxis', source, t.ndim, 'source');
  const d = normalizeAxis('moveaxis', destination, t.ndim, 'destination');
  const perm = t.shape.map((_, i) => i).filter((i) => i !== s);
  perm.splice(d, 0, s);
  return layout.transpose(t, perm);
}

/**
 * Inserts length-1 dimensions at `axis` (positions in the result).
 *
 * @example
 * ```ts
 * numpy.expandDims(numpy.zeros([3]), -1).shape; // [3, 1]
 * numpy.expandDims(numpy.zeros([3]), [0, 2]).shape; // [1, 3, 1]
 * ```
 */
export function expandDims(x: ArrayLike, axis: number | readonly number[]): Tensor {
  const t = asarrayFor('expandDims', x);
  const list = integerList('expandDims', axis, 'axis');
  const rank = t.ndim + list.length;
  const axes = normalizeAxes('expandDims', list, rank);
  const shape: number[] = [];
  let source = 0;
  for (let d = 0; d < rank; d++) shape.push(axes.includes(d) ? 1 : t.shape[source++]!);
  return layout.reshape(t, shape);
}

/**
 * Removes length-1 dimensions: those in `axis`, or all of them.
 *
 * @example
 * ```ts
 * numpy.squeeze(numpy.zeros([1, 3, 1])).shape; // [3]
 * numpy.squeeze(numpy.zeros([1, 3, 1]), 0).shape; // [3, 1]
 * ```
 */
export function squeeze(x: ArrayLike, axis?: number | readonly number[] | null): Tensor {
  const t = asarrayFor('squeeze', x);
  const axes =
    axis === undefined || axis === null
      ? t.shape.flatMap((n, d) => (n === 1 ? [d] : []))
      : normalizeAxes('squeeze', axis, t.ndim);
  for (const a of axes) {
    if (t.shape[a] !== 1)
      throw new TensorError(
        'squeeze',
        `cannot squeeze axis ${a} of ${shapeText(t.shape)}: its length is ${t.shape[a]}, not 1`,
      );
  }
  return layout.reshape(
    t,
    t.shape.filter((_, d) => !axes.includes(d)),
  );
}

/**
 * The elements as a 1-D tensor.
 *
 * @example
 * ```ts
 * numpy.ravel(numpy.zeros([2, 3])).shape; // [6]
 * ```
 */
export function ravel(x: ArrayLike): Tensor {
  const t = asarrayFor('ravel', x);
  return layout.reshape(t, [t.size]);
}

/**
 * `x` broadcast to `shape` by NumPy rules.
 *
 * @example
 * ```ts
 * numpy.broadcastTo(numpy.array([1, 2]), [2, 2]).tolist(); // [[1, 2], [1, 2]]
 * ```
 */
export function broadcastTo(x: ArrayLike, shape: number | readonly number[]): Tensor {
  return layout.broadcastTo(
    asarrayFor('broadcastTo', x),
    integerList('broadcastTo', shape, 'shape'),
  );
}

/**
 * The shape that tensors of the given shapes broadcast to.
 *
 * @example
 * ```ts
 * numpy.broadcastShapes([2, 1], [3]); // [2, 3]
 * ```
 */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  shapes.forEach((shape, i) => integerList('broadcastShapes', shape, `shape ${i}`));
  try {
    return kernelBroadcastShapes('broadcastShapes', ...shapes);
  } catch {
    throw new TensorError(
      'broadcastShapes',
      `shapes ${shapes.map(shapeText).join(', ')} do not broadcast`,
    );
  }
}

/**
 * Tensors broadcast against each other to one shape.
 *
 * @example
 * ```ts
 * numpy.broadcastArrays(numpy.zeros([2, 1]), numpy.zeros([3])).map((t) => t.shape); // [[2, 3], [2, 3]]
 * ```
 */
export function broadcastArrays(...xs: ArrayLike[]): Tensor[] {
  const ts = xs.map((x) => asarrayFor('broadcastArrays', x));
  let shape: number[];
  try {
    shape = kernelBroadcastShapes('broadcastArrays', ...ts.map((t) => t.shape));
  } catch {
    throw new TensorError(
      'broadcastArrays',
      `the arguments' shapes must broadcast, found ${ts.map((t) => shapeText(t.shape)).join(', ')}`,
    );
  }
  return ts.map((t) => layout.broadcastTo(t, shape));
}

/**
 * Views with at least one dimension (a 0-d tensor becomes shape [1]).
 *
 * @example
 * ```ts
 * numpy.atleast1d(numpy.array(3)).shape; // [1]
 * ```
 */
export function atleast1d(x: ArrayLike): Tensor {
  const t = asarrayFor('atleast1d', x);
  return t.ndim === 0 ? layout.reshape(t, [1]) : t;
}
