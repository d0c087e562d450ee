/**
 * Batching rules of `pool` and `poolBackward`. Pooling treats every `[N, C]` plane on its own, so the
 * batch folds into N or C (whichever it sits beside) and one call pools the whole batch.
 */
import type { PoolParams } from '../../primitives/pool.js';
import { pool, poolBackward } from '../../primitives/pool.js';
import { batchFirst, batchSize, foldIntoLeading } from '../axes.js';
import { defineBatchRule } from './define.js';

/** Installs the batching rules of `pool` and `poolBackward`. */
export function installPoolRules(): void {
  defineBatchRule<PoolParams>('pool', ([x], [dim], params) => {
    const [folded, unfold] = foldIntoLeading(x!, dim!, 2);
    return unfold(pool(folded, params));
  });

  defineBatchRule<PoolParams>('poolBackward', ([dy, x], dims, params) => {
    const [dimDy = null, dimX = null] = dims;
    if (dimDy !== null && dimDy === dimX) {
      const [dyFolded, unfold] = foldIntoLeading(dy!, dimDy, 2);
      const [xFolded] = foldIntoLeading(x!, dimX, 2);
      return unfold(poolBackward(dyFolded, xFolded, params));
    }
    // Batch axes in different places, or an unbatched operand (broadcast): batch first for both.
    const size = batchSize([dy!, x!], dims);
    const [dyFolded, unfold] = foldIntoLeading(batchFirst(dy!, dimDy, size), 0, 2);
    const [xFolded] = foldIntoLeading(batchFirst(x!, dimX, size), 0, 2);
    return unfold(poolBackward(dyFolded, xFolded, params));
  });
}
