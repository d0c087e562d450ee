/**
 * Pytrees for TypeScript: nested arrays, plain objects and registered classes, with the functions of
 * `jax.tree_util` and Equinox's tree surgery (`treeAt`, `filter`, `partition`, `combine`, `treeEqual`).
 *
 * @example
 * ```ts
 * import * as tree from '@equinox-ts/pytree';
 *
 * const params = { layers: [{ w: 1, b: 2 }], scale: 3 };
 * tree.leaves(params); // [2, 1, 3]
 * tree.map((x: number) => x * 10, params); // { layers: [{ b: 20, w: 10 }], scale: 30 }
 * ```
 *
 * @packageDocumentation
 */
export { TreeStructureError } from './errors.js';
export {
  allLeaves,
  flatten,
  flattenWithPath,
  leaves,
  leavesWithPath,
  structure,
  unflatten,
  type Leaf,
} from './flatten.js';
export {
  combine,
  filter,
  partition,
  type FilterOptions,
  type FilterSpec,
  type PartitionOptions,
} from './filter.js';
export {
  DictKey,
  FlattenedIndexKey,
  GetAttrKey,
  SequenceKey,
  keystr,
  type KeyEntry,
  type KeyPath,
  type KeystrOptions,
} from './keys.js';
export { all, map, mapWithPath, reduce } from './map.js';
export type { IsLeaf, IsLeafOptions } from './nodes.js';
export type { TreesThenOptions } from './options.js';
export { broadcast, flattenUpTo } from './prefix.js';
export {
  registerDataclass,
  registerPytreeNode,
  registerPytreeWithKeys,
  registerStatic,
  type Constructor,
  type DataclassFields,
  type FlattenFn,
  type FlattenWithKeysFn,
  type NodeHandler,
  type RegisterOptions,
  type RegisterWithKeysOptions,
  type UnflattenFn,
} from './registry.js';
export { transpose } from './transpose.js';
export { treeAt, type ReplaceFn } from './tree-at.js';
export { TreeDef, type NodeKind } from './treedef.js';
export { treeEqual, type TreeEqualOptions } from './tree-equal.js';
