/**
 * Implicit im2col for the GEMMs: the column matrix of a chunk's images (or its transpose) described as
 * a {@link GatheredMatrix} over zero-padded copies of the images, which the engine makes in its memory
 * and its pack tasks read on every thread. This replaces building the columns in JavaScript and
 * copying them into the engine.
 */
import type { Conv3 } from './conv-geometry.js';
import type { GatheredMatrix } from './gemm.js';

/** Padded extent of one dimension: padding before, the input, and whatever the windows reach past it. */
const extent = (pad: number, size: number, out: number, s: number, k: number, d: number) =>
  Math.max(pad + size, (out - 1) * s + (k - 1) * d + 1);

/** The padded image's depth, height and width, and the elements of one padded channel. */
function paddedSize(g: Conv3): { Dp: number; Hp: number; Wp: number; plane: number } {
  const Dp = extent(g.pD, g.inD, g.outD, g.sD, g.kD, g.dD);
  const Hp = extent(g.pH, g.inH, g.outH, g.sH, g.kH, g.dH);
  const Wp = extent(g.pW, g.inW, g.outW, g.sW, g.kW, g.dW);
  return { Dp, Hp, Wp, plane: Dp * Hp * Wp };
}

/** Byte offsets in a padded image of each (channel, tap), channel-major as im2col.ts orders rows. */
function tapOffsets(g: Conv3, Hp: number, Wp: number, plane: number): Int32Array {
  const offsets = new Int32Array(g.kG);
  let p = 0;
  for (let c = 0; c < g.cinG; c++)
    for (let kd = 0; kd < g.kD; kd++)
      for (let kh = 0; kh < g.kH; kh++)
        for (let kw = 0; kw < g.kW; kw++)
          offsets[p++] = 4 * (c * plane + (kd * g.dD * Hp + kh * g.dH) * Wp + kw * g.dW);
  return offsets;
}

/**
 * Byte offsets in a padded image of each output position's window corner, for `images` images of
 * `imageBytes` each placed one after another (so the offsets run over all of their positions).
 */
function positionOffsets(g: Conv3, Hp: number, Wp: number, images = 1, imageBytes = 0): Int32Array {
  const offsets = new Int32Array(images * g.outSize);
  let q = 0;
  for (let i = 0; i < images; i++)
    for (let od = 0; od < g.outD; od++)
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++)
          offsets[q++] = i * imageBytes + 4 * ((od * g.sD * Hp + oh * g.sH) * Wp + ow * g.sW);
  return offsets;
}

/**
 * The columns `[kG, outSize]` (rows channel-major as im2col.ts writes them) of `group`'s channels for
 * each image, one batch item per image. `x` is dense `[N, C_in, inSize]`.
 */
export function gatheredColumns(g: Conv3, x: Float32Array, group: number): GatheredMatrix {
  const { Dp, Hp, Wp, plane } = paddedSize(g);
  return {
    source: {
      data: x,
      offset: group * g.cinG * g.inSize,
      itemStride: g.inChannels * g.inSize,
      shape: [g.cinG, g.inD, g.inH, g.inW],
      padded: [Dp, Hp, Wp],
      before: [g.pD, g.pH, g.pW],
    },
    rowOffsets: tapOffsets(g, Hp, Wp, plane),
    colOffsets: positionOffsets(g, Hp, Wp),
  };
}

/**
 * The transposed columns of runs of `imagesPerRun` images, one batch item per run, for the filter
 * gradient: row `(i, position)` for image `i` of the run, column `(channel, tap)`. Rows run over every
 * image of a run, so one product sums over the run's images as well as their positions. Needs one
 * group (`groups = 1`), so that a run's images are one contiguous block of `x` (`[N, C_in, inSize]`,
 * dense), which the engine pads as `imagesPerRun * C_in` channels.
 */
export function gatheredImageRuns(g: Conv3, x: Float32Array, imagesPerRun: number): GatheredMatrix {
  const { Dp, Hp, Wp, plane } = paddedSize(g);
  const imageElements = g.inChannels * g.inSize;
  return {
    source: {
      data: x,
      offset: 0,
      itemStride: imagesPerRun * imageElements,
      shape: [imagesPerRun * g.inChannels, g.inD, g.inH, g.inW],
      padded: [Dp, Hp, Wp],
      before: [g.pD, g.pH, g.pW],
    },
    rowOffsets: positionOffsets(g, Hp, Wp, imagesPerRun, 4 * g.inChannels * plane),
    colOffsets: tapOffsets(g, Hp, Wp, plane),
  };
}
