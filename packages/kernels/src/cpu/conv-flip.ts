/**
 * The input gradient of a stride-1 convolution as a forward convolution: correlating `dy` with the
 * filter flipped in space and with input and output channels swapped (per group) gives `dx`. When the
 * output is as large as the input ('SAME'-like padding), this does the same GEMM work as im2col-GEMM-
 * col2im but replaces col2im (a read-modify-write of every column entry, slow in JavaScript) with
 * im2col's block copies.
 */
import type { Conv3 } from './conv-geometry.js';
import { isShiftable } from './im2col-shift.js';
import { isTapMajor } from './im2col-taps.js';

/**
 * True when the flipped forward convolution is the better way to `g`'s input gradient: stride 1, output
 * as large as the input in every dimension, block-copy im2col, and enough input channels per group to
 * make a well-shaped GEMM (its rows are the input channels).
 */
export function prefersFlip(g: Conv3): boolean {
  return isTapMajor(g) && isShiftable(g) && g.cinG >= 8;
}

/** The geometry of the convolution of `dy` that gives `dx` (stride 1 only). */
export function flippedGeometry(g: Conv3): Conv3 {
  const before = (k: number, dilation: number, pad: number) => (k - 1) * dilation - pad;
  return {
    ...g,
    inD: g.outD,
    inH: g.outH,
    inW: g.outW,
    outD: g.inD,
    outH: g.inH,
    outW: g.inW,
    pD: before(g.kD, g.dD, g.pD),
    pH: before(g.kH, g.dH, g.pH),
    pW: before(g.kW, g.dW, g.pW),
    inSize: g.outSize,
    outSize: g.inSize,
    inChannels: g.outChannels,
    outChannels: g.inChannels,
    cinG: g.coutG,
    coutG: g.cinG,
    kG: g.coutG * g.kSize,
  };
}

/**
 * The filter of the flipped convolution: `w'[group * cinG + ci, co, k] = w[group * coutG + co, ci,
 * kSize - 1 - k]` (reversing the flat tap index reverses every spatial dimension).
 */
export function flippedFilter(g: Conv3, w: Float32Array): Float32Array {
  const { cinG, coutG, kSize } = g;
  const out = new Float32Array(w.length);
  for (let group = 0; group < g.groups; group++) {
    for (let co = 0; co < coutG; co++) {
      for (let ci = 0; ci < cinG; ci++) {
        const src = ((group * coutG + co) * cinG + ci) * kSize;
        const dst = ((group * cinG + ci) * coutG + co) * kSize;
        for (let k = 0; k < kSize; k++) out[dst + k] = w[src + kSize - 1 - k]!;
      }
    }
  }
  return out;
}
