/** The convolution's gradient with respect to its input: a GEMM into columns, then col2im. */
import { chunks, scratch } from './conv-chunks.js';
import { flippedFilter, flippedGeometry, prefersFlip, prefersFlipOnEngine } from './conv-flip.js';
import { convForward, isPointwise } from './conv-forward.js';
import type { Conv3 } from './conv-geometry.js';
import { gemm } from './gemm.js';
import { col2im } from './im2col.js';

/**
 * Computes `dx[N, C_in, inSize]` from dense `dy[N, C_out, outSize]` and `w[C_out, cinG * kSize]`.
 * 'SAME'-like stride-1 convolutions (and on the WebAssembly engine most stride-1 ones) run as a forward
 * convolution (see conv-flip.ts). Otherwise, for each chunk of images and each group: `dcols[kG, positions]` of each image is
 * `w_group^T[kG, coutG] @ dy[n, group's channels, positions]` (one GEMM batched over the chunk's images),
 * and col2im adds the columns back into `dx`.
 */
export function convBackwardInputDense(g: Conv3, dy: Float32Array, w: Float32Array): Float32Array {
  const { coutG, kG, outSize } = g;
  const flip = prefersFlip(g) || prefersFlipOnEngine(g);
  if (flip && !isPointwise(g) && outSize > 0 && coutG > 0) {
    return convForward(flippedGeometry(g), dy, flippedFilter(g, w));
  }
  const dx = new Float32Array(g.batch * g.inChannels * g.inSize);
  if (dx.length === 0 || coutG === 0 || outSize === 0) return dx;
  const dyImage = g.outChannels * outSize;
  const xImage = g.inChannels * g.inSize;
  const wT = (group: number) => ({
    data: w,
    offset: group * coutG * kG,
    rowStride: 1,
    colStride: kG,
  });
  if (isPointwise(g)) {
    for (let group = 0; group < g.groups; group++) {
      gemm({
        m: kG,
        n: outSize,
        k: coutG,
        a: wT(group),
        b: { data: dy, offset: group * coutG * outSize, rowStride: outSize, colStride: 1 },
        batch: g.batch,
        bBatchStride: dyImage,
        out: dx,
        outOffset: group * kG * outSize,
        outBatchStride: xImage,
      });
    }
    return dx;
  }
  for (const chunk of chunks(g, kG)) {
    const width = chunk.images * chunk.positions;
    const cols = scratch('cols', kG * width);
    for (let group = 0; group < g.groups; group++) {
      gemm({
        m: kG,
        n: chunk.positions,
        k: coutG,
        a: wT(group),
        b: {
          data: dy,
          offset: chunk.n0 * dyImage + group * coutG * outSize + chunk.line0 * g.outW,
          rowStride: outSize,
          colStride: 1,
        },
        batch: chunk.images,
        bBatchStride: dyImage,
        out: cols,
        outOffset: 0,
        outRowStride: width,
        outBatchStride: chunk.positions,
      });
      for (let t = 0; t < chunk.images; t++) {
        const xBase = (chunk.n0 + t) * xImage + group * g.cinG * g.inSize;
        col2im(
          g,
          { data: cols, offset: t * chunk.positions, rowStride: width },
          chunk.line0,
          chunk.line1,
          dx,
          xBase,
        );
      }
    }
  }
  return dx;
}
