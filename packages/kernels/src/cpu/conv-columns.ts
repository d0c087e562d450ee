/** Building a chunk's column matrices for one group: the B operands of the forward and filter GEMMs. */
import type { Chunk } from './conv-chunks.js';
import { scratch } from './conv-chunks.js';
import type { Conv3 } from './conv-geometry.js';
import { im2col, type ColumnBlock } from './im2col.js';
import { isShiftable } from './im2col-shift.js';
import { im2colTaps, isTapMajor } from './im2col-taps.js';

/** True when a chunk covers whole images, which the staged and tap-major paths need. */
export function isWhole(g: Conv3, chunk: Chunk): boolean {
  return chunk.line0 === 0 && chunk.line1 === g.outD * g.outH;
}

/**
 * Stages the group's channels of the chunk's images at the front of the scratch buffer, which must
 * then hold `after` more elements, so that im2col can copy within one buffer (`copyWithin` needs no
 * view object per copy, which matters at thousands of copies).
 */
function stage(
  g: Conv3,
  x: Float32Array,
  chunk: Chunk,
  group: number,
  after: number,
  slot: string,
) {
  const groupSize = g.cinG * g.inSize;
  const staged = chunk.images * groupSize;
  const data = scratch(slot, staged + after);
  for (let t = 0; t < chunk.images; t++) {
    const xBase = (chunk.n0 + t) * g.inChannels * g.inSize + group * groupSize;
    data.set(x.subarray(xBase, xBase + groupSize), t * groupSize);
  }
  return { data, staged, groupSize };
}

/**
 * The column matrix `[kG, images * positions]` of `group`'s input channels for the chunk's images
 * (image `t` in columns `[t * positions, (t + 1) * positions)`, rows channel-major), in the scratch
 * buffer `slot` (see `scratch`). `x` is dense `[N, C_in, inSize]`.
 */
export function chunkColumns(
  g: Conv3,
  x: Float32Array,
  chunk: Chunk,
  group: number,
  slot = 'cols',
): ColumnBlock {
  const width = chunk.images * chunk.positions;
  if (isWhole(g, chunk) && isShiftable(g)) {
    const { data, staged, groupSize } = stage(g, x, chunk, group, g.kG * width, slot);
    for (let t = 0; t < chunk.images; t++) {
      const columns = { data, offset: staged + t * chunk.positions, rowStride: width };
      im2col(g, data, t * groupSize, chunk.line0, chunk.line1, columns);
    }
    return { data, offset: staged, rowStride: width };
  }
  const data = scratch(slot, g.kG * width);
  for (let t = 0; t < chunk.images; t++) {
    const xBase = (chunk.n0 + t) * g.inChannels * g.inSize + group * g.cinG * g.inSize;
    const columns = { data, offset: t * chunk.positions, rowStride: width };
    im2col(g, x, xBase, chunk.line0, chunk.line1, columns);
  }
  return { data, offset: 0, rowStride: width };
}

/**
 * The tap-major column matrices `[kSize * cinG, P]` of `group`'s channels, one per image of a whole-image
 * chunk, `kG * P` apart from the returned offset of scratch buffer `slot` (see im2col-taps.ts; needs
 * {@link isTapMajor}).
 */
export function chunkTapColumns(
  g: Conv3,
  x: Float32Array,
  chunk: Chunk,
  group: number,
  slot = 'cols',
): { data: Float32Array; offset: number } {
  const imageCols = g.kG * g.outSize;
  const { data, staged, groupSize } = stage(g, x, chunk, group, chunk.images * imageCols, slot);
  for (let t = 0; t < chunk.images; t++) {
    im2colTaps(g, data, t * groupSize, data, staged + t * imageCols);
  }
  return { data, offset: staged };
}

export { isTapMajor };
