/** Equinox's filtering: splitting a tree in two by a predicate, and putting the halves back together. */
import { describeValue, where } from './errors.js';
import { flattenTree, unflatten, type Leaf } from './flatten.js';
import { mapTrees } from './map.js';
import type { IsLeafOptions } from './nodes.js';
import { splitOptions } from './options.js';
import { subtreesAlong } from './prefix.js';
import type { TreeDef } from './treedef.js';

/**
 * Which leaves a filter keeps: a boolean for all of them, a predicate called on each leaf, or a tree that
 * is a prefix of the filtered tree with a boolean or predicate at each of its leaves (applied to every leaf
 * below it).
 *
 * @example
 * ```ts
 * const onlyNumbers: FilterSpec = (x) => typeof x === 'number';
 * const perField: FilterSpec = { weights: true, name: false };
 * ```
 */
export type FilterSpec = boolean | ((leaf: Leaf) => boolean) | object | null | undefined;

/**
 * Options of {@link filter}.
 *
 * @example
 * ```ts
 * filter([1, 'a'], (x) => typeof x === 'number', { inverse: true, replace: 0 }); // [0, 'a']
 * ```
 */
export interface FilterOptions extends IsLeafOptions {
  /** Keep the leaves the spec rejects instead of those it accepts. */
  inverse?: boolean;
  /** What stands in place of a removed leaf; `null` by default. */
  replace?: unknown;
}

/**
 * Options of {@link partition}.
 *
 * @example
 * ```ts
 * partition([1, 'a'], (x) => typeof x === 'number', { replace: 0 }); // [[1, 0], [0, 'a']]
 * ```
 */
export type PartitionOptions = Omit<FilterOptions, 'inverse'>;

interface Masked {
  specDef: TreeDef;
  /** For each leaf of the spec: the subtree under it, flattened, and which of its leaves the spec keeps. */
  parts: { leaves: Leaf[]; def: TreeDef; keep: boolean[] }[];
}

function applySpec(
  op: string,
  tree: unknown,
  spec: FilterSpec,
  isLeaf: IsLeafOptions['isLeaf'],
): Masked {
  const { leaves: specLeaves, def: specDef } = flattenTree(op, spec, {});
  const bad = specLeaves.findIndex((s) => typeof s !== 'boolean' && typeof s !== 'function');
  if (bad >= 0) {
    const path = flattenTree(op, spec, {}, true).paths![bad]!;
    const leaf: unknown = specLeaves[bad];
    throw new TypeError(
      `${op}: filterSpec must hold booleans or functions (leaf) => boolean, found ${describeValue(leaf)}` +
        ` ${where(path)}`,
    );
  }
  const subtrees = subtreesAlong(op, specDef, tree, ['filterSpec', 'the tree']);
  const parts = subtrees.map((subtree, i) => {
    const s = specLeaves[i] as boolean | ((leaf: Leaf) => unknown);
    const { leaves, def } = flattenTree(op, subtree, { isLeaf });
    const keep = leaves.map((leaf) => (typeof s === 'boolean' ? s : Boolean(s(leaf))));
    return { leaves, def, keep };
  });
  return { specDef, parts };
}

function assemble({ specDef, parts }: Masked, kept: boolean, replace: unknown): unknown {
  const subtrees = parts.map(({ leaves, def, keep }) =>
    unflatten(
      def,
      leaves.map((leaf: unknown, j) => (keep[j] === kept ? leaf : replace)),
    ),
  );
  return unflatten(specDef, subtrees);
}

/**
 * Keeps the leaves selected by `filterSpec` and replaces the others with `replace` (`null` by default), as
 * `eqx.filter` does. The result has the tree's structure.
 *
 * @example
 * ```ts
 * const model = { weight: [1, 2], activation: 'relu' };
 * filter(model, (x) => typeof x === 'number'); // { activation: null, weight: [1, 2] }
 * filter(model, { weight: false, activation: true }, { inverse: true }); // { activation: null, weight: [1, 2] }
 * ```
 */
export function filter<T>(tree: T, filterSpec: FilterSpec, options: FilterOptions = {}): T {
  const { inverse = false, replace = null, isLeaf } = options;
  return assemble(applySpec('filter', tree, filterSpec, isLeaf), !inverse, replace) as T;
}

/**
 * Splits a tree in two, as `eqx.partition` does: the first holds the leaves `filterSpec` selects, the second
 * the rest, each with `replace` (`null` by default) where the other has a leaf. {@link combine} puts them
 * back together.
 *
 * @example
 * ```ts
 * const model = { weight: [1, 2], activation: 'relu' };
 * const [params, statics] = partition(model, (x) => typeof x === 'number');
 * params; // { activation: null, weight: [1, 2] }
 * statics; // { activation: 'relu', weight: [null, null] }
 * combine(params, statics); // { activation: 'relu', weight: [1, 2] }
 * ```
 */
export function partition<T>(
  tree: T,
  filterSpec: FilterSpec,
  options: PartitionOptions = {},
): [T, T] {
  const { replace = null, isLeaf } = options;
  const masked = applySpec('partition', tree, filterSpec, isLeaf);
  return [assemble(masked, true, replace) as T, assemble(masked, false, replace) as T];
}

/**
 * Merges trees of the same structure, taking at each leaf the first value that is not `null` or
 * `undefined`, as `eqx.combine` does: the inverse of {@link partition}. The last argument may be options
 * (`{ isLeaf }`).
 *
 * @example
 * ```ts
 * combine({ a: 1, b: null }, { a: null, b: 2 }); // { a: 1, b: 2 }
 * ```
 */
export function combine<T>(
  ...treesAndOptions: [T, ...unknown[]] | [T, ...unknown[], IsLeafOptions]
): T {
  if (treesAndOptions.length === 0) throw new TypeError('combine: expected at least one tree');
  const [trees, { isLeaf }] = splitOptions<IsLeafOptions>('combine', treesAndOptions, {
    isLeaf: 'function',
  });
  const isEmptyOrLeaf = (x: unknown) => x === null || x === undefined || (isLeaf?.(x) ?? false);
  return mapTrees(
    'combine',
    (...values: unknown[]) => values.find((v) => v !== null && v !== undefined) ?? values[0],
    trees,
    { isLeaf: isEmptyOrLeaf },
  ) as T;
}
