/**
 * Tree helpers for the wrappers that decide per step, inside `jit`, between two results: both are
 * computed and `numpy.where` picks, since a JavaScript `if` on a traced tensor would fix the choice at
 * trace time.
 */
import { Tensor, numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';

/** `onTrue` where the boolean scalar `cond` holds, else `onFalse`, leaf by leaf (same structure). */
export function selectTree<T>(cond: Tensor, onTrue: T, onFalse: unknown): T {
  return tree.map<T>(
    (a: unknown, b: unknown) => (a instanceof Tensor ? numpy.where(cond, a, b as Tensor) : a),
    onTrue,
    onFalse,
  );
}

/** A boolean scalar: true when every entry of every tensor in `value` is finite (true for no tensors). */
export function allFinite(value: unknown): Tensor {
  return (tree.leaves(value) as Tensor[]).reduce(
    (ok, leaf) => numpy.logicalAnd(ok, numpy.all(numpy.isfinite(leaf))),
    numpy.array(true),
  );
}
