/** `Shared`: ties nodes of a pytree together (shared weights), as `eqx.nn.Shared`. */
import { Tensor, TensorError } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';

/**
 * What `Shared` stores in place of each tied node: a module without fields, so it adds no leaves (the
 * tied value is stored once, at its source) and plain `grad` and `jit` pass over it.
 */
export class SharedNode extends Module {}

/** The structure of `value` with each leaf's dtype and shape (tensors) or type: what tied nodes must share. */
function signature(value: unknown): string {
  const [leaves, def] = tree.flatten(value);
  const avals = leaves.map((leaf) =>
    leaf instanceof Tensor ? `${leaf.dtype}[${leaf.shape.join(', ')}]` : typeof leaf,
  );
  return `${def.toString()} with leaves (${avals.join(', ') || 'none'})`;
}

/**
 * Ties nodes of a pytree together (Equinox's `eqx.nn.Shared`). A model is a tree, so the same layer or
 * weight placed at two spots is two independent copies that train apart; `Shared` stores the tree with
 * the nodes that `where` selects removed, and {@link Shared.call} puts back the values that `get`
 * computes from the rest. The tied value lives once in the tree, so it is trained once, with the
 * gradients of all its uses summed.
 *
 * - `pytree`: the tree to share nodes across (a tuple of layers, a model).
 * - `where`: a function of the tree that selects the nodes to replace, one node or an array of them, as
 *   the `where` of `tree.treeAt` (it walks the structure only: `(t) => t[1].weight`).
 * - `get`: a function of the tree that returns the value(s) to put there, one or an array of the same
 *   length as `where`'s. Each must have the structure, shapes and dtypes of the node it replaces. It may
 *   compute, e.g. `(t) => t[0].weight.transpose()`.
 *
 * `where` and `get` are static fields (part of the tree's structure). `call()` takes no arguments and
 * returns the tree with the tied nodes restored.
 *
 * @example
 * ```ts
 * const [k1, k2] = random.split(random.key(0));
 * // An encoder and a decoder that use the same [3, 3] weight.
 * const shared = new Shared(
 *   [new Linear(3, 3, { key: k1! }), new Linear(3, 3, { key: k2! })],
 *   (pair) => pair[1].weight,
 *   (pair) => pair[0].weight,
 * );
 * const [encoder, decoder] = shared.call();
 * decoder.weight === encoder.weight; // true
 * tree.leaves(shared).length; // 3
 * ```
 */
export class Shared<T> extends Module {
  /** The tree with every node `where` selects replaced by a placeholder. */
  pytree: T;
  where: (pytree: T) => unknown = field({ static: true });
  get: (pytree: T) => unknown = field({ static: true });

  constructor(pytree: T, where: (pytree: T) => unknown, get: (pytree: T) => unknown) {
    super();
    if (typeof where !== 'function') {
      throw new TensorError(
        'Shared',
        `\`where\` must be a function of the tree, found ${typeof where}`,
      );
    }
    if (typeof get !== 'function') {
      throw new TensorError(
        'Shared',
        `\`get\` must be a function of the tree, found ${typeof get}`,
      );
    }
    const source = signature(get(pytree));
    const destination = signature(where(pytree));
    if (source !== destination) {
      throw new TensorError(
        'Shared',
        'the nodes tied together must have the same structure, shapes and dtypes: `get` gives ' +
          `${source}, \`where\` selects ${destination}`,
      );
    }
    this.pytree = tree.treeAt(where, pytree, { replaceFn: () => new SharedNode() });
    this.where = where;
    this.get = get;
  }

  /** The tree with `get`'s values in place of the nodes `where` selects (the same objects at both). */
  call(): T {
    return tree.treeAt(this.where, this.pytree, this.get(this.pytree));
  }
}
