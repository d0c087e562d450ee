/**
 * General matrix multiply on float32 views, the engine under matmul and convolution.
 * (Reference implementation; to be replaced by the WebAssembly SIMD engine.)
 */

/** A strided float32 matrix: element `(i, j)` is `data[offset + i * rowStride + j * colStride]`. */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/**
 * One GEMM, or a batch of them with uniform batch strides (a stride of 0 broadcasts an operand):
 * for each batch item `t`, `out_t = a_t @ b_t` (or `out_t += a_t @ b_t` with `accumulate`), where
 * `a_t` is `m x k`, `b_t` is `k x n`, and `out_t` is row-major `m x n` at
 * `outOffset + t * outBatchStride` with rows `outRowStride` apart.
 */
export interface GemmCall {
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  b: MatrixView;
  out: Float32Array;
  outOffset: number;
  /** Default `n`. */
  outRowStride?: number;
  /** Default 1. */
  batch?: number;
  /** Default 0. */
  aBatchStride?: number;
  /** Default 0. */
  bBatchStride?: number;
  /** Default `m * outRowStride`. */
  outBatchStride?: number;
  /** Add into `out` instead of overwriting it. Default false. */
  accumulate?: boolean;
}

/** Runs a {@link GemmCall}. */
export function gemm(call: GemmCall): void {
  const { m, n, k, a, b, out } = call;
  const outRowStride = call.outRowStride ?? n;
  const batch = call.batch ?? 1;
  const outBatchStride = call.outBatchStride ?? m * outRowStride;
  for (let t = 0; t < batch; t++) {
    const aBase = a.offset + t * (call.aBatchStride ?? 0);
    const bBase = b.offset + t * (call.bBatchStride ?? 0);
    const oBase = call.outOffset + t * outBatchStride;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          sum +=
            a.data[aBase + i * a.rowStride + p * a.colStride]! *
            b.data[bBase + p * b.rowStride + j * b.colStride]!;
        }
        const o = oBase + i * outRowStride + j;
        out[o] = call.accumulate ? out[o]! + sum : sum;
      }
    }
  }
}
