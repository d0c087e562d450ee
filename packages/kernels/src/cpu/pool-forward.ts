/** Max and average pooling, forward: plain loops over each window's valid elements. */
import type { PoolOp } from '../backend.js';
import type { Window3 } from './conv-geometry.js';
import { isTiling, windowRanges } from './pool-window.js';

/**
 * Pools dense `x[planes, inSize]` into `[planes, outSize]`. Max ignores padding (it is -Infinity) and
 * propagates NaN; average divides by the whole window size, padding included.
 */
export function poolForward(op: PoolOp, g: Window3, planes: number, x: Float32Array): Float32Array {
  const y = new Float32Array(planes * g.outSize);
  if (y.length === 0) return y;
  if (isTiling(g)) {
    if (op === 'max') tiledMax(g, planes * g.inD, x, y);
    else tiledAvg(g, planes * g.inD, x, y);
    return y;
  }
  if (op === 'max') windowMax(g, planes, x, y);
  else windowSum(g, planes, x, y);
  return y;
}

/** Max over each window's valid elements, for any geometry. `Math.max` propagates NaN. */
function windowMax(g: Window3, planes: number, x: Float32Array, y: Float32Array): void {
  const [rd, rh, rw] = windowRanges(g);
  const { inH, inW, outD, outH, outW } = g;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * g.inSize;
    for (let od = 0; od < outD; od++) {
      const d0 = rd.lo[od]!;
      const d1 = rd.hi[od]!;
      for (let oh = 0; oh < outH; oh++) {
        const h0 = rh.lo[oh]!;
        const h1 = rh.hi[oh]!;
        for (let ow = 0; ow < outW; ow++) {
          const w0 = rw.lo[ow]!;
          const w1 = rw.hi[ow]!;
          let m = -Infinity;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = base + (id * inH + ih) * inW;
              for (let iw = w0; iw < w1; iw++) m = Math.max(m, x[row + iw]!);
            }
          }
          y[o++] = m;
        }
      }
    }
  }
}

/** Sum over each window's valid elements divided by the whole window size, for any geometry. */
function windowSum(g: Window3, planes: number, x: Float32Array, y: Float32Array): void {
  const [rd, rh, rw] = windowRanges(g);
  const { inH, inW, outD, outH, outW, kSize } = g;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * g.inSize;
    for (let od = 0; od < outD; od++) {
      const d0 = rd.lo[od]!;
      const d1 = rd.hi[od]!;
      for (let oh = 0; oh < outH; oh++) {
        const h0 = rh.lo[oh]!;
        const h1 = rh.hi[oh]!;
        for (let ow = 0; ow < outW; ow++) {
          const w0 = rw.lo[ow]!;
          const w1 = rw.hi[ow]!;
          let sum = 0;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = base + (id * inH + ih) * inW;
              for (let iw = w0; iw < w1; iw++) sum += x[row + iw]!;
            }
          }
          y[o++] = sum / kSize;
        }
      }
    }
  }
}

/** Max pooling whose windows tile each 2-D plane exactly (stride = window, no padding). */
function tiledMax(g: Window3, planes: number, x: Float32Array, y: Float32Array): void {
  const { kH, kW, inW, outH, outW } = g;
  const planeSize = g.inH * inW;
  let o = 0;
  if (kH === 2 && kW === 2) {
    for (let plane = 0; plane < planes; plane++) {
      for (let oh = 0; oh < outH; oh++) {
        let s = plane * planeSize + 2 * oh * inW;
        for (let ow = 0; ow < outW; ow++, s += 2) {
          y[o++] = Math.max(Math.max(x[s]!, x[s + 1]!), Math.max(x[s + inW]!, x[s + inW + 1]!));
        }
      }
    }
    return;
  }
  for (let plane = 0; plane < planes; plane++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = plane * planeSize + oh * kH * inW;
      for (let ow = 0; ow < outW; ow++) {
        let m = -Infinity;
        for (let kh = 0, s = top + ow * kW; kh < kH; kh++, s += inW) {
          for (let kw = 0; kw < kW; kw++) m = Math.max(m, x[s + kw]!);
        }
        y[o++] = m;
      }
    }
  }
}

/** Average pooling whose windows tile each 2-D plane exactly (stride = window, no padding). */
function tiledAvg(g: Window3, planes: number, x: Float32Array, y: Float32Array): void {
  const { kH, kW, inW, outH, outW } = g;
  const planeSize = g.inH * inW;
  const size = kH * kW;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = plane * planeSize + oh * kH * inW;
      for (let ow = 0; ow < outW; ow++) {
        let sum = 0;
        for (let kh = 0, s = top + ow * kW; kh < kH; kh++, s += inW) {
          for (let kw = 0; kw < kW; kw++) sum += x[s + kw]!;
        }
        y[o++] = sum / size;
      }
    }
  }
}
