/** Swapping the outer and inner levels of a tree of trees. */
import { TreeStructureError, clip, describeValue, where } from './errors.js';
import { flattenTree, unflatten } from './flatten.js';
import { subtreesAlong } from './prefix.js';
import { TreeDef } from './treedef.js';

/**
 * Turns a tree of structure `outer` whose leaves are trees of structure `inner` into a tree of structure
 * `inner` whose leaves are trees of structure `outer` (`jax.tree.transpose`). Pass `inner` as `null` to take
 * it from the first inner tree.
 *
 * @example
 * ```ts
 * const perExample = [{ x: 1, y: 2 }, { x: 3, y: 4 }];
 * transpose(structure([0, 0]), structure({ x: 0, y: 0 }), perExample); // { x: [1, 3], y: [2, 4] }
 * ```
 */
export function transpose<T = unknown>(outer: TreeDef, inner: TreeDef | null, tree: unknown): T {
  for (const [name, def] of [
    ['outer', outer],
    ['inner', inner],
  ] as const) {
    if (def !== null && !(def instanceof TreeDef)) {
      throw new TypeError(`transpose: expected a TreeDef as ${name}, found ${describeValue(def)}`);
    }
  }
  const innerTrees = subtreesAlong('transpose', outer, tree, ['outer', 'the tree']);
  const flattened = innerTrees.map((innerTree) => flattenTree('transpose', innerTree, {}));
  const innerDef = inner ?? flattened[0]?.def;
  if (innerDef === undefined) {
    throw new TypeError('transpose: the outer structure has no leaves, so `inner` must be given');
  }
  flattened.forEach(({ def }, i) => {
    if (!def.equals(innerDef)) {
      // Where inner tree i sits: the path of leaf i of the outer structure.
      const positions = unflatten(
        outer,
        innerTrees.map((_, k) => k),
      );
      const path = flattenTree('transpose', positions, {}, true).paths![i]!;
      throw new TreeStructureError(
        `transpose: the inner tree ${where(path)} is ${clip(String(def))}, expected ${clip(String(innerDef))}`,
        path,
      );
    }
  });
  const swapped = Array.from({ length: innerDef.numLeaves }, (_, j) =>
    unflatten(
      outer,
      flattened.map(({ leaves }): unknown => leaves[j]),
    ),
  );
  return unflatten(innerDef, swapped);
}
