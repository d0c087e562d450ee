/** Reference layout and indexing ops: each output element is looked up in the input by its index. */
import { castValue } from './elementwise.js';
import { at, fromFn, type Ref } from './ndarray.js';

export function reshapeRef(x: Ref, shape: readonly number[]): Ref {
  return { shape: [...shape], dtype: x.dtype, data: x.data.slice() };
}

/** Output dimension `i` is input dimension `perm[i]`. */
export function transposeRef(x: Ref, perm: readonly number[]): Ref {
  return fromFn(
    perm.map((p) => x.shape[p]!),
    x.dtype,
    (outIndex) => {
      const index = new Array<number>(perm.length);
      perm.forEach((p, i) => (index[p] = outIndex[i]!));
      return at(x, index);
    },
  );
}

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export function broadcastToRef(x: Ref, shape: readonly number[]): Ref {
  const lead = shape.length - x.shape.length;
  return fromFn(shape, x.dtype, (outIndex) =>
    at(
      x,
      x.shape.map((n, d) => (n === 1 ? 0 : outIndex[lead + d]!)),
    ),
  );
}

export function sliceRef(
  x: Ref,
  start: readonly number[],
  limit: readonly number[],
  strides: readonly number[] = start.map(() => 1),
): Ref {
  const shape = start.map((s, d) => Math.max(0, Math.ceil((limit[d]! - s) / strides[d]!)));
  return fromFn(shape, x.dtype, (outIndex) =>
    at(
      x,
      outIndex.map((i, d) => start[d]! + i * strides[d]!),
    ),
  );
}

export function concatRef(xs: readonly Ref[], axis: number): Ref {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  return fromFn(shape, xs[0]!.dtype, (outIndex) => {
    let i = outIndex[axis]!;
    for (const x of xs) {
      if (i < x.shape[axis]!) {
        const index = [...outIndex];
        index[axis] = i;
        return at(x, index);
      }
      i -= x.shape[axis]!;
    }
    throw new Error('concatRef: index out of range');
  });
}

/** Output position `lo + i * (interior + 1)` holds input element `i`; every other position is `value`. */
export function padRef(
  x: Ref,
  lo: readonly number[],
  hi: readonly number[],
  value: number,
  interior: readonly number[] = lo.map(() => 0),
): Ref {
  const shape = x.shape.map((n, d) =>
    n === 0 ? lo[d]! + hi[d]! : lo[d]! + hi[d]! + n + (n - 1) * interior[d]!,
  );
  // The fill value converted to the array's dtype as `cast` converts (int32: truncated, saturated).
  const fill = castValue(value, x.dtype);
  return fromFn(shape, x.dtype, (outIndex) => {
    const index: number[] = [];
    for (let d = 0; d < shape.length; d++) {
      const r = outIndex[d]! - lo[d]!;
      const step = interior[d]! + 1;
      if (r < 0 || r % step !== 0 || r / step >= x.shape[d]!) return fill;
      index.push(r / step);
    }
    return at(x, index);
  });
}

/** A gather index as the contract resolves it: negative counts from the end, then clamp. */
export function resolveIndex(i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  return Math.min(n - 1, Math.max(0, j));
}

export function gatherRef(x: Ref, indices: Ref, axis: number): Ref {
  const r = indices.shape.length;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return fromFn(shape, x.dtype, (outIndex) => {
    const k = at(indices, outIndex.slice(axis, axis + r));
    const index = [
      ...outIndex.slice(0, axis),
      resolveIndex(k, x.shape[axis]!),
      ...outIndex.slice(axis + r),
    ];
    return at(x, index);
  });
}

/** Adds every slice of `updates` into a zero array at its (resolved) index, in float64 or exact ints. */
export function scatterAddRef(updates: Ref, indices: Ref, axis: number, size: number): Ref {
  const r = indices.shape.length;
  const before = updates.shape.slice(0, axis);
  const after = updates.shape.slice(axis + r);
  const shape = [...before, size, ...after];
  const out = fromFn(shape, updates.dtype, () => 0);
  const sums = new Float64Array(out.data.length);
  const ushape = updates.shape;
  for (let u = 0; u < updates.data.length; u++) {
    const uIndex = new Array<number>(ushape.length);
    let rest = u;
    for (let d = ushape.length - 1; d >= 0; d--) {
      uIndex[d] = rest % ushape[d]!;
      rest = Math.floor(rest / ushape[d]!);
    }
    const k = resolveIndex(at(indices, uIndex.slice(axis, axis + r)), size);
    const oIndex = [...uIndex.slice(0, axis), k, ...uIndex.slice(axis + r)];
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + oIndex[d]!;
    sums[flat] = sums[flat]! + updates.data[u]!;
  }
  const wrap = (v: number) => Number(BigInt.asIntN(32, BigInt(v)));
  return fromFn(shape, updates.dtype, (_i, flat) =>
    updates.dtype === 'int32' ? wrap(sums[flat]!) : sums[flat]!,
  );
}
