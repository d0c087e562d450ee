/**
 * The plain-JavaScript GEMM, for platforms without WebAssembly SIMD: B is copied into a contiguous
 * row-major block per K chunk, then four rows of C at a time accumulate `a[i, p] * b[p, :]`, so the
 * inner loop is a contiguous multiply-add that JIT compilers keep in registers.
 */
import type { ResolvedGemm } from './call.js';

/** K rows of B per chunk: a chunk of a few hundred columns stays in cache while four rows of C pass. */
const KC = 128;
/** Columns of C per pass. */
const NC = 512;

/** Runs `g` on the calling thread in plain JavaScript. */
export function gemmBlocked(g: ResolvedGemm): void {
  const { m, n, k } = g;
  const bBuf = new Float32Array(KC * NC);
  const acc = new Float64Array(4 * NC);
  const ad = g.a.data;
  const ars = g.a.rowStride;
  const acs = g.a.colStride;
  for (let t = 0; t < g.batch; t++) {
    const a0 = g.a.offset + t * g.aBatchStride;
    const b0 = g.b.offset + t * g.bBatchStride;
    const o0 = g.outOffset + t * g.outBatchStride;
    for (let jc = 0; jc < n; jc += NC) {
      const nw = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kw = Math.min(KC, k - pc);
        packB(g, b0, pc, kw, jc, nw, bBuf);
        // The first chunk overwrites C (unless accumulating); later ones add to it.
        const add = g.accumulate || pc > 0;
        for (let ic = 0; ic < m; ic += 4) {
          const rows = Math.min(4, m - ic);
          acc.fill(0);
          for (let p = 0; p < kw; p++) {
            const ap = a0 + ic * ars + (pc + p) * acs;
            const x0 = ad[ap]!;
            const x1 = rows > 1 ? ad[ap + ars]! : 0;
            const x2 = rows > 2 ? ad[ap + 2 * ars]! : 0;
            const x3 = rows > 3 ? ad[ap + 3 * ars]! : 0;
            const bp = p * nw;
            for (let j = 0; j < nw; j++) {
              const y = bBuf[bp + j]!;
              acc[j] = acc[j]! + x0 * y;
              acc[NC + j] = acc[NC + j]! + x1 * y;
              acc[2 * NC + j] = acc[2 * NC + j]! + x2 * y;
              acc[3 * NC + j] = acc[3 * NC + j]! + x3 * y;
            }
          }
          for (let r = 0; r < rows; r++) {
            const o = o0 + (ic + r) * g.outRowStride + jc;
            const out = g.out;
            for (let j = 0; j < nw; j++) {
              out[o + j] = add ? out[o + j]! + acc[r * NC + j]! : acc[r * NC + j]!;
            }
          }
        }
      }
    }
  }
}

/** Copies `b[pc .. pc + kw, jc .. jc + nw]` into `buf`, row-major with rows `nw` apart. */
function packB(
  g: ResolvedGemm,
  b0: number,
  pc: number,
  kw: number,
  jc: number,
  nw: number,
  buf: Float32Array,
): void {
  const { data, rowStride, colStride } = g.b;
  for (let p = 0; p < kw; p++) {
    const src = b0 + (pc + p) * rowStride + jc * colStride;
    if (colStride === 1) buf.set(data.subarray(src, src + nw), p * nw);
    else for (let j = 0; j < nw; j++) buf[p * nw + j] = data[src + j * colStride]!;
  }
}
