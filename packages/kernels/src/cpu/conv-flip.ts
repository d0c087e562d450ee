/**
 * The input gradient of a stride-1 convolution as a forward convolution: correlating `dy` with the
 * filter flipped in space and with input and output channels swapped (per group) gives `dx`. When the
 * output is as large as the input ('SAME'-like padding), this does the same GEMM work as im2col-GEMM-
 * col2im but replaces col2im (a read-modify-write of every column entry, slow in JavaScript) with
 * im2col's block copies.
 */
import { gatheredColumnsOn } from './conv-forward.js';
import type { Conv3 } from './conv-geometry.js';
import { activeGemmEngine } from './gemm.js';
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

/**
 * True when the flipped forward convolution is the better way to `g`'s input gradient on the
 * WebAssembly engine, which gathers its columns (see conv-gather.ts): then the flip replaces col2im, a
 * JavaScript loop on one thread, by products that every thread shares. That pays even for a 'VALID'
 * convolution whose flip multiplies more zeros (measured for a 5x5 filter from 12x12 to 8x8, with 2.25
 * times the products: as fast on one thread, 25-30% faster on two). Needs stride 1, padding no wider
 * than the filter's reach (so that the flip's padding is not negative), enough input channels for the
 * GEMM's rows, and an input at most three times the output, to bound the extra products.
 */
export function prefersFlipOnEngine(g: Conv3): boolean {
  const reach = (k: number, d: number, pad: number) => (k - 1) * d - pad >= 0;
  return (
    gatheredColumnsOn() &&
    activeGemmEngine() === 'wasm' &&
    g.sD === 1 &&
    g.sH === 1 &&
    g.sW === 1 &&
    reach(g.kD, g.dD, g.pD) &&
    reach(g.kH, g.dH, g.pH) &&
    reach(g.kW, g.dW, g.pW) &&
    g.cinG >= 8 &&
    g.inSize <= 3 * g.outSize
  );
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
