/** Reduction kernels of the CPU backend: reduce over axes, argmax/argmin, cumulative sum. */
import type { ArgReduceOp, ReduceOp } from '../backend.js';
import { allocData, type DataArray } from '../dtype.js';
import { KernelError, shapeText } from '../errors.js';
import { checkNumeric, checkOp } from '../reduce-checks.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import { CpuArray, denseData } from './array.js';
import { transpose } from './layout.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * `x`'s elements as a dense `[outer, inner]` block where the `moved` axes (sorted) come last and
 * everything else keeps its order: one row per output element.
 */
export function rowsOver(
  x: CpuArray,
  moved: readonly number[],
): { data: DataArray; kept: number[]; inner: number } {
  const rank = x.shape.length;
  const kept = [...Array(rank).keys()].filter((d) => !moved.includes(d));
  const view = transpose(x, [...kept, ...moved]);
  const inner = moved.reduce((n, d) => n * x.shape[d]!, 1);
  return { data: denseData(view), kept, inner };
}

/** See {@link Backend.reduce}. */
export function reduce(op: ReduceOp, x: CpuArray, axes: readonly number[]): CpuArray {
  checkOp('reduce', op, ['sum', 'prod', 'max', 'min']);
  checkNumeric(op, x);
  const sorted = normalizeAxes(op, 'axes', axes, x.shape.length);
  const leading = sorted.length < x.shape.length && sorted.every((d, i) => d === i);
  if (op === 'sum' && x.dtype === 'float32' && x.isContiguous && leading) {
    return sumLeading(x, sorted.length);
  }
  if (op === 'sum' && x.dtype === 'float32' && x.isContiguous) {
    const runs = mergedRuns(x.shape, sorted);
    if (runs.length >= 3 && runs.at(-1)!.size >= MIN_INNER_RUN) return sumRuns(x, sorted, runs);
  }
  const { data, kept, inner } = rowsOver(x, sorted);
  const shape = kept.map((d) => x.shape[d]!);
  const out = allocData(x.dtype, sizeOf(shape));
  const int = x.dtype === 'int32';
  for (let r = 0, base = 0; r < out.length; r++, base += inner) {
    let acc: number;
    switch (op) {
      case 'sum':
        acc = 0;
        if (int) for (let i = 0; i < inner; i++) acc = (acc + data[base + i]!) | 0;
        else for (let i = 0; i < inner; i++) acc += data[base + i]!;
        break;
      case 'prod':
        acc = 1;
        if (int) for (let i = 0; i < inner; i++) acc = Math.imul(acc, data[base + i]!);
        else for (let i = 0; i < inner; i++) acc *= data[base + i]!;
        break;
      case 'max':
        acc = int ? INT32_MIN : -Infinity;
        // A NaN wins and stays: `v > acc` is false once acc is NaN.
        for (let i = 0; i < inner; i++) {
          const v = data[base + i]!;
          if (v > acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
        break;
      default:
        acc = int ? INT32_MAX : Infinity;
        for (let i = 0; i < inner; i++) {
          const v = data[base + i]!;
          if (v < acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
    }
    out[r] = acc;
  }
  return new CpuArray(x.backend, x.dtype, shape, out);
}

/**
 * Sum over the leading `count` axes of a contiguous float32 array, row by row, so that the common
 * bias-gradient reduction (over the batch axis) reads memory in order instead of transposing first.
 */
function sumLeading(x: CpuArray, count: number): CpuArray {
  const shape = x.shape.slice(count);
  const width = sizeOf(shape);
  const rows = width === 0 ? 0 : x.size / width;
  const acc = new Float64Array(width);
  const data = x.data;
  for (let r = 0, base = x.offset; r < rows; r++, base += width) {
    for (let i = 0; i < width; i++) acc[i] = acc[i]! + data[base + i]!;
  }
  return new CpuArray(x.backend, 'float32', shape, Float32Array.from(acc));
}

/** A run of adjacent axes that are all reduced or all kept, merged into one of `size` elements. */
interface Run {
  size: number;
  reduced: boolean;
}

/**
 * Innermost runs shorter than this take the transposing path: below it the loops of {@link sumRuns}
 * cost more than the copy they save.
 */
const MIN_INNER_RUN = 16;

/** The axes of `shape` as alternating runs of reduced and kept axes (axes of size 1 dropped). */
function mergedRuns(shape: readonly number[], reduced: readonly number[]): Run[] {
  const runs: Run[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const isReduced = reduced.includes(d);
    const last = runs.at(-1);
    if (last !== undefined && last.reduced === isReduced) last.size *= size;
    else runs.push({ size, reduced: isReduced });
  });
  return runs;
}

/**
 * Sum of a contiguous float32 array over reduced axes that interleave with kept ones (the bias
 * gradient of a convolution sums `[N, C, H, W]` over N, H and W), reading memory once, in order,
 * instead of transposing the reduced axes to the end first. Accumulates in float64, as the other paths.
 */
function sumRuns(x: CpuArray, axes: readonly number[], runs: readonly Run[]): CpuArray {
  const keptShape = x.shape.filter((_, d) => !axes.includes(d));
  const outSize = runs.reduce((n, r) => (r.reduced ? n : n * r.size), 1);
  const acc = new Float64Array(outSize);
  // Element strides of each run in the input, and in the output for kept runs.
  const inStride = new Array<number>(runs.length);
  const outStride = new Array<number>(runs.length);
  for (let i = runs.length - 1, inner = 1, outer = 1; i >= 0; i--) {
    inStride[i] = inner;
    inner *= runs[i]!.size;
    outStride[i] = runs[i]!.reduced ? 0 : outer;
    if (!runs[i]!.reduced) outer *= runs[i]!.size;
  }
  const data = x.data;
  const last = runs.length - 1;
  const { size: innerSize, reduced: innerReduced } = runs[last]!;
  const visit = (level: number, at: number, out: number): void => {
    if (level === last) {
      if (innerReduced) {
        let sum = 0;
        for (let i = 0; i < innerSize; i++) sum += data[at + i]!;
        acc[out] = acc[out]! + sum;
      } else {
        for (let i = 0; i < innerSize; i++) acc[out + i] = acc[out + i]! + data[at + i]!;
      }
      return;
    }
    const { size } = runs[level]!;
    for (let i = 0; i < size; i++) {
      visit(level + 1, at + i * inStride[level]!, out + i * outStride[level]!);
    }
  };
  visit(0, x.offset, 0);
  return new CpuArray(x.backend, 'float32', keptShape, Float32Array.from(acc));
}

/** See {@link Backend.argReduce}. */
export function argReduce(op: ArgReduceOp, x: CpuArray, axis: number): CpuArray {
  checkOp('argReduce', op, ['argmax', 'argmin']);
  checkNumeric(op, x);
  const d = normalizeAxis(op, 'axis', axis, x.shape.length);
  const n = x.shape[d]!;
  const { data, kept } = rowsOver(x, [d]);
  const shape = kept.map((k) => x.shape[k]!);
  const count = sizeOf(shape);
  if (n === 0 && count > 0) {
    throw new KernelError(
      op,
      `axis ${d} of \`x\` ${shapeText(x.shape)} is empty; there is no element to pick`,
    );
  }
  const out = new Int32Array(count);
  const sign = op === 'argmax' ? 1 : -1;
  for (let r = 0, base = 0; r < count; r++, base += n) {
    let best = 0;
    let bestValue = data[base]! * sign;
    if (bestValue === bestValue) {
      for (let i = 1; i < n; i++) {
        const v = data[base + i]! * sign;
        if (v !== v) {
          best = i;
          break;
        }
        if (v > bestValue) {
          best = i;
          bestValue = v;
        }
      }
    }
    out[r] = best;
  }
  return new CpuArray(x.backend, 'int32', shape, out);
}

/** See {@link Backend.cumsum}. */
export function cumsum(x: CpuArray, axis: number, reverse: boolean): CpuArray {
  checkNumeric('cumsum', x);
  const rank = x.shape.length;
  const d = normalizeAxis('cumsum', 'axis', axis, rank);
  const n = x.shape[d]!;
  const { data, kept } = rowsOver(x, [d]);
  const out = allocData(x.dtype, data.length);
  const int = x.dtype === 'int32';
  for (let base = 0; base < data.length; base += n) {
    let acc = 0;
    for (let j = 0; j < n; j++) {
      const i = base + (reverse ? n - 1 - j : j);
      acc = int ? (acc + data[i]!) | 0 : acc + data[i]!;
      out[i] = acc;
    }
  }
  // The sums were laid out with `axis` last; a transposed view puts it back in place.
  const permuted = new CpuArray(x.backend, x.dtype, [...kept.map((k) => x.shape[k]!), n], out);
  const inverse = new Array<number>(rank);
  [...kept, d].forEach((from, to) => (inverse[from] = to));
  return transpose(permuted, inverse);
}
