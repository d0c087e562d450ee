/** The GEMM call with every default filled in, as the engines take it. */

/** A strided float32 matrix: element `(i, j)` is `data[offset + i * rowStride + j * colStride]`. */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** A GEMM (or a batch of them) with all strides explicit; see `GemmCall` in gemm.ts. */
export interface ResolvedGemm {
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  b: MatrixView;
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
