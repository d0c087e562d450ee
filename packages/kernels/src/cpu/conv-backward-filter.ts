/** The convolution's gradient with respect to its filter: im2col, then one long GEMM per chunk and group. */
import { chunks, scratch, type Chunk } from './conv-chunks.js';
import { chunkColumns, chunkTapColumns, isTapMajor, isWhole } from './conv-columns.js';
import { gatheredColumnsOn } from './conv-forward.js';
import { gatheredImageRuns } from './conv-gather.js';
import type { Conv3 } from './conv-geometry.js';
import { gemm, gemmGathered, type MatrixView } from './gemm.js';
import { tapMajorFilter } from './im2col-taps.js';

/**
 * Computes `dw[C_out, cinG * kSize]` from dense `x[N, C_in, inSize]` and `dy[N, C_out, outSize]`.
 * For each chunk and group: `dw_group[coutG, kG] += dy_chunk[coutG, images * positions] @ cols^T`,
 * so the sum over images and positions is the GEMM's inner dimension (long, which suits a GEMM well).
 * `dy_chunk` is `dy` itself for a one-image chunk, else a copy with the images side by side. Stride-1
 * 'SAME'-like convolutions use tap-major columns instead (see `filterTaps`). On the WebAssembly engine
 * an ungrouped convolution builds no columns at all (see `filterGathered`).
 */
export function convBackwardFilterDense(g: Conv3, x: Float32Array, dy: Float32Array): Float32Array {
  const { coutG, kG, outSize } = g;
  const dw = new Float32Array(g.outChannels * kG);
  if (dw.length === 0 || g.batch === 0 || outSize === 0) return dw;
  if (g.groups === 1 && gatheredColumnsOn() && filterGathered(g, x, dy, dw)) return dw;
  const dyImage = g.outChannels * outSize;
  const list = chunks(g, kG);
  if (isTapMajor(g) && list.every((chunk) => isWhole(g, chunk))) return filterTaps(g, x, dy, list);
  let first = true;
  for (const chunk of list) {
    const { positions, images } = chunk;
    const width = images * positions;
    for (let group = 0; group < g.groups; group++) {
      const cols = chunkColumns(g, x, chunk, group);
      const dyBase = chunk.n0 * dyImage + group * coutG * outSize + chunk.line0 * g.outW;
      const a =
        images > 1
          ? sideBySide(dy, dyBase, dyImage, outSize, coutG, images, positions)
          : { data: dy, offset: dyBase, rowStride: outSize, colStride: 1 };
      gemm({
        m: coutG,
        n: kG,
        k: width,
        a,
        b: { data: cols.data, offset: cols.offset, rowStride: 1, colStride: cols.rowStride },
        out: dw,
        outOffset: group * coutG * kG,
        accumulate: !first,
      });
    }
    first = false;
  }
  return dw;
}

/** Runs of images the gathered filter gradient splits the batch into, at most: one product each. */
const RUNS = 4;

/**
 * The filter gradient with the columns gathered by the engine's pack tasks (see conv-gather.ts), for
 * one group: the batch is split into a few equal runs of images, and run `t`'s partial gradient is
 * `dy_t[C_out, images * positions] @ cols_t^T`, one batch item of a single product (so the runs are
 * multiplied on every thread at once); the partials are summed at the end. `dy_t` is `dy` with the
 * run's images side by side. Returns false, having written nothing, where the engine does not take
 * the product.
 */
function filterGathered(g: Conv3, x: Float32Array, dy: Float32Array, dw: Float32Array): boolean {
  const { outChannels, kG, outSize, batch } = g;
  let runs = Math.min(RUNS, batch);
  while (batch % runs !== 0) runs--; // equal runs: the largest divisor of the batch up to RUNS
  const imagesPerRun = batch / runs;
  const wide = sideBySide(dy, 0, outChannels * outSize, outSize, outChannels, batch, outSize);
  const partials = runs === 1 ? dw : scratch('dw', runs * outChannels * kG);
  const done = gemmGathered({
    m: outChannels,
    n: kG,
    k: imagesPerRun * outSize,
    a: wide,
    aBatchStride: imagesPerRun * outSize,
    b: gatheredImageRuns(g, x, imagesPerRun),
    batch: runs,
    out: partials,
    outOffset: 0,
  });
  if (!done || runs === 1) return done;
  for (let t = 0; t < runs; t++) {
    const base = t * dw.length;
    for (let i = 0; i < dw.length; i++) dw[i] = dw[i]! + partials[base + i]!;
  }
  return true;
}

/**
 * The filter gradient from tap-major columns (see im2col-taps.ts), which are cheaper to build but hold
 * each image apart: one GEMM per image, `dw_group += dy_n[coutG, P] @ cols_n^T`, accumulating, then
 * the taps reordered back.
 */
function filterTaps(g: Conv3, x: Float32Array, dy: Float32Array, list: Chunk[]): Float32Array {
  const { coutG, kG, outSize } = g;
  const dwTaps = new Float32Array(g.outChannels * kG);
  const dyImage = g.outChannels * outSize;
  for (const chunk of list) {
    for (let group = 0; group < g.groups; group++) {
      const cols = chunkTapColumns(g, x, chunk, group);
      for (let t = 0; t < chunk.images; t++) {
        const n = chunk.n0 + t;
        gemm({
          m: coutG,
          n: kG,
          k: outSize,
          a: {
            data: dy,
            offset: n * dyImage + group * coutG * outSize,
            rowStride: outSize,
            colStride: 1,
          },
          b: {
            data: cols.data,
            offset: cols.offset + t * kG * outSize,
            rowStride: 1,
            colStride: outSize,
          },
          out: dwTaps,
          outOffset: group * coutG * kG,
          accumulate: n > 0,
        });
      }
    }
  }
  return tapMajorFilter(g, dwTaps, true);
}

/**
 * Copies `rows` rows of `positions` elements from each of `images` images of `dy` (rows `rowStride`
 * apart, images `imageStride` apart, from `base`) side by side into a scratch `[rows, images *
 * positions]` matrix, one block copy per row and image.
 */
function sideBySide(
  dy: Float32Array,
  base: number,
  imageStride: number,
  rowStride: number,
  rows: number,
  images: number,
  positions: number,
): MatrixView {
  const out = scratch('dy', rows * images * positions);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < images; t++, o += positions) {
      const s = base + t * imageStride + r * rowStride;
      out.set(dy.subarray(s, s + positions), o);
    }
  }
  return { data: out, offset: 0, rowStride: images * positions, colStride: 1 };
}
