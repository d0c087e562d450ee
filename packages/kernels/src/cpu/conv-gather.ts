/**
 * Implicit im2col for the forward GEMM: the column matrix of a chunk's images described as a
 * {@link GatheredMatrix} over zero-padded copies of the images, which the engine makes in its memory
 * and its pack tasks read on every thread. This replaces building the columns in JavaScript and
 * copying them into the engine.
 */
import type { Conv3 } from './conv-geometry.js';
import type { GatheredMatrix } from './gemm.js';

/** Padded extent of one dimension: padding before, the input, and whatever the windows reach past it. */
const extent = (pad: number, size: number, out: number, s: number, k: number, d: number) =>
  Math.max(pad + size, (out - 1) * s + (k - 1) * d + 1);

/**
 * The columns `[kG, outSize]` (rows channel-major as im2col.ts writes them) of `group`'s channels for
 * each image, one batch item per image. `x` is dense `[N, C_in, inSize]`.
 */
export function gatheredColumns(g: Conv3, x: Float32Array, group: number): GatheredMatrix {
  const Dp = extent(g.pD, g.inD, g.outD, g.sD, g.kD, g.dD);
  const Hp = extent(g.pH, g.inH, g.outH, g.sH, g.kH, g.dH);
  const Wp = extent(g.pW, g.inW, g.outW, g.sW, g.kW, g.dW);
  const plane = Dp * Hp * Wp;
  const rowOffsets = new Int32Array(g.kG);
  let p = 0;
  for (let c = 0; c < g.cinG; c++)
    for (let kd = 0; kd < g.kD; kd++)
      for (let kh = 0; kh < g.kH; kh++)
        for (let kw = 0; kw < g.kW; kw++)
          rowOffsets[p++] = 4 * (c * plane + (kd * g.dD * Hp + kh * g.dH) * Wp + kw * g.dW);
  const colOffsets = new Int32Array(g.outSize);
  let q = 0;
  for (let od = 0; od < g.outD; od++)
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++)
        colOffsets[q++] = 4 * ((od * g.sD * Hp + oh * g.sH) * Wp + ow * g.sW);
  return {
    source: {
      data: x,
      offset: group * g.cinG * g.inSize,
      itemStride: g.inChannels * g.inSize,
      shape: [g.cinG, g.inD, g.inH, g.inW],
      padded: [Dp, Hp, Wp],
      before: [g.pD, g.pH, g.pW],
    },
    rowOffsets,
    colOffsets,
  };
}
