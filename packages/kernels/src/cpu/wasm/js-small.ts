/**
 * GEMM straight from the strided views in plain JavaScript, for products too small to be worth
 * copying (a batch of 4x4 matrices), where loop overhead matters more than cache use.
 */
import type { ResolvedGemm } from './call.js';

/** Runs `g` with a dot product per output element. */
export function gemmSmall(g: ResolvedGemm): void {
  const { m, n, k, out, accumulate } = g;
  const ad = g.a.data;
  const bd = g.b.data;
  const ars = g.a.rowStride;
  const acs = g.a.colStride;
  const brs = g.b.rowStride;
  const bcs = g.b.colStride;
  const k4 = k & ~3;
  for (let t = 0; t < g.batch; t++) {
    const a0 = g.a.offset + t * g.aBatchStride;
    const b0 = g.b.offset + t * g.bBatchStride;
    const o0 = g.outOffset + t * g.outBatchStride;
    for (let i = 0; i < m; i++) {
      const ai = a0 + i * ars;
      const oi = o0 + i * g.outRowStride;
      for (let j = 0; j < n; j++) {
        // Unrolled by four into two partial sums: short loops spend most of their time on overhead.
        let s0 = 0;
        let s1 = 0;
        let a = ai;
        let b = b0 + j * bcs;
        let p = 0;
        for (; p < k4; p += 4, a += 4 * acs, b += 4 * brs) {
          s0 += ad[a]! * bd[b]! + ad[a + acs]! * bd[b + brs]!;
          s1 += ad[a + 2 * acs]! * bd[b + 2 * brs]! + ad[a + 3 * acs]! * bd[b + 3 * brs]!;
        }
        for (; p < k; p++, a += acs, b += brs) s0 += ad[a]! * bd[b]!;
        const sum = s0 + s1;
        out[oi + j] = accumulate ? out[oi + j]! + sum : sum;
      }
    }
  }
}
