/** The GEMM call with every default filled in, as the engines take it. */

/** A strided float32 matrix: element `(i, j)` is `data[offset + i * rowStride + j * colStride]`. */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/**
 * Dense images, `[channels, depth, height, width]` floats each, that the engine places zero-padded:
 * inside a `[channels, paddedDepth, paddedHeight, paddedWidth]` block, starting at `(before)`.
 */
export interface PaddedImages {
  /** Image `t` starts at `data[offset + t * itemStride]`. */
  readonly data: Float32Array;
  readonly offset: number;
  readonly itemStride: number;
  /** `[channels, depth, height, width]`. */
  readonly shape: readonly [number, number, number, number];
  /** `[depth, height, width]` of each padded channel. */
  readonly padded: readonly [number, number, number];
  /** Padding before each of depth, height and width. */
  readonly before: readonly [number, number, number];
}

/**
 * A `k x n` matrix per batch item that is never stored: element `(p, j)` of item `t` is the float at
 * byte `rowOffsets[p] + colOffsets[j]` of padded image `t` of `source`. Convolutions describe their
 * im2col columns this way (see conv-gather.ts), so the engine's pack tasks read them from the image.
 */
export interface GatheredMatrix {
  readonly source: PaddedImages;
  /** Byte offset of each row (length `k`). */
  readonly rowOffsets: Int32Array;
  /** Byte offset of each column (length `n`); every sum stays inside a padded image. */
  readonly colOffsets: Int32Array;
}

/** A GEMM (or a batch of them) with all strides explicit; see `GemmCall` in gemm.ts. */
export interface ResolvedGemm<B extends MatrixView | GatheredMatrix = MatrixView> {
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  /** A gathered B always has one item per batch item (`bBatchStride` is ignored). */
  b: B;
  out: Float32Array;
  outOffset: number;
  outRowStride: number;
  batch: number;
  aBatchStride: number;
  bBatchStride: number;
  outBatchStride: number;
  accumulate: boolean;
  /** See `GemmCall.overlap`; the engine clears it once it has run it. */
  overlap: (() => void) | undefined;
}
