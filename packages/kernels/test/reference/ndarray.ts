/**
 * Reference arrays: a shape, a dtype and float64 elements in row-major order. Every reference kernel
 * works on these with plain index arithmetic, independently of the backends under test.
 */
import type { DataArray, DType } from '../../src/index.js';

/** A reference array. int32 and bool elements are stored as exact float64 integers (bool as 0/1). */
export interface Ref {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: Float64Array;
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    index[d] = flat % n;
    flat = Math.floor(flat / n);
  }
  return index;
}

/** The flat position of `index` in `shape`. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + index[d]!;
  return flat;
}

/** Rounds a float64 result to what `dtype` can hold (float32 rounding; ints and bools must be exact). */
export function toDType(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'bool') return v ? 1 : 0;
  if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
    throw new Error(`reference produced ${v}, which is not an int32`);
  }
  return v;
}

/** A reference array whose element at each multi-index is `fn(index)`, rounded to `dtype`. */
export function fromFn(
  shape: readonly number[],
  dtype: DType,
  fn: (index: number[], flat: number) => number,
): Ref {
  const data = new Float64Array(sizeOfShape(shape));
  for (let i = 0; i < data.length; i++) data[i] = toDType(dtype, fn(unravel(i, shape), i));
  return { shape: [...shape], dtype, data };
}

/** A reference array holding `values` (row-major). */
export function refOf(shape: readonly number[], dtype: DType, values: ArrayLike<number>): Ref {
  if (values.length !== sizeOfShape(shape)) throw new Error('refOf: wrong number of values');
  return fromFn(shape, dtype, (_i, flat) => values[flat]!);
}

/** Element of `x` at a multi-index. */
export function at(x: Ref, index: readonly number[]): number {
  return x.data[ravel(index, x.shape)]!;
}

/** The typed array a backend uploads for `x`. */
export function toTyped(x: Ref): DataArray {
  if (x.dtype === 'float32') return Float32Array.from(x.data);
  if (x.dtype === 'int32') return Int32Array.from(x.data);
  return Uint8Array.from(x.data);
}

/** A reference array from a typed array read back from a backend. */
export function fromTyped(data: DataArray, shape: readonly number[], dtype: DType): Ref {
  return { shape: [...shape], dtype, data: Float64Array.from(data) };
}

/** Elementwise absolute values: the magnitudes that bound rounding errors of sums. */
export function absRef(x: Ref): Ref {
  return { shape: x.shape, dtype: x.dtype, data: x.data.map(Math.abs) };
}

/** NumPy broadcasting of shapes, or undefined when they do not broadcast. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    let n = 1;
    for (const s of shapes) {
      const k = s.length - rank + d;
      const m = k < 0 ? 1 : s[k]!;
      if (m === 1) continue;
      if (n !== 1 && n !== m) return undefined;
      n = m;
    }
    out.push(n);
  }
  return out;
}

/** The element of `x` that broadcasting places at `outIndex` of a (possibly larger) output. */
export function atBroadcast(x: Ref, outIndex: readonly number[]): number {
  const lead = outIndex.length - x.shape.length;
  const index = x.shape.map((n, d) => (n === 1 ? 0 : outIndex[lead + d]!));
  return at(x, index);
}
