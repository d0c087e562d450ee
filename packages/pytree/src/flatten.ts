/** Flattening a tree into leaves and a treedef, and back. */
import { TreeStructureError, describeValue } from './errors.js';
import type { KeyEntry, KeyPath } from './keys.js';
import {
  containerParts,
  rebuild,
  sortedKeys,
  treedefOf,
  type IsLeaf,
  type IsLeafOptions,
} from './nodes.js';
import { isPlainObject } from './stable-key.js';
import { TreeDef } from './treedef.js';

/**
 * Any value, seen as a pytree. Leaves are heterogeneous (tensors, numbers, functions...), so callbacks that
 * receive leaves type them as `Leaf` and let the caller annotate them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Leaf = any;

/** Thrown by the fast walk when a tree is deeper than it handles; the careful walk then takes over. */
class TooDeep extends Error {}
const FAST_DEPTH = 200;
const MAX_DEPTH = 2000;

/**
 * The fast walk: no paths and no cycle bookkeeping. A cycle makes a tree infinitely deep, so the walk gives
 * up past {@link FAST_DEPTH} levels and the careful walk, which finds cycles, takes over.
 */
function walkFast(
  value: unknown,
  isLeaf: IsLeaf | undefined,
  leaves: unknown[],
  depth: number,
): TreeDef {
  if (isLeaf !== undefined && isLeaf(value)) {
    leaves.push(value);
    return TreeDef.leaf;
  }
  if (typeof value !== 'object') {
    if (value === undefined) return TreeDef.undefined;
    leaves.push(value);
    return TreeDef.leaf;
  }
  if (value === null) return TreeDef.null;
  if (depth > FAST_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    const defs = new Array<TreeDef>(value.length);
    for (let i = 0; i < value.length; i++) defs[i] = walkFast(value[i], isLeaf, leaves, depth + 1);
    return new TreeDef('array', defs);
  }
  if (isPlainObject(value)) {
    const keys = sortedKeys(value);
    const defs = new Array<TreeDef>(keys.length);
    for (let i = 0; i < keys.length; i++)
      defs[i] = walkFast(value[keys[i]!], isLeaf, leaves, depth + 1);
    return new TreeDef('object', defs, keys);
  }
  const parts = containerParts(value, false);
  if (parts === undefined) {
    leaves.push(value);
    return TreeDef.leaf;
  }
  const { children } = parts;
  const defs = new Array<TreeDef>(children.length);
  for (let i = 0; i < children.length; i++)
    defs[i] = walkFast(children[i], isLeaf, leaves, depth + 1);
  return treedefOf(parts, defs);
}

interface Walk {
  isLeaf: IsLeaf | undefined;
  leaves: unknown[];
  /** The path of each leaf. */
  paths: KeyPath[];
  /** The path of the node being walked. */
  path: KeyEntry[];
  /** The containers enclosing the node being walked: meeting one again means a cycle. */
  ancestors: Set<object>;
}

/** The careful walk: keeps paths, finds cycles and bounds the depth, with errors that say where. */
function walkCareful(value: unknown, w: Walk): TreeDef {
  if (w.isLeaf !== undefined && w.isLeaf(value)) return addLeaf(value, w);
  if (value === null) return TreeDef.null;
  if (value === undefined) return TreeDef.undefined;
  if (typeof value !== 'object') return addLeaf(value, w);
  const parts = containerParts(value, true);
  if (parts === undefined) return addLeaf(value, w);
  if (w.ancestors.has(value)) {
    throw new TreeStructureError(
      `flatten: the tree contains a cycle: ${pathText(w.path)} refers back to an enclosing ${describeValue(value)}`,
      [...w.path],
    );
  }
  if (w.path.length >= MAX_DEPTH) {
    throw new TreeStructureError(
      `flatten: the tree is nested more than ${MAX_DEPTH} levels deep at ${pathText(w.path)}`,
      [...w.path],
    );
  }
  w.ancestors.add(value);
  const { children, childKeys } = parts;
  const defs = new Array<TreeDef>(children.length);
  for (let i = 0; i < children.length; i++) {
    w.path.push(childKeys![i]!);
    defs[i] = walkCareful(children[i], w);
    w.path.pop();
  }
  w.ancestors.delete(value);
  return treedefOf(parts, defs);
}

function pathText(path: KeyPath): string {
  return path.length === 0 ? 'the root' : path.map(String).join('');
}

function addLeaf(value: unknown, w: Walk): TreeDef {
  w.leaves.push(value);
  w.paths.push([...w.path]);
  return TreeDef.leaf;
}

function run(tree: unknown, isLeaf: IsLeaf | undefined, withPaths: boolean) {
  if (!withPaths) {
    const leaves: unknown[] = [];
    try {
      return { def: walkFast(tree, isLeaf, leaves, 0), leaves, paths: undefined };
    } catch (e) {
      if (!(e instanceof TooDeep)) throw e;
    }
  }
  const w: Walk = { isLeaf, leaves: [], paths: [], path: [], ancestors: new Set() };
  return { def: walkCareful(tree, w), leaves: w.leaves, paths: w.paths };
}

/**
 * Splits a tree into its leaves (in a fixed order: arrays by index, plain objects by sorted key, registered
 * classes in the order their flatten function gives) and its structure. The inverse of {@link unflatten}.
 *
 * Nodes are arrays, plain objects, `null` and `undefined` (nodes with no children) and instances of
 * registered classes; every other value is a leaf. A tree that contains itself is rejected with a
 * {@link TreeStructureError}; the same object reached twice by different paths is fine.
 *
 * @example
 * ```ts
 * const [leaves, def] = flatten({ b: [1, 2], a: 3 });
 * leaves; // [3, 1, 2]
 * unflatten(def, leaves.map((x) => x * 10)); // { a: 30, b: [10, 20] }
 * ```
 */
export function flatten(tree: unknown, options: IsLeafOptions = {}): [Leaf[], TreeDef] {
  const { def, leaves } = run(tree, options.isLeaf, false);
  return [leaves, def];
}

/**
 * Like {@link flatten}, with the path of each leaf.
 *
 * @example
 * ```ts
 * const [pairs] = flattenWithPath({ w: [5, 6] });
 * pairs.map(([path, leaf]) => `${keystr(path)}=${leaf}`); // ['.w[0]=5', '.w[1]=6']
 * ```
 */
export function flattenWithPath(
  tree: unknown,
  options: IsLeafOptions = {},
): [[KeyPath, Leaf][], TreeDef] {
  const { def, leaves, paths } = run(tree, options.isLeaf, true);
  return [leaves.map((leaf, i) => [paths![i]!, leaf]), def];
}

/**
 * Builds a tree of structure `def` from leaves in flattening order: the inverse of {@link flatten}.
 *
 * @example
 * ```ts
 * const def = structure({ w: [0, 0], b: 0 });
 * unflatten(def, [1, 2, 3]); // { b: 1, w: [2, 3] }
 * ```
 */
export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  if (!(def instanceof TreeDef)) {
    throw new TypeError(
      `unflatten: expected a TreeDef as the first argument, found ${describeValue(def)}`,
    );
  }
  if (!Array.isArray(leaves)) {
    throw new TypeError(`unflatten: expected an array of leaves, found ${describeValue(leaves)}`);
  }
  if (leaves.length !== def.numLeaves) {
    throw new RangeError(
      `unflatten: the treedef has ${def.numLeaves} leaves but ${leaves.length} were given (${String(def)})`,
    );
  }
  let next = 0;
  const build = (node: TreeDef): unknown => {
    if (node.kind === 'leaf') return leaves[next++];
    const defs = node.children;
    const children = new Array<unknown>(defs.length);
    for (let i = 0; i < defs.length; i++) children[i] = build(defs[i]!);
    return rebuild(node, children);
  };
  return build(def) as T;
}

/**
 * The leaves of a tree, in flattening order.
 *
 * @example
 * ```ts
 * leaves([1, { a: 2, b: null }, [3]]); // [1, 2, 3]
 * ```
 */
export function leaves(tree: unknown, options: IsLeafOptions = {}): Leaf[] {
  return run(tree, options.isLeaf, false).leaves;
}

/**
 * The leaves of a tree with their paths.
 *
 * @example
 * ```ts
 * leavesWithPath({ a: [7] }).map(([path, x]) => [keystr(path), x]); // [['.a[0]', 7]]
 * ```
 */
export function leavesWithPath(tree: unknown, options: IsLeafOptions = {}): [KeyPath, Leaf][] {
  return flattenWithPath(tree, options)[0];
}

/**
 * The structure of a tree: its {@link TreeDef}.
 *
 * @example
 * ```ts
 * structure({ a: 1, b: [2, 3] }).numLeaves; // 3
 * ```
 */
export function structure(tree: unknown, options: IsLeafOptions = {}): TreeDef {
  return run(tree, options.isLeaf, false).def;
}

/**
 * Whether every value of `values` is a leaf (`jax.tree_util.all_leaves`).
 *
 * @example
 * ```ts
 * allLeaves([1, 'a', () => 0]); // true
 * allLeaves([1, [2]]); // false
 * ```
 */
export function allLeaves(values: Iterable<unknown>, options: IsLeafOptions = {}): boolean {
  for (const value of values) {
    if (!structure(value, options).isLeaf) return false;
  }
  return true;
}
