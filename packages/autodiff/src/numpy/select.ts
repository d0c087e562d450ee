/** Picking elements by index: take, takeAlongAxis, and nonzero. */
import { TensorError, avalText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { binary, where } from '../primitives/elementwise.js';
import { iotaLike, scalarLike } from '../primitives/constants.js';
import { array, asarrayFor, type ArrayLike } from './convert.js';
import { normalizeAxis } from './axes.js';
import { broadcastShapes } from './shape.js';
import { checkIntegerIndices, clampIndex, inRange, wrapNegative } from './index-helpers.js';

/** How {@link take} and {@link takeAlongAxis} treat indices outside `[-n, n)`. */
export type TakeMode = 'clip' | 'wrap' | 'fill';

/** Options of {@link take} and {@link takeAlongAxis}. */
export interface TakeOptions {
  /**
   * Out-of-range indices: `'clip'` (default) clamps them to the nearest valid index, `'wrap'` takes
   * them modulo the length, `'fill'` gives `fillValue`. In every mode `-n <= i < 0` counts from the end.
   */
  mode?: TakeMode;
  /** The value of out-of-range entries in `'fill'` mode: NaN for float32, the least int32, or true. */
  fillValue?: number | boolean;
}

/** `indices` as an int32 tensor; float tensors and non-integer numbers are errors. */
function indexTensor(op: string, indices: ArrayLike, backend: Tensor['backend']): Tensor {
  checkIntegerIndices(op, 'indices', indices);
  return indices instanceof Tensor ? indices : array(indices, { dtype: 'int32', backend });
}

/** Indices in `[0, n)` by `mode`, and for `'fill'` a mask of the ones that were in range. */
function resolve(ix: Tensor, n: number, mode: TakeMode): [Tensor, Tensor | null] {
  if (mode === 'wrap') {
    const zero = scalarLike(ix, 0);
    const length = scalarLike(ix, n);
    const r = binary('rem', ix, length);
    return [where(binary('lt', r, zero), binary('add', r, length), r), null];
  }
  const wrapped = wrapNegative(ix, n);
  return [clampIndex(wrapped, n), mode === 'fill' ? inRange(wrapped, n) : null];
}

function fillFor(t: Tensor, fillValue: number | boolean | undefined): Tensor {
  const fallback = t.dtype === 'float32' ? NaN : t.dtype === 'int32' ? -(2 ** 31) : 1;
  return scalarLike(t, fillValue === undefined ? fallback : Number(fillValue));
}

function checkMode(op: string, mode: string): TakeMode {
  if (mode !== 'clip' && mode !== 'wrap' && mode !== 'fill') {
    throw new TensorError(op, `mode must be 'clip', 'wrap' or 'fill', found '${mode}'`);
  }
  return mode;
}

/**
 * Entries of `x` along `axis` picked by integer `indices` of any shape; the result's shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Without `axis`, `x` is flattened first.
 * `indices` must be an int32 tensor or whole JavaScript numbers (a float index is an error, as in
 * JAX). Out-of-range indices are clamped by default, as indexing does here (`jnp.take` fills them
 * with NaN by default: pass `mode: 'fill'` for that); see {@link TakeOptions}.
 *
 * @example
 * ```ts
 * const x = numpy.array([[1, 2, 3], [4, 5, 6]]);
 * numpy.take(x, [0, 5]).tolist(); // [1, 6]
 * numpy.take(x, [2, -1, 9], { axis: 1 }).tolist(); // [[3, 3, 3], [6, 6, 6]]
 * numpy.take(x, [[1], [0]], { axis: 0 }).shape; // [2, 1, 3]
 * numpy.take(x, [1, 3], { axis: 1, mode: 'fill', fillValue: 0 }).tolist(); // [[2, 0], [5, 0]]
 * numpy.take(x, [4], { mode: 'wrap' }).tolist(); // [5]
 * ```
 */
export function take(
  x: ArrayLike,
  indices: ArrayLike,
  options: TakeOptions & { axis?: number | null } = {},
): Tensor {
  let t = asarrayFor('take', x);
  const ix = indexTensor('take', indices, t.backend);
  const mode = checkMode('take', options.mode ?? 'clip');
  let axis = 0;
  if (options.axis === undefined || options.axis === null) t = layout.reshape(t, [t.size]);
  else axis = normalizeAxis('take', options.axis, t.ndim);
  const n = t.shape[axis]!;
  if (n === 0 && ix.size > 0 && mode !== 'fill') {
    throw new TensorError('take', `cannot take from the empty axis ${axis} of ${avalText(t)}`);
  }
  if (n === 0) {
    const shape = [...t.shape.slice(0, axis), ...ix.shape, ...t.shape.slice(axis + 1)];
    return layout.broadcastTo(fillFor(t, options.fillValue), shape);
  }
  const [safe, valid] = resolve(ix, n, mode);
  const out = layout.gather(t, safe, axis);
  if (!valid) return out;
  const maskShape = [
    ...t.shape.slice(0, axis).map(() => 1),
    ...ix.shape,
    ...t.shape.slice(axis + 1).map(() => 1),
  ];
  return where(layout.reshape(valid, maskShape), out, fillFor(t, options.fillValue));
}

/**
 * Entries of `arr` picked along `axis` by `indices` of the same rank, one index per position: the
 * inverse of `argsort` (`takeAlongAxis(x, argsort(x), -1)` is `sort(x)`). `indices` must be int32 or
 * whole numbers. The other dimensions of `arr` and `indices` broadcast. With `axis: null`, `arr` is flattened and `indices` must be 1-D.
 *
 * @example
 * ```ts
 * const x = numpy.array([[10, 30, 20], [60, 40, 50]]);
 * const order = numpy.array([[0, 2, 1], [1, 2, 0]], { dtype: 'int32' });
 * numpy.takeAlongAxis(x, order, 1).tolist(); // [[10, 20, 30], [40, 50, 60]]
 * numpy.takeAlongAxis(x, numpy.array([[1, 0, 0]], { dtype: 'int32' }), 0).tolist(); // [[60, 30, 20]]
 * ```
 */
export function takeAlongAxis(
  arr: ArrayLike,
  indices: ArrayLike,
  axis: number | null,
  options: TakeOptions = {},
): Tensor {
  let t = asarrayFor('takeAlongAxis', arr);
  let ix = indexTensor('takeAlongAxis', indices, t.backend);
  const mode = checkMode('takeAlongAxis', options.mode ?? 'clip');
  if (axis === null) {
    if (ix.ndim !== 1)
      throw new TensorError(
        'takeAlongAxis',
        `with axis null, indices must be 1-D, found ${avalText(ix)}`,
      );
    t = layout.reshape(t, [t.size]);
    axis = 0;
  }
  if (ix.ndim !== t.ndim) {
    throw new TensorError(
      'takeAlongAxis',
      `indices must have the rank of arr (${t.ndim}), found ${avalText(ix)} for ${avalText(t)}`,
    );
  }
  const a = normalizeAxis('takeAlongAxis', axis, t.ndim);
  const n = t.shape[a]!;
  if (n === 0 && ix.size > 0)
    throw new TensorError(
      'takeAlongAxis',
      `cannot take from the empty axis ${a} of ${avalText(t)}`,
    );
  // Move the axis last, broadcast the others, and gather from the flattened rows.
  const perm = [...t.shape.map((_, d) => d).filter((d) => d !== a), a];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const movedT = layout.transpose(t, perm);
  ix = layout.transpose(ix, perm);
  let batch: number[];
  try {
    batch = broadcastShapes(movedT.shape.slice(0, -1), ix.shape.slice(0, -1));
  } catch {
    throw new TensorError(
      'takeAlongAxis',
      `indices ${avalText(ix)} do not broadcast against arr ${avalText(t)} outside axis ${a}`,
    );
  }
  const m = ix.shape[ix.ndim - 1]!;
  const rows = batch.reduce((p, q) => p * q, 1);
  const source = layout.reshape(layout.broadcastTo(movedT, [...batch, n]), [rows * n]);
  const [safe, valid] = resolve(layout.broadcastTo(ix, [...batch, m]), n, mode);
  const rowStart = binary(
    'mul',
    layout.reshape(iotaLike([rows], 0, 'int32', t.backend), [...batch, 1]),
    scalarLike(safe, n),
  );
  const flat = binary('add', safe, rowStart);
  let out = layout.reshape(layout.gather(source, layout.reshape(flat, [rows * m]), 0), [
    ...batch,
    m,
  ]);
  if (valid) out = where(valid, out, fillFor(t, options.fillValue));
  return layout.transpose(out, inverse);
}

/**
 * The indices of the nonzero (true) entries, one int32 tensor per dimension, in row-major order (bool
 * masks in {@link index} are turned into indices by it).
 * Eager: it reads `x`'s values (the result's length depends on them), so it cannot be traced by `jit`
 * or `vmap` unless `size` fixes the length: then the first `size` hits are kept, and missing ones are
 * `fillValue` (default 0).
 *
 * @example
 * ```ts
 * const [rows, cols] = numpy.nonzero(numpy.array([[0, 3], [4, 0]]));
 * rows.tolist(); // [0, 1]
 * cols.tolist(); // [1, 0]
 * numpy.nonzero(numpy.array([0, 1, 1]), { size: 4, fillValue: -1 })[0]!.tolist(); // [1, 2, -1, -1]
 * ```
 */
export function nonzero(
  x: ArrayLike,
  options: { size?: number; fillValue?: number } = {},
): Tensor[] {
  const t = asarrayFor('nonzero', x);
  if (t.ndim === 0)
    throw new TensorError(
      'nonzero',
      'cannot take nonzero of a zero-dimensional tensor (use atleast1d first)',
    );
  const data = t.dataSync();
  const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const hits: number[][] = t.shape.map(() => []);
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    strides.forEach((s, d) => hits[d]!.push(Math.floor(i / s) % t.shape[d]!));
  }
  const size = options.size;
  if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
    throw new TensorError('nonzero', `size must be a non-negative integer, found ${size}`);
  }
  return hits.map((h) => {
    const values =
      size === undefined
        ? h
        : Array.from({ length: size }, (_, i) => h[i] ?? options.fillValue ?? 0);
    return Tensor._fromArray(t.backend.upload(Int32Array.from(values), [values.length]));
  });
}
