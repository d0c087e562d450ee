/** Rearranging and repeating elements: flip, roll, tile, repeat. */
import { TensorError, avalText, shapeText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { integerList, normalizeAxes, normalizeAxis } from './axes.js';
import { reverseAxis } from './index-helpers.js';

/** A constant int32 vector on `like`'s backend. */
function constantIndices(like: Tensor, values: readonly number[]): Tensor {
  return Tensor._fromArray(like.backend.upload(Int32Array.from(values), [values.length]));
}

/**
 * The elements in reverse order along `axis` (one, several, or all axes when absent).
 *
 * @example
 * ```ts
 * const x = numpy.array([[1, 2], [3, 4]]);
 * numpy.flip(x).tolist(); // [[4, 3], [2, 1]]
 * numpy.flip(x, { axis: 1 }).tolist(); // [[2, 1], [4, 3]]
 * ```
 */
export function flip(
  x: ArrayLike,
  options: { axis?: number | readonly number[] | null } = {},
): Tensor {
  let t = asarrayFor('flip', x);
  for (const axis of normalizeAxes('flip', options.axis, t.ndim)) t = reverseAxis(t, axis);
  return t;
}

/**
 * Shifts elements by `shift` places along `axis`; those pushed past the end come back at the start.
 * Without `axis` the tensor is rolled flat and reshaped back. `shift` and `axis` may be lists of
 * equal length (or one number against a list).
 *
 * @example
 * ```ts
 * numpy.roll(numpy.arange(5), 2).tolist(); // [3, 4, 0, 1, 2]
 * numpy.roll(numpy.arange(5), -1).tolist(); // [1, 2, 3, 4, 0]
 * const x = numpy.arange(6).reshape([2, 3]);
 * numpy.roll(x, 1, { axis: 1 }).tolist(); // [[2, 0, 1], [5, 3, 4]]
 * numpy.roll(x, [1, 1], { axis: [0, 1] }).tolist(); // [[5, 3, 4], [2, 0, 1]]
 * numpy.roll(x, 1).tolist(); // [[5, 0, 1], [2, 3, 4]]
 * ```
 */
export function roll(
  x: ArrayLike,
  shift: number | readonly number[],
  options: { axis?: number | readonly number[] | null } = {},
): Tensor {
  const t = asarrayFor('roll', x);
  integerList('roll', shift, 'shift');
  if (options.axis === undefined || options.axis === null) {
    if (typeof shift !== 'number') {
      throw new TensorError(
        'roll',
        `without axis, shift must be one number, found ${shapeText(shift)}`,
      );
    }
    return layout.reshape(roll(layout.reshape(t, [t.size]), shift, { axis: 0 }), t.shape);
  }
  const axes = typeof options.axis === 'number' ? [options.axis] : options.axis;
  const shifts = typeof shift === 'number' ? [shift] : shift;
  // As NumPy, shift and axis broadcast: one axis against several shifts rolls it by each of them.
  const count = Math.max(shifts.length, axes.length);
  if (
    (shifts.length !== count && shifts.length !== 1) ||
    (axes.length !== count && axes.length !== 1)
  ) {
    throw new TensorError(
      'roll',
      `shift ${shapeText(shifts)} and axis ${shapeText(axes)} must have equal lengths`,
    );
  }
  const pairs = Array.from(
    { length: count },
    (_, i) => [shifts[shifts.length === 1 ? 0 : i]!, axes[axes.length === 1 ? 0 : i]!] as const,
  );
  let out = t;
  for (const [s, a] of pairs) {
    if (!Number.isInteger(s)) throw new TensorError('roll', `shift must be an integer, found ${s}`);
    const axis = normalizeAxis('roll', a, t.ndim);
    const n = t.shape[axis]!;
    const k = n === 0 ? 0 : ((s % n) + n) % n;
    if (k === 0) continue;
    const at = (start: number, stop: number) =>
      layout.slice(
        out,
        out.shape.map((_, d) => (d === axis ? start : 0)),
        out.shape.map((m, d) => (d === axis ? stop : m)),
      );
    out = layout.concat([at(n - k, n), at(0, n - k)], axis);
  }
  return out;
}

/**
 * `x` repeated `reps` times along each axis. When `reps` is longer than `x`'s rank, `x` gains leading
 * axes of length 1; when shorter, `reps` is padded with leading 1s.
 *
 * @example
 * ```ts
 * numpy.tile(numpy.array([1, 2]), 2).tolist(); // [1, 2, 1, 2]
 * numpy.tile(numpy.array([1, 2]), [2, 1]).tolist(); // [[1, 2], [1, 2]]
 * numpy.tile(numpy.array([[1], [2]]), 2).tolist(); // [[1, 1], [2, 2]]
 * ```
 */
export function tile(x: ArrayLike, reps: number | readonly number[]): Tensor {
  let t = asarrayFor('tile', x);
  let r = typeof reps === 'number' ? [reps] : [...reps];
  if (r.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new TensorError('tile', `reps must be non-negative integers, found ${shapeText(r)}`);
  }
  const rank = Math.max(r.length, t.ndim);
  r = [...new Array<number>(rank - r.length).fill(1), ...r];
  const shape = [...new Array<number>(rank - t.ndim).fill(1), ...t.shape];
  // Interleave: [1, d0, 1, d1, ...] broadcast to [r0, d0, r1, d1, ...], then merge each pair.
  t = layout.reshape(
    t,
    shape.flatMap((n) => [1, n]),
  );
  t = layout.broadcastTo(
    t,
    shape.flatMap((n, d) => [r[d]!, n]),
  );
  return layout.reshape(
    t,
    shape.map((n, d) => n * r[d]!),
  );
}

/**
 * Each element repeated `repeats` times along `axis` (of the flattened tensor without `axis`).
 * `repeats` may also be a list with one count per element along the axis.
 *
 * @example
 * ```ts
 * numpy.repeat(numpy.array([1, 2]), 2).tolist(); // [1, 1, 2, 2]
 * numpy.repeat(numpy.array([[1, 2], [3, 4]]), 2, { axis: 0 }).tolist(); // [[1, 2], [1, 2], [3, 4], [3, 4]]
 * numpy.repeat(numpy.array([1, 2, 3]), [0, 1, 2]).tolist(); // [2, 3, 3]
 * ```
 */
export function repeat(
  x: ArrayLike,
  repeats: number | readonly number[],
  options: { axis?: number | null } = {},
): Tensor {
  let t = asarrayFor('repeat', x);
  integerList('repeat', repeats, 'repeats');
  let axis = 0;
  if (options.axis === undefined || options.axis === null) t = layout.reshape(t, [t.size]);
  else axis = normalizeAxis('repeat', options.axis, t.ndim);
  const n = t.shape[axis]!;
  if (typeof repeats !== 'number') {
    if (repeats.length !== n || repeats.some((c) => !Number.isInteger(c) || c < 0)) {
      throw new TensorError(
        'repeat',
        `repeats must be ${n} non-negative integers (one per element along axis ${axis} of ${avalText(t)}), ` +
          `found ${shapeText(repeats)}`,
      );
    }
    const picks = repeats.flatMap((c, i) => new Array<number>(c).fill(i));
    if (picks.length === 0) {
      return layout.slice(
        t,
        t.shape.map(() => 0),
        t.shape.map((m, d) => (d === axis ? 0 : m)),
      );
    }
    return layout.gather(t, constantIndices(t, picks), axis);
  }
  if (!Number.isInteger(repeats) || repeats < 0) {
    throw new TensorError('repeat', `repeats must be a non-negative integer, found ${repeats}`);
  }
  const expanded = [...t.shape.slice(0, axis + 1), 1, ...t.shape.slice(axis + 1)];
  const wide = [...t.shape.slice(0, axis + 1), repeats, ...t.shape.slice(axis + 1)];
  const out = layout.broadcastTo(layout.reshape(t, expanded), wide);
  return layout.reshape(
    out,
    t.shape.map((m, d) => (d === axis ? m * repeats : m)),
  );
}
