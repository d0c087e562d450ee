/**
 * How the convolution kernels split their work so that the column matrix stays within a fixed memory
 * budget: whole images while they fit, else runs of output lines of one image. The matrix lives in a
 * scratch buffer that is reused from call to call, since allocating (and zeroing) megabytes per call
 * costs as much as filling them.
 */
import type { Conv3 } from './conv-geometry.js';
import { getEngine } from './wasm/engine.js';
import { dropImport } from './wasm/heap.js';

/**
 * Default budget of a chunk's column matrix, in float32 elements (1 MiB): as many whole images as fit.
 * Chunks this small stay in cache between im2col and the GEMM's copy of them, which measured 15-30%
 * faster than 8 MiB chunks on the benchmark layer.
 */
export const DEFAULT_COLUMN_BUDGET = 1 << 18;

/**
 * Default size (64 MiB) above which one image's column matrix is split into runs of output lines.
 * Below it an image is kept whole even past the budget, for the faster whole-image im2col paths.
 */
export const DEFAULT_IMAGE_LIMIT = 1 << 24;

let columnBudget = DEFAULT_COLUMN_BUDGET;
let imageLimit = DEFAULT_IMAGE_LIMIT;

/**
 * Sets the column matrix's budget and the size past which images are split, in elements (tests use
 * tiny values to exercise chunking); returns the previous values.
 */
export function setColumnBudget(
  elements: number,
  splitAbove = DEFAULT_IMAGE_LIMIT,
): [number, number] {
  const previous: [number, number] = [columnBudget, imageLimit];
  columnBudget = Math.max(1, Math.floor(elements));
  imageLimit = Math.max(1, Math.floor(splitAbove));
  return previous;
}

/** One piece of work: images `[n0, n0 + images)`, and of each, output lines `[line0, line1)`. */
export interface Chunk {
  n0: number;
  images: number;
  line0: number;
  line1: number;
  /** Output positions of one image in this chunk: `(line1 - line0) * outW`. */
  positions: number;
}

/**
 * Splits a convolution into chunks of whole images whose column matrix (`rows` rows by
 * `images * positions` columns) fits the budget, at least one image each; an image whose matrix is past
 * the split size is cut into runs of output lines that fit the budget (at least one line each).
 */
export function chunks(g: Conv3, rows: number): Chunk[] {
  const lines = g.outD * g.outH;
  const perImage = rows * g.outSize;
  const out: Chunk[] = [];
  if (perImage <= imageLimit) {
    const step = Math.max(1, Math.floor(columnBudget / Math.max(1, perImage)));
    for (let n0 = 0; n0 < g.batch; n0 += step) {
      const images = Math.min(step, g.batch - n0);
      out.push({ n0, images, line0: 0, line1: lines, positions: g.outSize });
    }
    return out;
  }
  const step = Math.max(1, Math.floor(columnBudget / (rows * g.outW)));
  for (let n0 = 0; n0 < g.batch; n0++) {
    for (let line0 = 0; line0 < lines; line0 += step) {
      const line1 = Math.min(lines, line0 + step);
      out.push({ n0, images: 1, line0, line1, positions: (line1 - line0) * g.outW });
    }
  }
  return out;
}

const buffers = new Map<string, Float32Array>();

/**
 * A reusable float32 buffer of at least `size` elements for `slot` (contents are stale: the caller
 * writes before reading). Kernels run to completion synchronously, so one buffer per slot suffices.
 * Inside a scratch scope the GEMM engine keeps a copy of each ordinary array it reads, taken on first
 * use (see `engineAddress`); since the caller is about to rewrite this buffer, that copy is dropped, or
 * the next product would read the buffer's old contents.
 */
export function scratch(slot: string, size: number): Float32Array {
  let buffer = buffers.get(slot);
  if (buffer === undefined || buffer.length < size) {
    buffer = new Float32Array(size);
    buffers.set(slot, buffer);
  }
  const engine = getEngine();
  if (engine !== null) dropImport(engine, buffer);
  return buffer;
}
