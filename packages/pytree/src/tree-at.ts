/** `treeAt`: out-of-place surgery on a tree, as `eqx.tree_at`. */
import { describeValue } from './errors.js';
import { flattenTree, type Leaf } from './flatten.js';
import { containerParts, rebuild, type IsLeafOptions } from './nodes.js';
import { hasOnlyKeys } from './values.js';
import type { TreeDef } from './treedef.js';

/** Stands in for a leaf or an empty node in the copy of the tree that `where` looks at. */
class NodeMarker {
  constructor(readonly id: number) {}
}

/**
 * The third argument of {@link treeAt} when the replacements are computed from the nodes they replace.
 *
 * @example
 * ```ts
 * treeAt((t) => t.lr, { lr: 0.1 }, { replaceFn: (lr) => lr / 2 }); // { lr: 0.05 }
 * ```
 */
export interface ReplaceFn {
  /** Called with each selected node; returns what replaces it. */
  replaceFn: (node: Leaf) => unknown;
}

function isReplaceFn(value: unknown): value is ReplaceFn {
  return hasOnlyKeys(value, ['replaceFn']) && typeof value.replaceFn === 'function';
}

interface Indexed {
  /** Every node of the tree in pre-order: its value and its treedef. */
  nodes: { value: unknown; def: TreeDef }[];
  /** The copy that `where` sees: containers rebuilt, leaves and empty nodes replaced by markers. */
  shadow: unknown;
  /** Node id of each object in the shadow (-1 when one object stands at several places). */
  ids: Map<unknown, number>;
}

function index(tree: unknown, def: TreeDef): Indexed {
  const nodes: Indexed['nodes'] = [];
  const ids = new Map<unknown, number>();
  const shade = (value: unknown, node: TreeDef): unknown => {
    const id = nodes.length;
    nodes.push({ value, def: node });
    let copy: unknown;
    if (node.kind === 'leaf' || node.kind === 'null' || node.kind === 'undefined') {
      copy = new NodeMarker(id);
    } else {
      const children = containerParts(value as object, false)!.children;
      copy = rebuild(
        node,
        node.children.map((child, i) => shade(children[i], child)),
      );
    }
    if (typeof copy === 'object' && copy !== null) ids.set(copy, ids.has(copy) ? -1 : id);
    return copy;
  };
  return { nodes, ids, shadow: shade(tree, def) };
}

/**
 * Returns a copy of `tree` with the nodes that `where` selects replaced, as `eqx.tree_at` does; `tree`
 * itself is not changed, and subtrees that hold no selected node are shared with it.
 *
 * `where` receives a stand-in copy of the tree and must return one of its nodes (a leaf, a subtree, or a
 * `null`/`undefined` node) or an array of them, by walking the structure only (`(m) => m.layers[0].bias`):
 * it cannot look at leaf values. The third argument is the replacement (an array of them when `where`
 * returns an array), or `{ replaceFn }` to compute each replacement from the node it replaces.
 *
 * @example
 * ```ts
 * const model = { layers: [{ w: 1, b: null }, { w: 2, b: 3 }] };
 * treeAt((m) => m.layers[0].b, model, 5); // { layers: [{ w: 1, b: 5 }, { w: 2, b: 3 }] }
 * treeAt((m) => [m.layers[0].w, m.layers[1].w], model, { replaceFn: (w) => (w as number) * 10 });
 * // { layers: [{ w: 10, b: null }, { w: 20, b: 3 }] }
 * ```
 */
export function treeAt<T>(
  where: (tree: T) => unknown,
  tree: T,
  replace: ReplaceFn,
  options?: IsLeafOptions,
): T;
export function treeAt<T>(
  where: (tree: T) => unknown,
  tree: T,
  replace: unknown,
  options?: IsLeafOptions,
): T;
export function treeAt<T>(
  where: (tree: T) => unknown,
  tree: T,
  replace: unknown,
  options: IsLeafOptions = {},
): T {
  if (typeof where !== 'function') {
    throw new TypeError(
      `treeAt: \`where\` must be a function of the tree, found ${describeValue(where)}`,
    );
  }
  const { def } = flattenTree('treeAt', tree, options);
  const { nodes, shadow, ids } = index(tree, def);

  const picked = where(shadow as T);
  const single = ids.has(picked);
  if (!single && !Array.isArray(picked)) {
    throw new TypeError(
      `treeAt: \`where\` returned ${describeValue(picked)}, which is not a node of the tree; it must return ` +
        'nodes reached by walking the tree it is given, e.g. (m) => m.layers[0].bias',
    );
  }
  const selected = single ? [picked] : (picked as unknown[]);
  if (selected.length === 0) throw new TypeError('treeAt: `where` selected no nodes');
  const selectedIds = selected.map((node, k) => {
    const id = ids.get(node);
    if (id === undefined) {
      throw new TypeError(
        `treeAt: item ${k} returned by \`where\` is ${describeValue(node)}, which is not a node of the tree`,
      );
    }
    if (id < 0)
      throw new TypeError(
        `treeAt: item ${k} returned by \`where\` stands at several places in the tree`,
      );
    return id;
  });
  const sorted = [...selectedIds].sort((a, b) => a - b);
  checkDisjoint(sorted, nodes);

  const replacements = replacementsFor(replace, selectedIds, nodes, single);
  let next = 0;
  const put = (value: unknown, node: TreeDef): unknown => {
    const id = next;
    next += node.numNodes;
    if (replacements.has(id)) return replacements.get(id);
    // Pre-order ids: the nodes inside this one are exactly id + 1 ... id + numNodes - 1.
    const inside = sorted[firstAbove(sorted, id)];
    if (inside === undefined || inside >= id + node.numNodes) return value;
    next = id + 1;
    const children = containerParts(value as object, false)!.children;
    return rebuild(
      node,
      node.children.map((child, i) => put(children[i], child)),
    );
  };
  return put(tree, def) as T;
}

/** The index of the first id in `sorted` greater than `id`. */
function firstAbove(sorted: readonly number[], id: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rejects a node selected twice, or with a node inside it: checking neighbours in pre-order suffices. */
function checkDisjoint(sorted: readonly number[], nodes: Indexed['nodes']): void {
  for (let k = 1; k < sorted.length; k++) {
    const [before, id] = [sorted[k - 1]!, sorted[k]!];
    if (id === before) throw new TypeError('treeAt: `where` selected the same node twice');
    if (id < before + nodes[before]!.def.numNodes) {
      throw new TypeError('treeAt: `where` selected a node and also a node inside it');
    }
  }
}

function replacementsFor(
  replace: unknown,
  selectedIds: number[],
  nodes: Indexed['nodes'],
  single: boolean,
): Map<number, unknown> {
  if (isReplaceFn(replace)) {
    return new Map(selectedIds.map((id) => [id, replace.replaceFn(nodes[id]!.value)]));
  }
  if (single) return new Map([[selectedIds[0]!, replace]]);
  if (!Array.isArray(replace) || replace.length !== selectedIds.length) {
    throw new TypeError(
      `treeAt: \`where\` selected ${selectedIds.length} nodes, so \`replace\` must be an array of ` +
        `${selectedIds.length} replacements, found ${describeValue(replace)}`,
    );
  }
  return new Map(selectedIds.map((id, k) => [id, replace[k]]));
}
