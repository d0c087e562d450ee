/**
 * Reference pooling: each output element visits its window in row-major tap order. Max pooling treats
 * padding as -Infinity and propagates NaN (a window with a NaN gives NaN); its backward pass routes to
 * the window's first NaN if it has one, else to the first largest in-bounds element. Average pooling
 * divides by the whole window size, padding included.
 */
import type { PoolOp } from '../../src/index.js';
import { fromFn, sizeOfShape, unravel, type Ref } from './ndarray.js';
import { windowGeometry, type RefPadding } from './window.js';

export interface PoolRefOptions {
  window: readonly number[];
  strides?: readonly number[];
  padding?: RefPadding;
}

/** Calls `visit(outFlat, taps)` per output element with the flat input positions in its window (-1 for padding). */
function forEachWindow(
  xShape: readonly number[],
  options: PoolRefOptions,
  visit: (outFlat: number, taps: number[]) => void,
): number[] {
  const spatial = xShape.slice(2);
  const nd = spatial.length;
  const strides = options.strides ?? options.window;
  const geo = windowGeometry(
    spatial,
    options.window,
    strides,
    new Array<number>(nd).fill(1),
    options.padding,
  );
  const outShape = [xShape[0]!, xShape[1]!, ...geo.out];
  const windowSize = sizeOfShape(options.window);
  const spatialSize = sizeOfShape(spatial);
  for (let o = 0; o < sizeOfShape(outShape); o++) {
    const oi = unravel(o, outShape);
    const plane = oi[0]! * xShape[1]! + oi[1]!;
    const taps: number[] = [];
    for (let t = 0; t < windowSize; t++) {
      const ti = unravel(t, options.window);
      let flat = 0;
      let inside = true;
      for (let d = 0; d < nd; d++) {
        const p = oi[2 + d]! * strides[d]! - geo.padLo[d]! + ti[d]!;
        if (p < 0 || p >= spatial[d]!) inside = false;
        flat = flat * spatial[d]! + p;
      }
      taps.push(inside ? plane * spatialSize + flat : -1);
    }
    visit(o, taps);
  }
  return outShape;
}

export function poolShapeRef(xShape: readonly number[], options: PoolRefOptions): number[] {
  return forEachWindow(xShape, options, () => undefined);
}

/**
 * The tap max pooling picks: the first NaN in the window if there is one (max propagates NaN), else
 * the first largest element; padding counts as -Infinity (-1 for a window wholly in the padding).
 */
function firstMax(x: Ref, taps: number[]): number {
  let best = -1;
  for (const t of taps) {
    if (t < 0) continue;
    if (Number.isNaN(x.data[t])) return t;
    if (best < 0 || x.data[t]! > x.data[best]!) best = t;
  }
  return best;
}

export function poolRef(op: PoolOp, x: Ref, options: PoolRefOptions): Ref {
  const values: number[] = [];
  const shape = forEachWindow(x.shape, options, (o, taps) => {
    if (op === 'max') {
      const best = firstMax(x, taps);
      values[o] = best < 0 ? -Infinity : x.data[best]!;
    } else {
      values[o] = taps.reduce((s, t) => s + (t >= 0 ? x.data[t]! : 0), 0) / taps.length;
    }
  });
  return fromFn(shape, 'float32', (_i, flat) => values[flat]!);
}

export function poolBackwardRef(op: PoolOp, dy: Ref, x: Ref, options: PoolRefOptions): Ref {
  const dx = new Float64Array(x.data.length);
  forEachWindow(x.shape, options, (o, taps) => {
    if (op === 'max') {
      const best = firstMax(x, taps);
      if (best >= 0) dx[best] = dx[best]! + dy.data[o]!;
    } else {
      for (const t of taps) if (t >= 0) dx[t] = dx[t]! + dy.data[o]! / taps.length;
    }
  });
  return fromFn(x.shape, 'float32', (_i, flat) => dx[flat]!);
}
