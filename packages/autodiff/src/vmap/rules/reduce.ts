/**
 * Batching rules of the reductions, cumsum and argsort: each acts along axes of the slices, which
 * are the batched value's axes with the batch axis skipped. No data moves; only the axes shift.
 */
import type { ReduceOp } from '@equinox-ts/kernels';
import { argReduce, cumsum, reduce } from '../../primitives/reduce.js';
import { argsort } from '../../primitives/sort.js';
import { defineBatchRule } from './define.js';

/** The axis of the batched value that is axis `axis` of its slices, the batch axis being `batchDim`. */
const physical = (axis: number, batchDim: number): number => (axis < batchDim ? axis : axis + 1);

/**
 * Installs the batching rules of `reduce_sum`/`prod`/`max`/`min`, `argmax`, `argmin`, `cumsum` and
 * `argsort` (`vmap` calls this once, when it loads).
 *
 * @example
 * ```ts
 * const rowTotals = (m: Tensor) => m.sum({ axis: 1 });
 * vmap(rowTotals, { inAxes: 2 })(numpy.ones([2, 3, 4])).tolist(); // [[3, 3], [3, 3], [3, 3], [3, 3]]
 * ```
 */
export function installReduceRules(): void {
  for (const op of ['sum', 'prod', 'max', 'min'] as ReduceOp[]) {
    defineBatchRule<{ readonly axes: readonly number[] }>(`reduce_${op}`, ([x], [d], { axes }) => {
      // Reduced axes in front of the batch axis move it forward.
      const before = axes.filter((a) => a < d!).length;
      return [
        reduce(
          op,
          x!,
          axes.map((a) => physical(a, d!)),
        ),
        d! - before,
      ];
    });
  }
  for (const op of ['argmax', 'argmin'] as const) {
    defineBatchRule<number>(op, ([x], [d], axis) => [
      argReduce(op, x!, physical(axis, d!)),
      axis < d! ? d! - 1 : d!,
    ]);
  }
  defineBatchRule<{ readonly axis: number; readonly reverse: boolean }>(
    'cumsum',
    ([x], [d], { axis, reverse }) => [cumsum(x!, physical(axis, d!), reverse), d!],
  );
  defineBatchRule<{ readonly axis: number; readonly descending: boolean }>(
    'argsort',
    ([x], [d], { axis, descending }) => [argsort(x!, physical(axis, d!), descending), d!],
  );
}
