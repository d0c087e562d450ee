/** Reference reductions: reduce over a set of axes, argmax/argmin along one axis, cumulative sums. */
import type { ReduceOp } from '../../src/index.js';
import { at, fromFn, sizeOfShape, unravel, type Ref } from './ndarray.js';

const IDENTITY: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** Axes as non-negative numbers, sorted (the reference trusts its callers to pass valid ones). */
export function positiveAxes(axes: readonly number[], rank: number): number[] {
  return axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/**
 * Reduces `x` over `axes` by visiting, for each output element, every element of the reduced block.
 * Sums and products go through BigInt for int32 so that wraparound is exact.
 */
export function reduceRef(op: ReduceOp, x: Ref, axes: readonly number[]): Ref {
  const rank = x.shape.length;
  const reduced = positiveAxes(axes, rank);
  const kept = x.shape.map((_, d) => d).filter((d) => !reduced.includes(d));
  const blockShape = reduced.map((d) => x.shape[d]!);
  const blockSize = sizeOfShape(blockShape);
  const isInt = x.dtype === 'int32';
  return fromFn(
    kept.map((d) => x.shape[d]!),
    x.dtype,
    (outIndex) => {
      const index = new Array<number>(rank);
      kept.forEach((d, k) => (index[d] = outIndex[k]!));
      let acc = IDENTITY[op];
      let accBig = op === 'prod' ? 1n : 0n;
      for (let b = 0; b < blockSize; b++) {
        const inner = unravel(b, blockShape);
        reduced.forEach((d, k) => (index[d] = inner[k]!));
        const v = at(x, index);
        if (op === 'sum' && isInt) accBig += BigInt(v);
        else if (op === 'sum') acc += v;
        else if (op === 'prod' && isInt) accBig *= BigInt(v);
        else if (op === 'prod') acc *= v;
        else if (op === 'max') acc = v > acc ? v : acc;
        else acc = v < acc ? v : acc;
      }
      const wrapped = Number(BigInt.asIntN(32, accBig));
      return isInt && (op === 'sum' || op === 'prod') ? wrapped : acc;
    },
  );
}

/** The index of the first extreme element along `axis`; the first NaN, when there is one, wins. */
export function argReduceRef(op: 'argmax' | 'argmin', x: Ref, axis: number): Ref {
  const n = x.shape[axis]!;
  const outShape = x.shape.filter((_, d) => d !== axis);
  return fromFn(outShape, 'int32', (outIndex) => {
    const index = [...outIndex.slice(0, axis), 0, ...outIndex.slice(axis)];
    let best = at(x, index);
    let bestAt = 0;
    for (let i = 1; i < n && !Number.isNaN(best); i++) {
      index[axis] = i;
      const v = at(x, index);
      if (Number.isNaN(v) || (op === 'argmax' ? v > best : v < best)) {
        best = v;
        bestAt = i;
      }
    }
    return bestAt;
  });
}

/** Inclusive cumulative sum along `axis`, from the start or (reverse) from the end. */
export function cumsumRef(x: Ref, axis: number, reverse = false): Ref {
  const n = x.shape[axis]!;
  return fromFn(x.shape, x.dtype, (index) => {
    const k = index[axis]!;
    const from = reverse ? k : 0;
    const to = reverse ? n - 1 : k;
    const at2 = [...index];
    let sum = 0n;
    let fsum = 0;
    for (let i = from; i <= to; i++) {
      at2[axis] = i;
      const v = at(x, at2);
      if (x.dtype === 'int32') sum += BigInt(v);
      else fsum += v;
    }
    return x.dtype === 'int32' ? Number(BigInt.asIntN(32, sum)) : fsum;
  });
}
