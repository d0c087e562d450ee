/**
 * Layout primitives: reshape, transpose, broadcastTo, slice, concat, pad, and the gather/scatterAdd
 * pair. Their arguments are checked and normalised by the numpy functions; the shape rules here
 * still refuse anything that does not fit, so a bad call never reaches a kernel.
 */
import { TensorError, avalText, shapeText } from '../core/errors.js';
import { bind, definePrimitive } from '../core/primitive.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './reduce.js';

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const reshapeP = definePrimitive<readonly number[]>({
  name: 'reshape',
  shape: ([x], shape) => {
    if (sizeOf(shape) !== sizeOf(x!.shape)) {
      throw new TensorError(
        'reshape',
        `cannot reshape ${shapeText(x!.shape)} (${sizeOf(x!.shape)} elements) to ${shapeText(shape)} ` +
          `(${sizeOf(shape)} elements)`,
      );
    }
    return { shape, dtype: x!.dtype };
  },
  impl: (backend, [x], shape) => backend.reshape(x!, shape),
  vjp: (ct, [x]) => [reshape(ct, x!.shape)],
});

/** The same elements in `shape` (fully specified; the numpy function resolves -1). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return sameShape(x.shape, shape) ? x : bind(reshapeP, [x], shape);
}

const transposeP = definePrimitive<readonly number[]>({
  name: 'transpose',
  shape: ([x], perm) => ({ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }),
  impl: (backend, [x], perm) => backend.transpose(x!, perm),
  vjp: (ct, _x, _y, perm) => {
    const inverse: number[] = [];
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(ct, inverse)];
  },
});

/** Permutes dimensions: the result's dimension `i` is `x`'s dimension `perm[i]`. */
export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  return perm.every((p, i) => p === i) ? x : bind(transposeP, [x], perm);
}

const broadcastToP = definePrimitive<readonly number[]>({
  name: 'broadcastTo',
  shape: ([x], shape) => {
    const lead = shape.length - x!.shape.length;
    if (lead < 0 || x!.shape.some((n, d) => n !== 1 && n !== shape[lead + d])) {
      throw new TensorError(
        'broadcastTo',
        `cannot broadcast ${avalText(x!)} to ${shapeText(shape)}: each trailing dimension must equal the ` +
          `target's or be 1`,
      );
    }
    return { shape, dtype: x!.dtype };
  },
  impl: (backend, [x], shape) => backend.broadcastTo(x!, shape),
  vjp: (ct, [x]) => [sumToShape(ct, x!.shape)],
});

/** Broadcasts `x` to `shape` by NumPy rules. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return sameShape(x.shape, shape) ? x : bind(broadcastToP, [x], shape);
}

interface SliceParams {
  readonly start: readonly number[];
  readonly limit: readonly number[];
  readonly strides: readonly number[];
}

const sliceP = definePrimitive<SliceParams>({
  name: 'slice',
  shape: ([x], { start, limit, strides }) => {
    const ok =
      start.length === x!.shape.length &&
      x!.shape.every(
        (n, d) => start[d]! >= 0 && start[d]! <= limit[d]! && limit[d]! <= n && strides[d]! >= 1,
      );
    if (!ok) {
      throw new TensorError(
        'slice',
        `start ${shapeText(start)}, limit ${shapeText(limit)}, strides ${shapeText(strides)} do not fit ${avalText(x!)}`,
      );
    }
    return {
      shape: start.map((s, d) => Math.ceil((limit[d]! - s) / strides[d]!)),
      dtype: x!.dtype,
    };
  },
  impl: (backend, [x], { start, limit, strides }) => backend.slice(x!, start, limit, strides),
  vjp: (ct, [x], _y, { start, strides }) => {
    // Put the cotangent back where it came from, zeros elsewhere: lax.pad with interior padding.
    const hi = x!.shape.map((n, d) => n - (start[d]! + (ct.shape[d]! - 1) * strides[d]! + 1));
    const interior = strides.map((s) => s - 1);
    return [
      ct.shape.some((n) => n === 0)
        ? pad(
            ct,
            x!.shape.map(() => 0),
            x!.shape.map((n, d) => n - ct.shape[d]!),
            0,
            interior.map(() => 0),
          )
        : pad(ct, start, hi, 0, interior),
    ];
  },
});

/** `lax.slice`: from `start` (inclusive) to `limit` (exclusive), every `strides[d]`-th element. */
export function slice(
  x: Tensor,
  start: readonly number[],
  limit: readonly number[],
  strides: readonly number[] = start.map(() => 1),
): Tensor {
  if (start.every((s, d) => s === 0 && limit[d] === x.shape[d] && strides[d] === 1)) return x;
  return bind(sliceP, [x], { start, limit, strides });
}

const concatP = definePrimitive<number>({
  name: 'concatenate',
  shape: (xs, axis) => {
    const first = xs[0]!;
    for (const x of xs) {
      const fits =
        x.dtype === first.dtype &&
        x.shape.length === first.shape.length &&
        x.shape.every((n, d) => d === axis || n === first.shape[d]);
      if (!fits) {
        throw new TensorError(
          'concatenate',
          `all inputs must have one dtype and equal dimensions except along axis ${axis}, found ` +
            xs.map(avalText).join(', '),
        );
      }
    }
    const shape = [...first.shape];
    shape[axis] = xs.reduce((total, x) => total + x.shape[axis]!, 0);
    return { shape, dtype: first.dtype };
  },
  impl: (backend, xs, axis) => backend.concat(xs, axis),
  vjp: (ct, xs, _y, axis) => {
    let offset = 0;
    return xs.map((x) => {
      const start = ct.shape.map((_, d) => (d === axis ? offset : 0));
      offset += x.shape[axis]!;
      const limit = ct.shape.map((n, d) => (d === axis ? offset : n));
      return slice(ct, start, limit);
    });
  },
});

/** Joins tensors of one dtype along `axis`. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  return xs.length === 1 ? xs[0]! : bind(concatP, xs, axis);
}

interface PadParams {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly value: number;
  readonly interior: readonly number[];
}

const padP = definePrimitive<PadParams>({
  name: 'pad',
  shape: ([x], { lo, hi, interior }) => {
    const ok =
      lo.length === x!.shape.length &&
      [...lo, ...hi, ...interior].every((n) => Number.isInteger(n) && n >= 0);
    if (!ok) {
      throw new TensorError(
        'pad',
        `lo ${shapeText(lo)}, hi ${shapeText(hi)}, interior ${shapeText(interior)} must be non-negative ` +
          `integers, one per dimension of ${avalText(x!)}`,
      );
    }
    return {
      shape: x!.shape.map((n, d) => lo[d]! + hi[d]! + n + Math.max(0, n - 1) * interior[d]!),
      dtype: x!.dtype,
    };
  },
  impl: (backend, [x], { lo, hi, value, interior }) => backend.pad(x!, lo, hi, value, interior),
  vjp: (ct, [x], _y, { lo, interior }) => [
    slice(
      ct,
      lo,
      x!.shape.map((n, d) => lo[d]! + Math.max(0, n - 1) * (interior[d]! + 1) + Math.min(n, 1)),
      interior.map((i) => i + 1),
    ),
  ],
});

/** `lax.pad` with non-negative padding: `lo`/`hi` elements before/after, `interior` between each two. */
export function pad(
  x: Tensor,
  lo: readonly number[],
  hi: readonly number[],
  value = 0,
  interior: readonly number[] = lo.map(() => 0),
): Tensor {
  return bind(padP, [x], { lo, hi, value, interior });
}

function checkIndices(
  op: string,
  x: { shape: readonly number[] },
  indices: { dtype: string },
  axis: number,
): void {
  if (indices.dtype !== 'int32')
    throw new TensorError(op, `indices must be int32, found ${indices.dtype}`);
  if (axis < 0 || axis >= x.shape.length)
    throw new TensorError(op, `axis ${axis} is out of range for rank ${x.shape.length}`);
}

const gatherP = definePrimitive<number>({
  name: 'gather',
  shape: ([x, indices], axis) => {
    checkIndices('take', x!, indices!, axis);
    if (x!.shape[axis] === 0 && sizeOf(indices!.shape) > 0) {
      throw new TensorError('take', `cannot take from the empty axis ${axis} of ${avalText(x!)}`);
    }
    return {
      shape: [...x!.shape.slice(0, axis), ...indices!.shape, ...x!.shape.slice(axis + 1)],
      dtype: x!.dtype,
    };
  },
  impl: (backend, [x, indices], axis) => backend.gather(x!, indices!, axis),
  vjp: (ct, [x, indices], _y, axis) => [scatterAdd(ct, indices!, axis, x!.shape[axis]!), null],
});

/**
 * `jnp.take(x, indices, axis)`: entries of `x` along `axis` picked by int32 `indices` of any shape;
 * negative indices count from the end, others out of range are clamped.
 */
export function gather(x: Tensor, indices: Tensor, axis: number): Tensor {
  return bind(gatherP, [x, indices], axis);
}

interface ScatterParams {
  readonly axis: number;
  readonly size: number;
}

const scatterAddP = definePrimitive<ScatterParams>({
  name: 'scatterAdd',
  shape: ([updates, indices], { axis, size }) => {
    const rank = updates!.shape.length - indices!.shape.length + 1;
    checkIndices(
      'scatterAdd',
      { shape: new Array<number>(Math.max(rank, 0)).fill(0) },
      indices!,
      axis,
    );
    const middle = updates!.shape.slice(axis, axis + indices!.shape.length);
    if (!sameShape(middle, indices!.shape)) {
      throw new TensorError(
        'scatterAdd',
        `updates ${avalText(updates!)} must have the indices' shape ${shapeText(indices!.shape)} at axis ${axis}`,
      );
    }
    const shape = [
      ...updates!.shape.slice(0, axis),
      size,
      ...updates!.shape.slice(axis + indices!.shape.length),
    ];
    return { shape, dtype: updates!.dtype };
  },
  impl: (backend, [updates, indices], { axis, size }) =>
    backend.scatterAdd(updates!, indices!, axis, size),
  vjp: (ct, [, indices], _y, { axis }) => [gather(ct, indices!, axis), null],
});

/** The transpose of {@link gather}: zeros of length `size` along `axis`, with `updates` added at `indices`. */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  return bind(scatterAddP, [updates, indices], { axis, size });
}
