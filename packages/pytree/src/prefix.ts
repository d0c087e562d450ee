/** Reading one tree along the structure of another: the check behind every multi-tree operation. */
import { TreeStructureError, describeNode, describeValue, where } from './errors.js';
import { flattenTree, unflatten, type Leaf } from './flatten.js';
import type { KeyEntry } from './keys.js';
import { containerParts, type IsLeafOptions } from './nodes.js';
import { sameStatic, stableKey } from './stable-key.js';
import { TreeDef } from './treedef.js';

/** Raised while descending; carries the path built up as it unwinds. */
class Mismatch extends Error {
  readonly path: KeyEntry[] = [];
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super('tree structures differ');
  }
}

/**
 * The subtrees of `tree` that sit where `def` has its leaves, in flattening order. `tree` must have every
 * node of `def` (same kinds, object keys, classes and static data); below `def`'s leaves it may hold
 * anything. On a mismatch throws a {@link TreeStructureError} that starts with `op`, names the path, and
 * calls the two sides `sides[0]` (the one `def` came from) and `sides[1]` (`tree`).
 */
export function subtreesAlong(
  op: string,
  def: TreeDef,
  tree: unknown,
  sides: readonly [string, string],
): unknown[] {
  const out: unknown[] = [];
  try {
    collect(def, tree, out);
  } catch (e) {
    if (!(e instanceof Mismatch)) throw e;
    const path = e.path.reverse();
    throw new TreeStructureError(
      `${op}: tree structures differ ${where(path)}: ${sides[0]} has ${e.expected}, ${sides[1]} has ${e.found}`,
      path,
    );
  }
  return out;
}

function collect(def: TreeDef, value: unknown, out: unknown[]): void {
  if (def.kind === 'leaf') {
    out.push(value);
    return;
  }
  if (def.kind === 'null' || def.kind === 'undefined') {
    if (value !== (def.kind === 'null' ? null : undefined)) {
      throw new Mismatch(def.kind, describeValue(value));
    }
    return;
  }
  const parts =
    typeof value === 'object' && value !== null ? containerParts(value, false) : undefined;
  if (!sameNode(def, parts)) {
    // Same class, different static data: show both, or the message would read "Point vs Point".
    if (parts?.kind === 'custom' && parts.type === def.type) {
      const withAux = (aux: unknown) => `${def.type!.name} with static data ${stableKey(aux)}`;
      throw new Mismatch(withAux(def.aux), withAux(parts.aux));
    }
    throw new Mismatch(describeNode(def), describeValue(value));
  }
  const children = parts!.children;
  for (let i = 0; i < children.length; i++) {
    try {
      collect(def.children[i]!, children[i], out);
    } catch (e) {
      if (e instanceof Mismatch) e.path.push(childKey(value as object, i));
      throw e;
    }
  }
}

function sameNode(def: TreeDef, parts: ReturnType<typeof containerParts>): boolean {
  if (parts === undefined || parts.kind !== def.kind) return false;
  if (parts.children.length !== def.children.length) return false;
  if (def.kind === 'object') return parts.keys!.every((k, i) => k === def.keys![i]);
  if (def.kind === 'custom') {
    if (parts.type !== def.type) return false;
    return sameStatic(parts.aux, def.aux);
  }
  return true;
}

function childKey(value: object, i: number): KeyEntry {
  return containerParts(value, true)!.childKeys![i]!;
}

/**
 * The subtrees of `tree` at the places where `treedef` has its leaves, in flattening order
 * (`PyTreeDef.flatten_up_to` in JAX). `tree` must have every node of `treedef`; below `treedef`'s leaves it
 * may hold anything. The building block of every function that takes several trees.
 *
 * @example
 * ```ts
 * flattenUpTo(structure({ a: 0, b: 0 }), { a: [1, 2], b: { c: 3 } }); // [[1, 2], { c: 3 }]
 * ```
 */
export function flattenUpTo(treedef: TreeDef, tree: unknown): unknown[] {
  if (!(treedef instanceof TreeDef)) {
    throw new TypeError(
      `flattenUpTo: expected a TreeDef as treedef, found ${describeValue(treedef)}`,
    );
  }
  return subtreesAlong('flattenUpTo', treedef, tree, ['the treedef', 'the tree']);
}

/**
 * Spreads a prefix tree over a full tree (`jax.tree.broadcast`): each leaf of `prefix` is repeated for
 * every leaf of the subtree of `full` at the same place. `prefix` must have every node of `full` down to its
 * own leaves.
 *
 * @example
 * ```ts
 * broadcast({ a: 1, b: 2 }, { a: [0, 0], b: { c: 0 } }); // { a: [1, 1], b: { c: 2 } }
 * ```
 */
export function broadcast<T = unknown>(prefix: unknown, full: T, options: IsLeafOptions = {}): T {
  const { leaves: prefixLeaves, def: prefixDef } = flattenTree('broadcast', prefix, options);
  const subtrees = subtreesAlong('broadcast', prefixDef, full, [
    'the prefix tree',
    'the full tree',
  ]);
  const spread = subtrees.map((subtree, i) => {
    const { leaves: subLeaves, def: subDef } = flattenTree('broadcast', subtree, options);
    return unflatten(
      subDef,
      subLeaves.map((): Leaf => prefixLeaves[i]),
    );
  });
  return unflatten(prefixDef, spread);
}
