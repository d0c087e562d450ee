/** Mapping and folding over the leaves of one or several trees. */
import { flattenTree, unflatten, type Leaf } from './flatten.js';
import type { KeyPath } from './keys.js';
import type { IsLeafOptions } from './nodes.js';
import { checkFunction } from './errors.js';
import { splitOptions, type TreesThenOptions } from './options.js';
import { subtreesAlong } from './prefix.js';
import type { TreeDef } from './treedef.js';

/**
 * The leaves of each extra tree, read along `def` (the first tree's structure): every extra tree must have
 * the first tree's structure, and where the first tree has a leaf the extra tree's whole subtree is taken.
 */
function restLeaves(op: string, def: TreeDef, rest: unknown[]): unknown[][] {
  return rest.map((tree, i) => subtreesAlong(op, def, tree, ['tree 0', `tree ${i + 1}`]));
}

/** {@link map} for callers that report errors under their own name. */
export function mapTrees(
  op: string,
  f: (...leaves: Leaf[]) => unknown,
  trees: readonly unknown[],
  options: IsLeafOptions,
): unknown {
  const { leaves, def } = flattenTree(op, trees[0], options);
  const columns = restLeaves(op, def, trees.slice(1));
  return unflatten(
    def,
    leaves.map((leaf, i) => f(leaf, ...columns.map((column) => column[i]))),
  );
}

/**
 * Applies `f` to every leaf of `tree`, or to matching leaves of several trees, and returns a tree of the
 * first tree's structure holding the results (`jax.tree.map`). The extra trees must have the first tree's
 * structure; where the first tree has a leaf, `f` receives the extra trees' whole subtrees there.
 *
 * The last argument may be options (`{ isLeaf }`), as described in the package README.
 *
 * @example
 * ```ts
 * map((x: number) => x * 2, { a: 1, b: [2, 3] }); // { a: 2, b: [4, 6] }
 * map((p: number, g: number) => p - 0.1 * g, [1, 2], [10, 20]); // [0, 0]
 * map((pair: number[]) => pair[0], [[1, 2], [3, 4]], {
 *   isLeaf: (x) => Array.isArray(x) && typeof x[0] === 'number',
 * }); // [1, 3]
 * ```
 */
export function map<T, R = T>(
  f: (leaf: Leaf, ...rest: Leaf[]) => unknown,
  tree: T,
  ...rest: TreesThenOptions<IsLeafOptions>
): R {
  checkFunction('map', 'f', f);
  const [trees, options] = splitOptions<IsLeafOptions>('map', [tree, ...rest], {
    isLeaf: 'function',
  });
  return mapTrees('map', f, trees, options) as R;
}

/**
 * Like {@link map}, with the leaf's path as the first argument of `f` (`jax.tree.map_with_path`).
 *
 * @example
 * ```ts
 * mapWithPath((path, x: number) => `${keystr(path)}=${x}`, { a: [1] }); // { a: ['.a[0]=1'] }
 * ```
 */
export function mapWithPath<T, R = T>(
  f: (path: KeyPath, leaf: Leaf, ...rest: Leaf[]) => unknown,
  tree: T,
  ...rest: TreesThenOptions<IsLeafOptions>
): R {
  checkFunction('mapWithPath', 'f', f);
  const [trees, options] = splitOptions<IsLeafOptions>('mapWithPath', [tree, ...rest], {
    isLeaf: 'function',
  });
  const { leaves, paths, def } = flattenTree('mapWithPath', tree, options, true);
  const columns = restLeaves('mapWithPath', def, trees.slice(1));
  return unflatten(
    def,
    leaves.map((leaf, i) => f(paths![i]!, leaf, ...columns.map((column) => column[i]))),
  );
}

/**
 * Folds `f` over the leaves of a tree from left to right (`jax.tree.reduce`). Without `initializer` the
 * first leaf starts the fold, and an empty tree is an error, as with `Array.prototype.reduce`; an explicit
 * `undefined` counts as an initializer. To pass `isLeaf` without an initializer, fold the leaves yourself:
 * `leaves(tree, { isLeaf }).reduce(f)`.
 *
 * @example
 * ```ts
 * reduce((acc: number, x: number) => acc + x, { a: 1, b: [2, 3] }); // 6
 * reduce((acc: number, x: number) => acc + x, [], 0); // 0
 * ```
 */
export function reduce<A>(
  f: (accumulator: A, leaf: Leaf) => A,
  tree: unknown,
  initializer?: A,
  options: IsLeafOptions = {},
): A {
  checkFunction('reduce', 'f', f);
  const { leaves } = flattenTree('reduce', tree, options);
  if (arguments.length >= 3) return leaves.reduce(f, initializer as A);
  if (leaves.length === 0) {
    throw new TypeError('reduce: the tree has no leaves and no initializer was given');
  }
  return leaves.reduce(f) as A;
}

/**
 * Whether every leaf of a tree is truthy (`jax.tree.all`); `true` for a tree without leaves.
 *
 * @example
 * ```ts
 * all({ a: true, b: [1, 'x'] }); // true
 * all([true, 0]); // false
 * ```
 */
export function all(tree: unknown, options: IsLeafOptions = {}): boolean {
  return flattenTree('all', tree, options).leaves.every(Boolean);
}
