/**
 * Naive float64 loops for convolution and windowed reductions, independent of the kernels: the
 * oracle the lax tests compare against. Operands are flat row-major arrays, channel-first.
 */
import type { Tensor } from '../../src/index.js';

export interface NaiveConvOptions {
  strides: number[];
  /** `[low, high]` per spatial dimension; negative values crop. */
  padding: [number, number][];
  lhsDilation: number[];
  rhsDilation: number[];
  groups: number;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Every index tuple of `shape`, row-major. */
function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((n) => n === 0)) return;
  const i = shape.map(() => 0);
  for (;;) {
    yield [...i];
    let d = shape.length - 1;
    for (; d >= 0; d--) {
      i[d] = i[d]! + 1;
      if (i[d]! < shape[d]!) break;
      i[d] = 0;
    }
    if (d < 0) return;
  }
}

const flatIndex = (i: readonly number[], shape: readonly number[]): number =>
  i.reduce((f, v, d) => f * shape[d]! + v, 0);

/** Convolution of `x: [N, C, ...spatial]` with `w: [O, C / groups, ...kernel]`, in float64. */
export function naiveConv(
  x: ArrayLike<number>,
  xShape: number[],
  w: ArrayLike<number>,
  wShape: number[],
  o: NaiveConvOptions,
): { data: Float64Array; shape: number[] } {
  const [batch, , ...spatial] = xShape;
  const [outC, groupC, ...kernel] = wShape;
  const dilated = spatial.map((s, d) => (s - 1) * o.lhsDilation[d]! + 1);
  const outSpatial = dilated.map((s, d) => {
    const span =
      s + o.padding[d]![0] + o.padding[d]![1] - ((kernel[d]! - 1) * o.rhsDilation[d]! + 1);
    return span < 0 ? 0 : Math.floor(span / o.strides[d]!) + 1;
  });
  const shape = [batch!, outC!, ...outSpatial];
  const data = new Float64Array(product(shape));
  const perGroupOut = outC! / o.groups;
  for (const [b, oc, ...pos] of indices(shape)) {
    const g = Math.floor(oc! / perGroupOut);
    let acc = 0;
    for (const [ci, ...tap] of indices([groupC!, ...kernel])) {
      const source: number[] = [];
      let inside = true;
      for (let d = 0; d < spatial.length; d++) {
        const p = pos[d]! * o.strides[d]! + tap[d]! * o.rhsDilation[d]! - o.padding[d]![0];
        if (p < 0 || p >= dilated[d]! || p % o.lhsDilation[d]! !== 0) inside = false;
        source.push(p / o.lhsDilation[d]!);
      }
      if (!inside) continue;
      const xv = x[flatIndex([b!, g * groupC! + ci!, ...source], xShape)]!;
      acc += xv * w[flatIndex([oc!, ci!, ...tap], wShape)]!;
    }
    data[flatIndex([b!, oc!, ...pos], shape)] = acc;
  }
  return { data, shape };
}

/** `lax.reduce_window` over every dimension of `x`, in float64; padding holds the op's identity. */
export function naiveReduceWindow(
  x: ArrayLike<number>,
  xShape: number[],
  op: 'max' | 'min' | 'sum' | 'avg',
  window: number[],
  strides: number[],
  padding: [number, number][],
): { data: Float64Array; shape: number[] } {
  const shape = xShape.map(
    (s, d) => Math.floor((s + padding[d]![0] + padding[d]![1] - window[d]!) / strides[d]!) + 1,
  );
  const data = new Float64Array(product(shape));
  const identity = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
  for (const pos of indices(shape)) {
    let acc = identity;
    for (const tap of indices(window)) {
      const source = pos.map((p, d) => p * strides[d]! + tap[d]! - padding[d]![0]);
      const inside = source.every((s, d) => s >= 0 && s < xShape[d]!);
      const v = inside ? x[flatIndex(source, xShape)]! : identity;
      acc = op === 'max' ? Math.max(acc, v) : op === 'min' ? Math.min(acc, v) : acc + v;
    }
    data[flatIndex(pos, shape)] = op === 'avg' ? acc / product(window) : acc;
  }
  return { data, shape };
}

/**
 * Expects `actual` to match the float64 `expected` within float32 rounding: each element within
 * `10 * rtol` of the largest magnitude in `expected` (at least 1), since a sum of many rounded
 * products errs by the scale of its terms, not of its result.
 */
export function expectClose(
  actual: Tensor,
  expected: { data: Float64Array; shape: number[] },
  rtol: number,
): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.dataSync();
  const scale = Math.max(1, ...Array.from(expected.data, Math.abs));
  expected.data.forEach((v, i) => {
    if (!(Math.abs(got[i]! - v) <= 10 * rtol * scale))
      throw new Error(`element ${i}: ${got[i]} != ${v}`);
  });
}
