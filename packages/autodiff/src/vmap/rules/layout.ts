/**
 * Batching rules of the layout primitives. Most get one more axis in their params (the batch axis,
 * left whole); gather and scatterAdd with batched indices fold the batch into the indexed axis, so
 * that one gather (or scatter) serves every example.
 */
import type { Tensor } from '../../tensor.js';
import { iotaLike, scalarLike } from '../../primitives/constants.js';
import { binary, where } from '../../primitives/elementwise.js';
import {
  broadcastTo,
  concat,
  gather,
  pad,
  reshape,
  scatterAdd,
  slice,
  transpose,
} from '../../primitives/layout.js';
import { batchFirst, batchSize, moveAxis, padLogicalRank } from '../axes.js';
import { defineBatchRule } from './define.js';

/** The axis of the batched value that is axis `axis` of its slices, the batch axis being `batchDim`. */
const physical = (axis: number, batchDim: number): number => (axis < batchDim ? axis : axis + 1);

/** `list` with `value` inserted at `index`. */
const insertAt = <T>(list: readonly T[], index: number, value: T): T[] => [
  ...list.slice(0, index),
  value,
  ...list.slice(index),
];

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * Batched-first indices `[B, ...]` into an axis of length `n`, turned into indices into the batch
 * and that axis merged (`[B * n, ...]`): each resolved as the kernels do (negative from the end,
 * then clamped) and offset by `b * n` for example `b`.
 */
function mergedIndices(indices: Tensor, n: number): Tensor {
  const k = (value: number) => scalarLike(indices, value, 'int32');
  const wrapped = where(binary('lt', indices, k(0)), binary('add', indices, k(n)), indices);
  const clamped = binary('max', binary('min', wrapped, k(n - 1)), k(0));
  const ones = new Array<number>(indices.ndim - 1).fill(1);
  const batch = iotaLike([indices.shape[0]!, ...ones], 0, 'int32', indices.backend);
  return binary('add', clamped, binary('mul', batch, k(n)));
}

/** gather with both `x` and `indices` batched at axis 0, along axis `axis` of the slices. */
function gatherBoth(x: Tensor, indices: Tensor, axis: number): Tensor {
  const [size, n] = [x.shape[0]!, x.shape[axis + 1]!];
  // [B, n, ...before, ...after] -> [B * n, ...before, ...after]: one axis holding every example's rows.
  const rowsFirst = moveAxis(x, axis + 1, 1);
  const merged = reshape(rowsFirst, [size * n, ...rowsFirst.shape.slice(2)]);
  const picked = gather(merged, mergedIndices(indices, n), 0); // [B, ...idx, ...before, ...after]
  const k = indices.ndim - 1;
  const perm = [
    0,
    ...range(1 + k, 1 + k + axis),
    ...range(1, 1 + k),
    ...range(1 + k + axis, picked.ndim),
  ];
  return transpose(picked, perm);
}

/** scatterAdd with both `updates` and `indices` batched at axis 0: the transpose of {@link gatherBoth}. */
function scatterAddBoth(updates: Tensor, indices: Tensor, axis: number, n: number): Tensor {
  const size = updates.shape[0]!;
  const k = indices.ndim - 1;
  // [B, ...before, ...idx, ...after] -> [B, ...idx, ...before, ...after], gather's layout above.
  const perm = [
    0,
    ...range(1 + axis, 1 + axis + k),
    ...range(1, 1 + axis),
    ...range(1 + axis + k, updates.ndim),
  ];
  const summed = scatterAdd(transpose(updates, perm), mergedIndices(indices, n), 0, size * n);
  const split = reshape(summed, [size, n, ...summed.shape.slice(1)]);
  return moveAxis(split, 1, axis + 1);
}

/**
 * Installs the batching rules of `reshape`, `transpose`, `broadcastTo`, `slice`, `concatenate`,
 * `pad`, `gather` and `scatterAdd` (`vmap` calls this once, when it loads).
 *
 * @example
 * ```ts
 * const pick = (row: Tensor, i: Tensor) => numpy.take(row, i);
 * vmap(pick)(numpy.array([[1, 2, 3], [4, 5, 6]]), numpy.array([2, 0], { dtype: 'int32' })).tolist(); // [3, 4]
 * ```
 */
export function installLayoutRules(): void {
  defineBatchRule<readonly number[]>('reshape', ([x], [d], shape) => {
    const first = moveAxis(x!, d!, 0);
    return [reshape(first, [first.shape[0]!, ...shape]), 0];
  });
  defineBatchRule<readonly number[]>('transpose', ([x], [d], perm) => {
    // The batch axis stays where it is; the other axes move as they do in the slices.
    const others = perm.map((p) => physical(p, d!));
    const withBatch = insertAt(others, d!, d!);
    return [transpose(x!, withBatch), d!];
  });
  defineBatchRule<readonly number[]>('broadcastTo', ([x], [d], shape) => {
    // The slices may have fewer axes than `shape`: pad them with 1s behind the batch axis first.
    const first = padLogicalRank(moveAxis(x!, d!, 0), shape.length);
    return [broadcastTo(first, [first.shape[0]!, ...shape]), 0];
  });
  defineBatchRule<{
    start: readonly number[];
    limit: readonly number[];
    strides: readonly number[];
  }>('slice', ([x], [d], { start, limit, strides }) => [
    slice(x!, insertAt(start, d!, 0), insertAt(limit, d!, x!.shape[d!]!), insertAt(strides, d!, 1)),
    d!,
  ]);
  defineBatchRule<number>('concatenate', (xs, dims, axis) => {
    const d = dims[0] ?? null;
    if (d !== null && dims.every((other) => other === d)) return [concat(xs, physical(axis, d)), d];
    // Mixed layouts, or unbatched inputs: every input batched first (unbatched ones broadcast).
    const size = batchSize(xs, dims);
    const batchedFirst = xs.map((x, i) => batchFirst(x, dims[i] ?? null, size));
    return [concat(batchedFirst, axis + 1), 0];
  });
  defineBatchRule<{
    lo: readonly number[];
    hi: readonly number[];
    value: number;
    interior: readonly number[];
  }>('pad', ([x], [d], { lo, hi, value, interior }) => [
    pad(x!, insertAt(lo, d!, 0), insertAt(hi, d!, 0), value, insertAt(interior, d!, 0)),
    d!,
  ]);
  defineBatchRule<number>('gather', ([x, indices], [dx, di], axis) => {
    // Batched indices only: the result's indices part carries the batch axis where the indices had it.
    if (dx === null) return [gather(x!, indices!, axis), axis + di!];
    const first = moveAxis(x!, dx!, 0);
    if (di === null) return [gather(first, indices!, axis + 1), 0];
    return [gatherBoth(first, moveAxis(indices!, di!, 0), axis), 0];
  });
  defineBatchRule<{ axis: number; size: number }>(
    'scatterAdd',
    ([updates, indices], [du, di], { axis, size: n }) => {
      const size = batchSize([updates!, indices!], [du ?? null, di ?? null]);
      const first = batchFirst(updates!, du ?? null, size);
      if (di === null) return [scatterAdd(first, indices!, axis + 1, n), 0];
      return [scatterAddBoth(first, moveAxis(indices!, di!, 0), axis, n), 0];
    },
  );
}
