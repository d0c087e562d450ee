/**
 * The fast path of im2col and col2im, for convolutions whose output positions advance through the input
 * in step (width stride 1, and each output line as long as an input line times the height stride: e.g.
 * any 'SAME' convolution with stride 1). Then, within one depth slice, a column-matrix row is the input
 * plane shifted by a constant: one block copy per row, after which the few entries that fall in the left
 * and right padding are zeroed. (Element loops over short lines cost several times more in V8.)
 */
import type { Conv3 } from './conv-geometry.js';
import type { ColumnBlock } from './im2col.js';

/** True when {@link im2colShift} and {@link col2imShift} apply to `g`. */
export function isShiftable(g: Conv3): boolean {
  return g.sW === 1 && (g.outH <= 1 || g.sH * g.inW === g.outW);
}

/**
 * Per tap along one dimension (`count` taps): the outputs `[lo, hi)` whose input `o * stride + shift`
 * lies in `[0, size)`, at `[2t, 2t + 1]`, and the shift itself, `t * dilation - pad`, at `2 * count + t`.
 */
export function tapRanges(
  size: number,
  count: number,
  stride: number,
  dilation: number,
  pad: number,
  out: number,
): Int32Array {
  const r = new Int32Array(3 * count);
  for (let t = 0; t < count; t++) {
    const shift = t * dilation - pad;
    const lo = Math.min(out, Math.max(0, Math.ceil(-shift / stride)));
    r[2 * t] = lo;
    r[2 * t + 1] = Math.min(out, Math.max(lo, Math.ceil((size - shift) / stride)));
    r[2 * count + t] = shift;
  }
  return r;
}

/**
 * Visits each column-matrix row `(c, kd, kh, kw)` and each run of output lines `[a, b)` (inside
 * `[line0, line1)` and one depth slice) whose taps lie inside the input in depth and height, calling
 * `visit.run(row, offset, a, b, lo, hi)`: output columns `[lo, hi)` are inside the input in width, and
 * output position `p` of those lines meets input element `offset + p` of the group. The other lines
 * go to `visit.blank(row, a, b)`.
 */
interface RunVisitor {
  run(row: number, offset: number, a: number, b: number, lo: number, hi: number): void;
  blank(row: number, a: number, b: number): void;
}

function forEachRun(g: Conv3, line0: number, line1: number, visit: RunVisitor): void {
  const { outH, kD, kH, kW } = g;
  const d = tapRanges(g.inD, kD, g.sD, g.dD, g.pD, g.outD);
  const h = tapRanges(g.inH, kH, g.sH, g.dH, g.pH, outH);
  const w = tapRanges(g.inW, kW, 1, g.dW, g.pW, g.outW);
  // How much further the input moves than the output from one depth slice to the next.
  const sliceSkew = g.sD * g.inH * g.inW - outH * g.outW;
  let row = 0;
  for (let c = 0; c < g.cinG; c++) {
    for (let kd = 0; kd < kD; kd++) {
      const dLo = d[2 * kd]!;
      const dHi = d[2 * kd + 1]!;
      for (let kh = 0; kh < kH; kh++) {
        const hLo = h[2 * kh]!;
        const hHi = h[2 * kh + 1]!;
        const base = c * g.inSize + (d[2 * kD + kd]! * g.inH + h[2 * kH + kh]!) * g.inW;
        for (let kw = 0; kw < kW; kw++, row++) {
          const lo = w[2 * kw]!;
          const hi = w[2 * kw + 1]!;
          const shift = base + w[2 * kW + kw]!;
          for (let a = line0; a < line1;) {
            const od = Math.floor(a / outH);
            const end = Math.min(line1, (od + 1) * outH);
            const inside = od >= dLo && od < dHi && lo < hi;
            const runA = inside ? Math.max(a, od * outH + hLo) : end;
            const runB = inside ? Math.min(end, od * outH + hHi) : end;
            if (runA >= runB) visit.blank(row, a, end);
            else {
              if (a < runA) visit.blank(row, a, runA);
              visit.run(row, shift + od * sliceSkew, runA, runB, lo, hi);
              if (runB < end) visit.blank(row, runB, end);
            }
            a = end;
          }
        }
      }
    }
  }
}

/**
 * {@link im2col} for convolutions where {@link isShiftable} holds. When `x` is the block's own buffer
 * (the caller staged the input there), rows are copied with `copyWithin`, which needs no view object
 * per copy; otherwise with `set` of a subarray.
 */
export function im2colShift(
  g: Conv3,
  x: Float32Array,
  xBase: number,
  line0: number,
  line1: number,
  block: ColumnBlock,
): void {
  const { outW } = g;
  const cols = block.data;
  const staged = x === cols;
  const origin = block.offset - line0 * outW; // index of output position 0 of row 0
  const rowStride = block.rowStride;
  forEachRun(g, line0, line1, {
    run(row, offset, a, b, lo, hi) {
      const start = origin + row * rowStride;
      // Copy from the first valid element of the first line to the last valid one of the last line;
      // the padding columns of the lines in between get neighbouring input, zeroed below.
      const from = a * outW + lo;
      const to = b * outW - (outW - hi);
      const src = xBase + offset;
      if (staged) cols.copyWithin(start + from, src + from, src + to);
      else cols.set(x.subarray(src + from, src + to), start + from);
      zeroColumns(cols, start, outW, a, b, lo, hi);
    },
    blank(row, a, b) {
      const start = origin + row * rowStride;
      cols.fill(0, start + a * outW, start + b * outW);
    },
  });
}

/**
 * {@link col2im} for convolutions where {@link isShiftable} holds. It zeroes the block's entries that
 * fall in the padding (they are dropped anyway), so that each run adds as one long loop.
 */
export function col2imShift(
  g: Conv3,
  block: ColumnBlock,
  line0: number,
  line1: number,
  dx: Float32Array,
  xBase: number,
): void {
  const { outW } = g;
  const cols = block.data;
  const origin = block.offset - line0 * outW;
  const rowStride = block.rowStride;
  forEachRun(g, line0, line1, {
    run(row, offset, a, b, lo, hi) {
      const start = origin + row * rowStride;
      zeroColumns(cols, start, outW, a, b, lo, hi);
      addShifted(cols, start, dx, xBase + offset, a * outW + lo, b * outW - (outW - hi));
    },
    blank: () => undefined,
  });
}

/**
 * Zeroes columns `[0, lo)` and `[hi, outW)` of lines `[a, b)` of a row starting at `cols[start]`: one
 * strided loop per column, as those are few (the padding width) and the lines many.
 */
function zeroColumns(
  cols: Float32Array,
  start: number,
  outW: number,
  a: number,
  b: number,
  lo: number,
  hi: number,
): void {
  const end = start + b * outW;
  for (let ow = 0; ow < lo; ow++) {
    for (let s = start + a * outW + ow; s < end; s += outW) cols[s] = 0;
  }
  for (let ow = hi; ow < outW; ow++) {
    for (let s = start + a * outW + ow; s < end; s += outW) cols[s] = 0;
  }
}

/** `dx[d + q] += cols[c + q]` for `q` in `[from, to)`, unrolled: V8 does not unroll it for us. */
function addShifted(
  cols: Float32Array,
  c: number,
  dx: Float32Array,
  d: number,
  from: number,
  to: number,
): void {
  let q = from;
  for (; q + 4 <= to; q += 4) {
    dx[d + q] = dx[d + q]! + cols[c + q]!;
    dx[d + q + 1] = dx[d + q + 1]! + cols[c + q + 1]!;
    dx[d + q + 2] = dx[d + q + 2]! + cols[c + q + 2]!;
    dx[d + q + 3] = dx[d + q + 3]! + cols[c + q + 3]!;
  }
  for (; q < to; q++) dx[d + q] = dx[d + q]! + cols[c + q]!;
}
