/**
 * im2col and col2im: between one image's input planes and the column matrix whose GEMM with the filter
 * is the convolution. Row `(c, kd, kh, kw)` of the matrix holds, for every output position, the input
 * element that tap meets (0 in the padding). Both work on a range of output lines (an output line is
 * the `outW` positions of one `(od, oh)`), so a caller can bound the matrix's size.
 */
import type { Conv3 } from './conv-geometry.js';
import { col2imShift, im2colShift, isShiftable } from './im2col-shift.js';

/** Where one image's block of column-matrix rows lives: `cols[offset + row * rowStride + position]`. */
export interface ColumnBlock {
  data: Float32Array;
  offset: number;
  rowStride: number;
}

/**
 * For each width tap `kw`, the output columns `[lo, hi)` whose input column lies inside the image,
 * so that the inner loops need no bounds checks.
 */
function validColumns(g: Conv3): Int32Array {
  const range = new Int32Array(2 * g.kW);
  for (let kw = 0; kw < g.kW; kw++) {
    const shift = g.pW - kw * g.dW; // iw = ow * sW - shift
    range[2 * kw] = clamp(Math.ceil(shift / g.sW), 0, g.outW);
    range[2 * kw + 1] = clamp(Math.ceil((g.inW + shift) / g.sW), 0, g.outW);
  }
  return range;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Fills the column-matrix rows of `cinG` input channels, starting at `x[xBase]` (channel after channel,
 * `inSize` apart), for output lines `[line0, line1)`: position `p` of the block is output position
 * `line0 * outW + p`. Every element of the block's rows in that range is written (zeros for padding).
 */
export function im2col(
  g: Conv3,
  x: Float32Array,
  xBase: number,
  line0: number,
  line1: number,
  block: ColumnBlock,
): void {
  if (isShiftable(g)) {
    im2colShift(g, x, xBase, line0, line1, block);
    return;
  }
  const { inH, inW, inD, outW, outH, sD, sH, sW, dD, dH, dW, pD, pH, kD, kH, kW } = g;
  const cols = block.data;
  const columns = validColumns(g);
  let row = block.offset;
  for (let c = 0; c < g.cinG; c++) {
    const plane = xBase + c * g.inSize;
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const lo = columns[2 * kw]!;
          const hi = columns[2 * kw + 1]!;
          const iw0 = kw * dW - g.pW;
          let od = Math.floor(line0 / outH);
          let oh = line0 - od * outH;
          let o = row;
          for (let line = line0; line < line1; line++) {
            const id = od * sD - pD + kd * dD;
            const ih = oh * sH - pH + kh * dH;
            if (id < 0 || id >= inD || ih < 0 || ih >= inH) {
              for (let ow = 0; ow < outW; ow++) cols[o + ow] = 0;
            } else {
              const s = plane + (id * inH + ih) * inW + iw0;
              for (let ow = 0; ow < lo; ow++) cols[o + ow] = 0;
              if (sW === 1) {
                for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[s + ow]!;
              } else {
                for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[s + ow * sW]!;
              }
              for (let ow = hi; ow < outW; ow++) cols[o + ow] = 0;
            }
            o += outW;
            if (++oh === outH) {
              oh = 0;
              od++;
            }
          }
          row += block.rowStride;
        }
      }
    }
  }
}

/**
 * The transpose of {@link im2col}: adds each element of the block's rows (output lines
 * `[line0, line1)`) into the input element it came from, `dx[xBase + ...]`; padding positions are
 * dropped (and may be overwritten with zeros in the block).
 */
export function col2im(
  g: Conv3,
  block: ColumnBlock,
  line0: number,
  line1: number,
  dx: Float32Array,
  xBase: number,
): void {
  if (isShiftable(g)) {
    col2imShift(g, block, line0, line1, dx, xBase);
    return;
  }
  const { inH, inW, inD, outW, outH, sD, sH, sW, dD, dH, dW, pD, pH, kD, kH, kW } = g;
  const cols = block.data;
  const columns = validColumns(g);
  let row = block.offset;
  for (let c = 0; c < g.cinG; c++) {
    const plane = xBase + c * g.inSize;
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const lo = columns[2 * kw]!;
          const hi = columns[2 * kw + 1]!;
          const iw0 = kw * dW - g.pW;
          let od = Math.floor(line0 / outH);
          let oh = line0 - od * outH;
          let o = row;
          for (let line = line0; line < line1; line++) {
            const id = od * sD - pD + kd * dD;
            const ih = oh * sH - pH + kh * dH;
            if (id >= 0 && id < inD && ih >= 0 && ih < inH) {
              const s = plane + (id * inH + ih) * inW + iw0;
              if (sW === 1) {
                for (let ow = lo; ow < hi; ow++) dx[s + ow] = dx[s + ow]! + cols[o + ow]!;
              } else {
                for (let ow = lo; ow < hi; ow++) dx[s + ow * sW] = dx[s + ow * sW]! + cols[o + ow]!;
              }
            }
            o += outW;
            if (++oh === outH) {
              oh = 0;
              od++;
            }
          }
          row += block.rowStride;
        }
      }
    }
  }
}
