/** Moving batch axes around, for the batching rules. */
import type { Tensor } from '../tensor.js';
import { broadcastTo, reshape, transpose } from '../primitives/layout.js';

/** `x` with its axis `from` moved to position `to` (the others keep their order). */
export function moveAxis(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = x.shape.map((_, d) => d).filter((d) => d !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/**
 * `x` with a batch axis of `size` at the front: its batch axis `dim` moved there, or (when `dim` is
 * null) the unbatched `x` broadcast along a new leading axis (a view, not a copy).
 */
export function batchFirst(x: Tensor, dim: number | null, size: number): Tensor {
  if (dim !== null) return moveAxis(x, dim, 0);
  return broadcastTo(reshape(x, [1, ...x.shape]), [size, ...x.shape]);
}

/**
 * A batched-first `x` (logical rank `x.ndim - 1`) with 1s inserted after the batch axis up to logical
 * rank `rank`, so it broadcasts against unbatched tensors of that rank the way its slices would.
 */
export function padLogicalRank(x: Tensor, rank: number): Tensor {
  const missing = rank - (x.ndim - 1);
  if (missing <= 0) return x;
  return reshape(x, [x.shape[0]!, ...new Array<number>(missing).fill(1), ...x.shape.slice(1)]);
}

/** The batch size of a rule's inputs: the length of the first batch axis. */
export function batchSize(inputs: readonly Tensor[], dims: readonly (number | null)[]): number {
  const i = dims.findIndex((d) => d !== null);
  return inputs[i]!.shape[dims[i]!]!;
}

/** `x` with axis `axis` split into `[outer, size / outer]`. */
export function splitAxis(x: Tensor, axis: number, outer: number): Tensor {
  const n = x.shape[axis]!;
  return reshape(x, [...x.shape.slice(0, axis), outer, n / outer, ...x.shape.slice(axis + 1)]);
}

/** `x` with axes `axis` and `axis + 1` merged into one. */
export function mergeAxes(x: Tensor, axis: number): Tensor {
  const merged = x.shape[axis]! * x.shape[axis + 1]!;
  return reshape(x, [...x.shape.slice(0, axis), merged, ...x.shape.slice(axis + 2)]);
}

/**
 * Folds the batch axis of `x` (at `dim`) into a neighbouring one among its first `lead` logical axes,
 * axes along which the primitive treats each slice independently (N for a convolution, N and C for
 * pooling). The batch moves to the front first only when it has no such neighbour, so a batch already
 * beside N costs no transpose. Returns the folded tensor and the inverse for an output whose folded
 * axes keep their sizes.
 */
export function foldIntoLeading(
  x: Tensor,
  dim: number,
  lead: number,
): [Tensor, (y: Tensor) => [Tensor, number]] {
  const adjacent = dim <= lead;
  const t = adjacent ? x : moveAxis(x, dim, 0);
  const at = adjacent ? Math.max(dim - 1, 0) : 0;
  const outer = t.shape[at]!;
  return [mergeAxes(t, at), (y) => [splitAxis(y, at, outer), adjacent ? dim : 0]];
}
