/** The gradient of max and average pooling with respect to the input. */
import type { PoolOp } from '../backend.js';
import type { Window3 } from './conv-geometry.js';
import { isTiling, windowRanges } from './pool-window.js';

/**
 * Gradient of pooling dense `x[planes, inSize]`, given dense `dy[planes, outSize]`. Max routes each
 * window's gradient to the window's first largest element inside the input, in row-major order (padding
 * never receives it; a window wholly in the padding routes it nowhere). A NaN counts as the largest, as
 * the forward pass propagates it. Average spreads `dy / windowSize` over the window's input elements.
 */
export function poolBackwardDense(
  op: PoolOp,
  g: Window3,
  planes: number,
  dy: Float32Array,
  x: Float32Array,
): Float32Array {
  const dx = new Float32Array(planes * g.inSize);
  if (dx.length === 0 || dy.length === 0) return dx;
  if (op === 'max' && isTiling(g) && g.kH === 2 && g.kW === 2) {
    tiledMax2x2(g, planes * g.inD, dy, x, dx);
    return dx;
  }
  const [rd, rh, rw] = windowRanges(g);
  const { inH, inW, outD, outH, outW } = g;
  const size = g.kSize;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * g.inSize;
    for (let od = 0; od < outD; od++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const grad = dy[o++]!;
          const wLo = rw.lo[ow]!;
          const wHi = rw.hi[ow]!;
          if (op === 'avg') {
            const share = grad / size;
            for (let id = rd.lo[od]!; id < rd.hi[od]!; id++) {
              for (let ih = rh.lo[oh]!; ih < rh.hi[oh]!; ih++) {
                const row = base + (id * inH + ih) * inW;
                for (let iw = wLo; iw < wHi; iw++) dx[row + iw] = dx[row + iw]! + share;
              }
            }
            continue;
          }
          let best = -1;
          let m = 0;
          for (let id = rd.lo[od]!; id < rd.hi[od]!; id++) {
            for (let ih = rh.lo[oh]!; ih < rh.hi[oh]!; ih++) {
              const row = base + (id * inH + ih) * inW;
              for (let iw = wLo; iw < wHi; iw++) {
                const v = x[row + iw]!;
                if (best < 0 || v > m || (v !== v && m === m)) {
                  best = row + iw;
                  m = v;
                }
              }
            }
          }
          if (best >= 0) dx[best] = dx[best]! + grad;
        }
      }
    }
  }
  return dx;
}

/** Max pooling's gradient for 2x2 windows with stride 2 tiling each plane: the common case. */
function tiledMax2x2(
  g: Window3,
  planes: number,
  dy: Float32Array,
  x: Float32Array,
  dx: Float32Array,
): void {
  const { inW, outH, outW } = g;
  const planeSize = g.inH * inW;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    for (let oh = 0; oh < outH; oh++) {
      let s = plane * planeSize + 2 * oh * inW;
      for (let ow = 0; ow < outW; ow++, s += 2) {
        // Windows do not overlap, so each input element gets at most one gradient: assign, not add.
        let best = s;
        let m = x[s]!;
        let v = x[s + 1]!;
        if (v > m || (v !== v && m === m)) {
          best = s + 1;
          m = v;
        }
        v = x[s + inW]!;
        if (v > m || (v !== v && m === m)) {
          best = s + inW;
          m = v;
        }
        v = x[s + inW + 1]!;
        if (v > m || (v !== v && m === m)) best = s + inW + 1;
        dx[best] = dy[o++]!;
      }
    }
  }
}
