/** The batching rule of `matmul`: the vmap batch becomes one more leading (broadcast) batch dimension. */
import { reshape } from '../../primitives/layout.js';
import { matmul } from '../../primitives/matmul.js';
import type { Tensor } from '../../tensor.js';
import { moveAxis, padLogicalRank } from '../axes.js';
import { defineBatchRule } from './define.js';

/** The matmul primitive's params: whether each operand's last two dimensions are transposed. */
interface MatmulParams {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** Installs the batching rule of `matmul`. */
export function installMatmulRules(): void {
  defineBatchRule<MatmulParams>('matmul', ([a, b], [dimA = null, dimB = null], params) => {
    const folded = foldVectorBatch(a!, dimA, b!, dimB, params);
    if (folded !== null) return [folded, 0];
    // Each example is a matmul of operands of logical rank rankA and rankB whose batch dimensions
    // broadcast, aligned at the right. With the vmap batch first and each batched operand padded with
    // 1s to the larger logical rank, the vmap batch lines up with itself (or broadcasts against an
    // unbatched operand, which ends before it) and every other dimension stays where it was.
    const rank = Math.max(logicalRank(a!, dimA), logicalRank(b!, dimB));
    const lift = (x: Tensor, dim: number | null): Tensor =>
      dim === null ? x : padLogicalRank(moveAxis(x, dim, 0), rank);
    return [matmul(lift(a!, dimA), lift(b!, dimB), params), 0];
  });
}

const logicalRank = (x: Tensor, dim: number | null): number => x.ndim - (dim === null ? 0 : 1);

/**
 * A matrix times a batch of column vectors (a `Linear` layer under `vmap`: `W[M, K] @ x_t[K, 1]`), or a
 * batch of row vectors times a matrix, as ONE matrix product whose rows are the examples: `X[B, K] @
 * W^T` or `X[B, K] @ W`, reshaped to `[B, M, 1]` or `[B, 1, N]`. The broadcast form would be B
 * matrix-vector products, and its gradient for the shared matrix B outer products summed afterwards
 * (a `[B, M, K]` intermediate); folded, that gradient is one `[M, B] @ [B, K]` product. Returns null
 * for every other case.
 */
function foldVectorBatch(
  a: Tensor,
  dimA: number | null,
  b: Tensor,
  dimB: number | null,
  { transposeA, transposeB }: MatmulParams,
): Tensor | null {
  if (dimA === null && dimB !== null && a.ndim === 2 && b.ndim === 3) {
    const vectors = moveAxis(b, dimB, 0); // [B, K, 1], or [B, 1, K] when transposed
    const [size, rows, cols] = vectors.shape as [number, number, number];
    if ((transposeB ? rows : cols) !== 1) return null;
    const m = transposeA ? a.shape[1]! : a.shape[0]!;
    // Row t of X @ op(a)^T is (op(a) @ x_t)^T; op(a)^T is a itself when op transposes it.
    const product = matmul(reshape(vectors, [size, rows * cols]), a, { transposeB: !transposeA });
    return reshape(product, [size, m, 1]);
  }
  if (dimA !== null && dimB === null && a.ndim === 3 && b.ndim === 2) {
    const vectors = moveAxis(a, dimA, 0); // [B, 1, K], or [B, K, 1] when transposed
    const [size, rows, cols] = vectors.shape as [number, number, number];
    if ((transposeA ? cols : rows) !== 1) return null;
    const n = transposeB ? b.shape[0]! : b.shape[1]!;
    const product = matmul(reshape(vectors, [size, rows * cols]), b, { transposeB });
    return reshape(product, [size, 1, n]);
  }
  return null;
}
