/** The batching rule of `matmul`: the vmap batch becomes one more leading (broadcast) batch dimension. */
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
