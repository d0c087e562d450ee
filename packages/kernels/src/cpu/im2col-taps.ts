/**
 * Tap-major columns, for stride-1 convolutions whose output is as large as their input (any 'SAME'
 * convolution with stride 1). One image's column matrix is ordered by tap, then channel:
 * `cols[(t * cinG + c) * P + p]` meets input `x[c * P + p + shift_t]` (`P` the plane size), so each tap's
 * rows, for all channels at once, are one block copy of the image shifted by a constant. That is
 * `kSize` copies per image instead of `cinG * kSize`, after which the entries that fall in the padding
 * (they hold neighbouring input) are zeroed. The filter's taps are reordered to match.
 */
import type { Conv3 } from './conv-geometry.js';
import { tapRanges } from './im2col-shift.js';

/** True when {@link im2colTaps} applies to `g`: stride 1 and output dimensions equal to the input's. */
export function isTapMajor(g: Conv3): boolean {
  return (
    g.sD === 1 &&
    g.sH === 1 &&
    g.sW === 1 &&
    g.inD === g.outD &&
    g.inH === g.outH &&
    g.inW === g.outW
  );
}

/**
 * Writes one image's tap-major column matrix `[kSize * cinG, P]` at `cols[colsBase]`, from the image's
 * group channels at `x[xBase]`. When `x` is `cols` itself (the caller staged the image in the same
 * buffer), blocks are copied with `copyWithin`, else with `set` of a subarray.
 */
export function im2colTaps(
  g: Conv3,
  x: Float32Array,
  xBase: number,
  cols: Float32Array,
  colsBase: number,
): void {
  const { outD, outH, outW, cinG } = g;
  const plane = g.outSize;
  const slice = outH * outW;
  const block = cinG * plane; // one tap's rows
  const d = tapRanges(g.inD, g.kD, 1, g.dD, g.pD, outD);
  const h = tapRanges(g.inH, g.kH, 1, g.dH, g.pH, outH);
  const w = tapRanges(g.inW, g.kW, 1, g.dW, g.pW, outW);
  let start = colsBase;
  for (let kd = 0; kd < g.kD; kd++) {
    const [dLo, dHi] = [d[2 * kd]!, d[2 * kd + 1]!];
    for (let kh = 0; kh < g.kH; kh++) {
      const [hLo, hHi] = [h[2 * kh]!, h[2 * kh + 1]!];
      for (let kw = 0; kw < g.kW; kw++, start += block) {
        const [lo, hi] = [w[2 * kw]!, w[2 * kw + 1]!];
        if (dLo >= dHi || hLo >= hHi || lo >= hi) {
          cols.fill(0, start, start + block);
          continue;
        }
        // From the first valid entry of the first channel to the last valid one of the last channel.
        const from = (dLo * outH + hLo) * outW + lo;
        const to = (cinG - 1) * plane + ((dHi - 1) * outH + hHi - 1) * outW + hi;
        const src =
          xBase + (d[2 * g.kD + kd]! * g.inH + h[2 * g.kH + kh]!) * g.inW + w[2 * g.kW + kw]!;
        if (x === cols) cols.copyWithin(start + from, src + from, src + to);
        else cols.set(x.subarray(src + from, src + to), start + from);
        // Zero every entry in the padding: slices and lines per channel, then columns of all lines.
        for (let c = 0; c < cinG; c++) {
          for (let od = 0; od < outD; od++) {
            const s = start + c * plane + od * slice;
            if (od < dLo || od >= dHi) zero(cols, s, s + slice);
            else {
              if (hLo > 0) zero(cols, s, s + hLo * outW);
              if (hHi < outH) zero(cols, s + hHi * outW, s + slice);
            }
          }
        }
        const end = start + block;
        for (let ow = 0; ow < lo; ow++) for (let s = start + ow; s < end; s += outW) cols[s] = 0;
        for (let ow = hi; ow < outW; ow++) for (let s = start + ow; s < end; s += outW) cols[s] = 0;
      }
    }
  }
}

/** Zeroes `cols[from, to)`: a loop for short ranges, where `fill`'s call costs more than the stores. */
function zero(cols: Float32Array, from: number, to: number): void {
  if (to - from > 64) cols.fill(0, from, to);
  else for (let i = from; i < to; i++) cols[i] = 0;
}

/**
 * A filter `[C_out, cinG * kSize]` (channel-major taps) reordered to tap-major, `[C_out, kSize * cinG]`,
 * or back with `inverse`.
 */
export function tapMajorFilter(g: Conv3, w: Float32Array, inverse = false): Float32Array {
  const { cinG, kSize, kG } = g;
  const out = new Float32Array(w.length);
  for (let row = 0; row < g.outChannels; row++) {
    const base = row * kG;
    for (let c = 0; c < cinG; c++) {
      for (let t = 0; t < kSize; t++) {
        const channelMajor = base + c * kSize + t;
        const tapMajor = base + t * cinG + c;
        if (inverse) out[channelMajor] = w[tapMajor]!;
        else out[tapMajor] = w[channelMajor]!;
      }
    }
  }
  return out;
}
