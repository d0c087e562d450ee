/** The convolution's forward pass: im2col, then per group one batched GEMM of the filter with the columns. */
import { chunks, type Chunk } from './conv-chunks.js';
import { chunkColumns, chunkTapColumns, isTapMajor, isWhole } from './conv-columns.js';
import { gatheredColumns } from './conv-gather.js';
import type { Conv3 } from './conv-geometry.js';
import { gemm, gemmGathered } from './gemm.js';
import { tapMajorFilter } from './im2col-taps.js';

/**
 * True when the column matrix of an image is the image itself: 1x1 taps, stride 1, no padding.
 * Then the GEMMs read the input directly and im2col is skipped.
 */
export function isPointwise(g: Conv3): boolean {
  return (
    g.kSize === 1 &&
    g.sD === 1 &&
    g.sH === 1 &&
    g.sW === 1 &&
    g.pD === 0 &&
    g.pH === 0 &&
    g.pW === 0 &&
    g.outSize === g.inSize
  );
}

let gathering = true;

/**
 * Turns the gathered columns (implicit im2col in the engine's pack tasks, see conv-gather.ts) of the
 * forward pass and the filter gradient on or off, for tests and benchmarks that compare them with the
 * columns built in JavaScript; returns the previous setting. On by default.
 */
export function setGatheredColumns(on: boolean): boolean {
  const previous = gathering;
  gathering = on;
  return previous;
}

/** Whether the convolutions gather their columns on the engine (see {@link setGatheredColumns}). */
export function gatheredColumnsOn(): boolean {
  return gathering;
}

/**
 * Computes `y[N, C_out, outSize]` from dense `x[N, C_in, inSize]` and `w[C_out, cinG * kSize]`.
 * For each chunk of images and each group: the columns by im2col, then
 * `y[n, group's channels, positions] = w_group[coutG, kG] @ cols_n[kG, positions]`, one GEMM batched
 * over the chunk's images with the filter broadcast. Stride-1 'SAME'-like convolutions use tap-major
 * columns (and a filter reordered to match), which are cheaper to build. Each GEMM overlaps the
 * building of the next columns. On the WebAssembly engine the columns are not built at all: one GEMM
 * per group over the whole batch gathers them from the images (see conv-gather.ts).
 */
export function convForward(g: Conv3, x: Float32Array, w: Float32Array): Float32Array {
  const { coutG, kG, outSize } = g;
  const y = new Float32Array(g.batch * g.outChannels * outSize);
  if (y.length === 0 || kG === 0) return y;
  const yImage = g.outChannels * outSize;
  if (isPointwise(g)) {
    for (let group = 0; group < g.groups; group++) {
      gemm({
        m: coutG,
        n: outSize,
        k: kG,
        a: { data: w, offset: group * coutG * kG, rowStride: kG, colStride: 1 },
        b: { data: x, offset: group * kG * outSize, rowStride: outSize, colStride: 1 },
        batch: g.batch,
        bBatchStride: g.inChannels * outSize,
        out: y,
        outOffset: group * coutG * outSize,
        outBatchStride: yImage,
      });
    }
    return y;
  }
  // Groups that the engine takes with gathered columns are done; the rest build their columns.
  const groups = Array.from({ length: g.groups }, (_, group) => group);
  const rest = !gathering
    ? groups
    : groups.filter(
        (group) =>
          !gemmGathered({
            m: coutG,
            n: outSize,
            k: kG,
            a: { data: w, offset: group * coutG * kG, rowStride: kG, colStride: 1 },
            b: gatheredColumns(g, x, group),
            batch: g.batch,
            out: y,
            outOffset: group * coutG * outSize,
            outBatchStride: yImage,
          }),
      );
  const steps = chunks(g, kG).flatMap((chunk) => rest.map((group) => ({ chunk, group })));
  if (steps.length === 0) return y;
  const taps = (chunk: Chunk) => isTapMajor(g) && isWhole(g, chunk);
  const wTaps = steps.some((s) => taps(s.chunk)) ? tapMajorFilter(g, w) : undefined;
  // Columns alternate between two buffers: the next step's are built while workers multiply these.
  const columns = (i: number) => {
    const { chunk, group } = steps[i]!;
    const slot = i % 2 === 0 ? 'cols' : 'cols2';
    return taps(chunk)
      ? {
          ...chunkTapColumns(g, x, chunk, group, slot),
          rowStride: outSize,
          colStride: 1,
          batch: kG * outSize,
        }
      : { ...chunkColumns(g, x, chunk, group, slot), colStride: 1, batch: chunk.positions };
  };
  let next = columns(0);
  steps.forEach(({ chunk, group }, i) => {
    const b = next;
    gemm({
      m: coutG,
      n: chunk.positions,
      k: kG,
      a: {
        data: taps(chunk) ? wTaps! : w,
        offset: group * coutG * kG,
        rowStride: kG,
        colStride: 1,
      },
      b,
      batch: chunk.images,
      bBatchStride: b.batch,
      out: y,
      outOffset: chunk.n0 * yImage + group * coutG * outSize + chunk.line0 * g.outW,
      outRowStride: outSize,
      outBatchStride: yImage,
      overlap: i + 1 < steps.length ? () => void (next = columns(i + 1)) : undefined,
    });
  });
  return y;
}
