/** Flattening a tree into leaves and a treedef, and back. */
import { TreeStructureError, clip, describeValue, pathText } from './errors.js';
import type { KeyEntry, KeyPath } from './keys.js';
import {
  containerParts,
  rebuild,
  sortedKeys,
  treedefOf,
  type IsLeaf,
  type IsLeafOptions,
} from './nodes.js';
import { resolve } from './registry.js';
import { TreeDef } from './treedef.js';

/**
 * A leaf of a pytree: any value. Leaves are heterogeneous (tensors, numbers, functions...), so callbacks
 * that receive leaves type them as `Leaf` and let the caller annotate them.
 *
 * @example
 * ```ts
 * const double = (x: Leaf) => (typeof x === 'number' ? 2 * x : x);
 * map(double, { a: 1, b: 'b' }); // { a: 2, b: 'b' }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Leaf = any;

/**
 * A cycle or an over-deep tree met by a walk that keeps no paths: the caller walks again, with paths, to
 * say where. Only failing calls pay for the second walk.
 */
class Unlocated extends Error {}
/** Below this depth the fast walk runs; deeper subtrees are handed to the careful walk. */
const FAST_DEPTH = 100;
/** Deeper trees are rejected (recursion on them would exhaust the stack). */
const MAX_DEPTH = 2000;

interface Walk {
  op: string;
  isLeaf: IsLeaf | undefined;
  leaves: unknown[];
  /** When paths are wanted, the path of each leaf; else undefined. */
  paths: KeyPath[] | undefined;
  /** When paths are wanted, the path of the node being walked. */
  path: KeyEntry[];
  /** The containers enclosing the node being walked by the careful walk: meeting one again is a cycle. */
  ancestors: Set<object>;
  /** The depth of the node being walked by the careful walk. */
  depth: number;
}

/**
 * The fast walk: no paths and no cycle bookkeeping. A cycle makes a tree infinitely deep, and following it
 * from any point on comes back to a node on the way, so subtrees below {@link FAST_DEPTH} are handed to the
 * careful walk, which finds cycles. Each node is visited once either way.
 */
function walkFast(value: unknown, w: Walk, depth: number): TreeDef {
  if (depth >= FAST_DEPTH) {
    w.depth = depth;
    return walkCareful(value, w);
  }
  if (w.isLeaf !== undefined && w.isLeaf(value)) return addLeaf(value, w);
  if (typeof value !== 'object') {
    return value === undefined ? TreeDef.undefined : addLeaf(value, w);
  }
  if (value === null) return TreeDef.null;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Array.prototype) {
    const array = value as unknown[];
    const defs = new Array<TreeDef>(array.length);
    for (let i = 0; i < array.length; i++) defs[i] = walkFast(array[i], w, depth + 1);
    return new TreeDef('array', defs);
  }
  if (proto === Object.prototype || proto === null) {
    const object = value as Record<string, unknown>;
    const keys = sortedKeys(object);
    const defs = new Array<TreeDef>(keys.length);
    for (let i = 0; i < keys.length; i++) defs[i] = walkFast(object[keys[i]!], w, depth + 1);
    return new TreeDef('object', defs, keys);
  }
  const registered = resolve(proto);
  if (registered !== null) {
    // Registered classes (every Module) are the common case here: straight to their flatten function.
    const { handler, type } = registered;
    const [children, aux] = handler.flatten(value);
    const defs = new Array<TreeDef>(children.length);
    for (let i = 0; i < children.length; i++) defs[i] = walkFast(children[i], w, depth + 1);
    return new TreeDef('custom', defs, undefined, aux, type, handler);
  }
  // The rare rest: arrays and objects from another realm, subclasses of Array, and leaves.
  const parts = containerParts(value, false);
  if (parts === undefined) return addLeaf(value, w);
  const { children } = parts;
  const defs = new Array<TreeDef>(children.length);
  for (let i = 0; i < children.length; i++) defs[i] = walkFast(children[i], w, depth + 1);
  return treedefOf(parts, defs);
}

/** The careful walk: finds cycles, bounds the depth and, when asked, keeps paths. */
function walkCareful(value: unknown, w: Walk): TreeDef {
  if (w.isLeaf !== undefined && w.isLeaf(value)) return addLeaf(value, w);
  if (value === null) return TreeDef.null;
  if (value === undefined) return TreeDef.undefined;
  if (typeof value !== 'object') return addLeaf(value, w);
  const parts = containerParts(value, w.paths !== undefined);
  if (parts === undefined) return addLeaf(value, w);
  if (w.ancestors.has(value) || w.depth >= MAX_DEPTH) {
    if (w.paths === undefined) throw new Unlocated();
    const problem = w.ancestors.has(value)
      ? `the tree contains a cycle: ${pathText(w.path)} refers back to an enclosing ${describeValue(value)}`
      : `the tree is nested more than ${MAX_DEPTH} levels deep at ${pathText(w.path)}`;
    throw new TreeStructureError(`${w.op}: ${problem}`, [...w.path]);
  }
  w.ancestors.add(value);
  w.depth++;
  const { children, childKeys } = parts;
  const defs = new Array<TreeDef>(children.length);
  for (let i = 0; i < children.length; i++) {
    if (childKeys !== undefined) w.path.push(childKeys[i]!);
    defs[i] = walkCareful(children[i], w);
    if (childKeys !== undefined) w.path.pop();
  }
  w.depth--;
  w.ancestors.delete(value);
  return treedefOf(parts, defs);
}

function addLeaf(value: unknown, w: Walk): TreeDef {
  w.leaves.push(value);
  w.paths?.push([...w.path]);
  return TreeDef.leaf;
}

/**
 * Flattens `tree` for the operation `op` (named in errors), with the path of each leaf when `withPaths`.
 * Every function of this package that flattens goes through here.
 */
export function flattenTree(
  op: string,
  tree: unknown,
  options: IsLeafOptions,
  withPaths = false,
): { def: TreeDef; leaves: Leaf[]; paths: KeyPath[] | undefined } {
  const { isLeaf } = options;
  if (isLeaf !== undefined && typeof isLeaf !== 'function') {
    throw new TypeError(
      `${op}: the isLeaf option must be a function (value) => boolean, found ${describeValue(isLeaf)}`,
    );
  }
  const w: Walk = {
    op,
    isLeaf,
    leaves: [],
    paths: withPaths ? [] : undefined,
    path: [],
    ancestors: new Set(),
    depth: 0,
  };
  if (withPaths) return { def: walkCareful(tree, w), leaves: w.leaves, paths: w.paths };
  try {
    return { def: walkFast(tree, w, 0), leaves: w.leaves, paths: undefined };
  } catch (e) {
    if (e instanceof Unlocated) return flattenTree(op, tree, options, true);
    throw e;
  }
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
  const { def, leaves } = flattenTree('flatten', tree, options);
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
  const { def, leaves, paths } = flattenTree('flattenWithPath', tree, options, true);
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
      `unflatten: the treedef has ${def.numLeaves} leaves but ${leaves.length} were given (${clip(String(def))})`,
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
  return flattenTree('leaves', tree, options).leaves;
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
  const { leaves, paths } = flattenTree('leavesWithPath', tree, options, true);
  return leaves.map((leaf, i) => [paths![i]!, leaf]);
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
  return flattenTree('structure', tree, options).def;
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
    if (!flattenTree('allLeaves', value, options).def.isLeaf) return false;
  }
  return true;
}
