/**
 * Batching rules of the elementwise primitives. Unary ops (and cast, bitcast, stopGradient) act on
 * the batched value as it is. Ops that broadcast (binary ops, where) line their batched inputs up
 * first: the slices broadcast NumPy-style from the right, so a batch axis must not end up facing an
 * axis of another input's slices.
 */
import {
  BINARY_OPS,
  UNARY_OPS,
  type BinaryOp,
  type DType,
  type UnaryOp,
} from '@equinox-ts/kernels';
import type { Tensor } from '../../tensor.js';
import { binary, bitcast, cast, unary, where } from '../../primitives/elementwise.js';
import { stopGradient } from '../../grad/stop-gradient.js';
import { moveAxis, padLogicalRank } from '../axes.js';
import { defineBatchRule } from './define.js';

/**
 * The inputs of a broadcasting op arranged so that their physical shapes broadcast the way their
 * slices do, and the batch axis of the result.
 */
function alignForBroadcast(
  inputs: readonly Tensor[],
  dims: readonly (number | null)[],
): [Tensor[], number] {
  const rank = Math.max(...inputs.map((x, i) => x.ndim - (dims[i] === null ? 0 : 1)));
  const first = dims.find((d) => d !== null)!;
  // Common case, no data movement: every batched input has the full rank and its batch axis at one
  // position, and no unbatched input is long enough to reach that axis.
  const inPlace = inputs.every((x, i) =>
    dims[i] === null ? x.ndim <= rank - first : dims[i] === first && x.ndim === rank + 1,
  );
  if (inPlace) return [[...inputs], first];
  // Otherwise: batch axes to the front, each batched input padded with 1s to the result's rank.
  const aligned = inputs.map((x, i) =>
    dims[i] === null ? x : padLogicalRank(moveAxis(x, dims[i]!, 0), rank),
  );
  return [aligned, 0];
}

/**
 * Installs the batching rules of every unary and binary op, `where`, `cast`, `bitcast` and
 * `stopGradient` (`vmap` calls this once, when it loads).
 *
 * @example
 * ```ts
 * const affine = (x: Tensor, b: Tensor) => x.mul(2).add(b);
 * vmap(affine, { inAxes: [1, null] })(numpy.array([[1, 2], [3, 4]]), numpy.array([10, 20])).tolist(); // [[12, 26], [14, 28]]
 * ```
 */
export function installElementwiseRules(): void {
  for (const op of Object.keys(UNARY_OPS) as UnaryOp[]) {
    defineBatchRule<void>(op, ([x], [d]) => [unary(op, x!), d!]);
  }
  for (const op of Object.keys(BINARY_OPS) as BinaryOp[]) {
    defineBatchRule<void>(op, (inputs, dims) => {
      const [[a, b], d] = alignForBroadcast(inputs, dims);
      return [binary(op, a!, b!), d];
    });
  }
  defineBatchRule<void>('where', (inputs, dims) => {
    const [[c, a, b], d] = alignForBroadcast(inputs, dims);
    return [where(c!, a!, b!), d];
  });
  defineBatchRule<DType>('cast', ([x], [d], dtype) => [cast(x!, dtype), d!]);
  defineBatchRule<'float32' | 'int32'>('bitcast', ([x], [d], dtype) => [bitcast(x!, dtype), d!]);
  defineBatchRule<void>('stopGradient', ([x], [d]) => [stopGradient(x!), d!]);
}
