/** Joining and splitting: concatenate, stack, hstack, vstack, split, arraySplit. */
import { TensorError, avalText, shapeText, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { resultDtype } from '../core/dtype.js';
import { cast } from '../primitives/elementwise.js';
import { array, asarrayFor, type ArrayLike } from './convert.js';
import { normalizeAxis } from './axes.js';

/** Whether `value` is an array; a test that does not narrow, so a list's element type stays its own. */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

/**
 * The inputs as tensors of one dtype, promoted as elementwise operations promote tensors. Their
 * shapes need not broadcast (each join checks its own rule), so this does not use promoteOperands.
 */
function joinable(op: string, xs: readonly ArrayLike[]): Tensor[] {
  if (!isList(xs)) throw new TensorError(op, `xs must be a list of arrays, found ${valueText(xs)}`);
  if (xs.length === 0)
    throw new TensorError(op, 'need at least one array to join, found an empty list');
  // Non-tensor inputs go where the first tensor lives.
  const backend = xs.find((x): x is Tensor => x instanceof Tensor)?.backend;
  const ts = xs.map((x) => (x instanceof Tensor ? x : array(x, { backend })));
  const dtype = resultDtype(
    ts.map((t) => t.dtype),
    [],
  );
  return ts.map((t) => cast(t, dtype));
}

/**
 * Joins tensors along an existing axis (default 0); with `axis: null` the inputs are flattened first.
 * Dtypes are promoted to a common one; all other dimensions must agree.
 *
 * @example
 * ```ts
 * const a = numpy.array([[1, 2]]);
 * numpy.concatenate([a, numpy.array([[3, 4]])]).tolist(); // [[1, 2], [3, 4]]
 * numpy.concatenate([a, numpy.array([[5]])], { axis: 1 }).tolist(); // [[1, 2, 5]]
 * numpy.concatenate([a, numpy.array([7])], { axis: null }).tolist(); // [1, 2, 7]
 * ```
 */
export function concatenate(
  xs: readonly ArrayLike[],
  options: { axis?: number | null } = {},
): Tensor {
  let ts = joinable('concatenate', xs);
  let axis: number;
  if (options.axis === null) {
    ts = ts.map((t) => layout.reshape(t, [t.size]));
    axis = 0;
  } else {
    const first = ts[0]!;
    if (first.ndim === 0) {
      throw new TensorError(
        'concatenate',
        'zero-dimensional tensors cannot be concatenated (use stack, or axis: null)',
      );
    }
    axis = normalizeAxis('concatenate', options.axis ?? 0, first.ndim);
    for (const t of ts) {
      const fits =
        t.ndim === first.ndim && t.shape.every((n, d) => d === axis || n === first.shape[d]);
      if (!fits) {
        throw new TensorError(
          'concatenate',
          `all inputs must have the same shape except along axis ${axis}, found ${ts.map(avalText).join(', ')}`,
        );
      }
    }
  }
  return layout.concat(ts, axis);
}

/**
 * Joins tensors of one shape along a new axis (default 0).
 *
 * @example
 * ```ts
 * const a = numpy.array([1, 2]);
 * const b = numpy.array([3, 4]);
 * numpy.stack([a, b]).tolist(); // [[1, 2], [3, 4]]
 * numpy.stack([a, b], { axis: -1 }).tolist(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(xs: readonly ArrayLike[], options: { axis?: number } = {}): Tensor {
  const ts = joinable('stack', xs);
  const shape = ts[0]!.shape;
  if (ts.some((t) => shapeText(t.shape) !== shapeText(shape))) {
    throw new TensorError(
      'stack',
      `all inputs must have the same shape, found ${ts.map(avalText).join(', ')}`,
    );
  }
  const axis = normalizeAxis('stack', options.axis ?? 0, shape.length + 1);
  const expanded = [...shape.slice(0, axis), 1, ...shape.slice(axis)];
  return layout.concat(
    ts.map((t) => layout.reshape(t, expanded)),
    axis,
  );
}

/**
 * Joins tensors column-wise: along axis 1, or along axis 0 for 1-D (and 0-d) inputs.
 *
 * @example
 * ```ts
 * numpy.hstack([numpy.array([1, 2]), numpy.array([3])]).tolist(); // [1, 2, 3]
 * numpy.hstack([numpy.array([[1], [2]]), numpy.array([[3], [4]])]).tolist(); // [[1, 3], [2, 4]]
 * ```
 */
export function hstack(xs: readonly ArrayLike[]): Tensor {
  const ts = joinable('hstack', xs).map((t) => (t.ndim === 0 ? layout.reshape(t, [1]) : t));
  return concatenate(ts, { axis: ts[0]!.ndim === 1 ? 0 : 1 });
}

/**
 * Joins tensors row-wise, along axis 0; 1-D inputs of length `n` are rows of shape `[1, n]`.
 *
 * @example
 * ```ts
 * numpy.vstack([numpy.array([1, 2]), numpy.array([3, 4])]).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export function vstack(xs: readonly ArrayLike[]): Tensor {
  const ts = joinable('vstack', xs).map((t) => (t.ndim < 2 ? layout.reshape(t, [1, t.size]) : t));
  return concatenate(ts, { axis: 0 });
}

/** The pieces of `x` between consecutive `points` along `axis` (points clamped as Python slices are). */
function cut(x: Tensor, points: readonly number[], axis: number): Tensor[] {
  const n = x.shape[axis]!;
  const clamp = (p: number): number => Math.min(Math.max(p < 0 ? p + n : p, 0), n);
  const bounds = [0, ...points.map(clamp), n];
  const pieces: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i]!;
    const hi = Math.max(lo, bounds[i + 1]!);
    pieces.push(
      layout.slice(
        x,
        x.shape.map((_, d) => (d === axis ? lo : 0)),
        x.shape.map((m, d) => (d === axis ? hi : m)),
      ),
    );
  }
  return pieces;
}

function splitPoints(
  op: string,
  x: Tensor,
  indicesOrSections: number | readonly number[],
  axis: number,
  even: boolean,
): number[] {
  if (typeof indicesOrSections !== 'number') {
    if (!isList(indicesOrSections)) {
      throw new TensorError(
        op,
        `indicesOrSections must be an integer or a list of integers, found ${valueText(indicesOrSections)}`,
      );
    }
    if (indicesOrSections.some((p) => !Number.isInteger(p))) {
      throw new TensorError(
        op,
        `split indices must be integers, found ${shapeText(indicesOrSections)}`,
      );
    }
    return [...indicesOrSections];
  }
  const sections = indicesOrSections;
  if (!Number.isInteger(sections) || sections < 1) {
    throw new TensorError(
      op,
      `the number of sections must be a positive integer, found ${sections}`,
    );
  }
  const n = x.shape[axis]!;
  if (even && n % sections !== 0) {
    throw new TensorError(
      op,
      `axis ${axis} of length ${n} does not split into ${sections} equal sections (use arraySplit for unequal ones)`,
    );
  }
  // NumPy's array_split: the first n % sections pieces are one longer.
  const base = Math.floor(n / sections);
  const extra = n % sections;
  const points: number[] = [];
  let at = 0;
  for (let i = 0; i < sections - 1; i++) points.push((at += base + (i < extra ? 1 : 0)));
  return points;
}

/** Options of {@link split} and {@link arraySplit}. */
export interface SplitOptions {
  /** The axis to split along (default 0; negative counts from the end). */
  axis?: number;
}

/**
 * Splits `x` along `axis` into `indicesOrSections` equal pieces (an error if they cannot be equal), or
 * at the given indices (a list: `[2, 5]` gives `x[:2]`, `x[2:5]`, `x[5:]`).
 *
 * @example
 * ```ts
 * const x = numpy.arange(6);
 * numpy.split(x, 3).map((t) => t.tolist()); // [[0, 1], [2, 3], [4, 5]]
 * numpy.split(x, [1, 4]).map((t) => t.tolist()); // [[0], [1, 2, 3], [4, 5]]
 * numpy.split(numpy.zeros([2, 4]), 2, { axis: 1 }).map((t) => t.shape); // [[2, 2], [2, 2]]
 * ```
 */
export function split(
  x: ArrayLike,
  indicesOrSections: number | readonly number[],
  options: SplitOptions = {},
): Tensor[] {
  const t = asarrayFor('split', x);
  if (t.ndim === 0) throw new TensorError('split', 'cannot split a zero-dimensional tensor');
  const axis = normalizeAxis('split', options.axis ?? 0, t.ndim);
  return cut(t, splitPoints('split', t, indicesOrSections, axis, true), axis);
}

/**
 * As {@link split}, but a number of sections that does not divide the axis is allowed: the first
 * `length % sections` pieces are one element longer.
 *
 * @example
 * ```ts
 * numpy.arraySplit(numpy.arange(5), 3).map((t) => t.tolist()); // [[0, 1], [2, 3], [4]]
 * ```
 */
export function arraySplit(
  x: ArrayLike,
  indicesOrSections: number | readonly number[],
  options: SplitOptions = {},
): Tensor[] {
  const t = asarrayFor('arraySplit', x);
  if (t.ndim === 0) throw new TensorError('arraySplit', 'cannot split a zero-dimensional tensor');
  const axis = normalizeAxis('arraySplit', options.axis ?? 0, t.ndim);
  return cut(t, splitPoints('arraySplit', t, indicesOrSections, axis, false), axis);
}
