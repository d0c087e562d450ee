/** `TreeDef`: the structure of a pytree without its leaves. */
import { isIdentifier } from './keys.js';
import type { Constructor, NodeHandler } from './registry.js';
import { sameStatic, stableKey } from './stable-key.js';

/**
 * What a treedef node is: a leaf, an empty node (`null`, `undefined`), an array, a plain object or an
 * instance of a registered class (`'custom'`).
 *
 * @example
 * ```ts
 * structure([1, 2]).kind; // 'array'
 * ```
 */
export type NodeKind = 'leaf' | 'null' | 'undefined' | 'array' | 'object' | 'custom';

/**
 * The structure of a pytree: every node except the leaves, which are replaced by placeholders (`*` in
 * {@link TreeDef.toString}). Made by {@link flatten} or {@link structure}; turned back into a tree by
 * {@link unflatten}. Treedefs are immutable and compare by value with {@link TreeDef.equals}; {@link
 * TreeDef.key} is a string that is equal exactly when two treedefs are, for use as a cache key.
 *
 * Plain objects are recorded with their keys sorted (as JAX sorts dict keys), so `{a, b}` and `{b, a}` have
 * the same treedef and their leaves come in the same order.
 *
 * @example
 * ```ts
 * const def = structure({ w: [1, 2], b: null });
 * def.numLeaves; // 2
 * def.toString(); // 'TreeDef({b: null, w: [*, *]})'
 * def.equals(structure({ b: null, w: [3, 4] })); // true
 * ```
 */
export class TreeDef {
  /**
   * How many leaves the tree has.
   *
   * @example
   * ```ts
   * structure({ a: [1, 2], b: null }).numLeaves; // 2
   * ```
   */
  readonly numLeaves: number;
  /**
   * How many nodes the tree has, counting leaves, empty nodes and the root (as JAX counts `None`).
   *
   * @example
   * ```ts
   * structure({ a: [1, 2], b: null }).numNodes; // 5: the object, the array, two leaves and null
   * ```
   */
  readonly numNodes: number;
  #key: string | undefined;

  /**
   * Treedefs are made by {@link flatten} and {@link structure}; build one by hand only for a tree of plain
   * nodes: `new TreeDef('array', [TreeDef.leaf, TreeDef.leaf])` is the structure of `[x, y]`.
   *
   * @param kind - what this node is.
   * @param children - the treedefs of its children, in flattening order.
   * @param keys - for `'object'` nodes, the object's keys in sorted order.
   * @param aux - for `'custom'` nodes, the auxiliary data its flatten function returned.
   * @param type - for `'custom'` nodes, the instance's class.
   * @param handler - for `'custom'` nodes, the registration of that class.
   */
  constructor(
    readonly kind: NodeKind,
    readonly children: readonly TreeDef[] = [],
    readonly keys?: readonly string[],
    readonly aux?: unknown,
    readonly type?: Constructor,
    readonly handler?: NodeHandler,
  ) {
    let numLeaves = kind === 'leaf' ? 1 : 0;
    let numNodes = 1;
    for (const child of children) {
      numLeaves += child.numLeaves;
      numNodes += child.numNodes;
    }
    this.numLeaves = numLeaves;
    this.numNodes = numNodes;
  }

  /** The treedef of a single leaf. */
  static readonly leaf = new TreeDef('leaf');
  /** The treedef of `null`. */
  static readonly null = new TreeDef('null');
  /** The treedef of `undefined`. */
  static readonly undefined = new TreeDef('undefined');

  /**
   * Whether this is the treedef of a single leaf (`jax.tree_util.treedef_is_leaf`).
   *
   * @example
   * ```ts
   * structure(3).isLeaf; // true
   * structure([3]).isLeaf; // false
   * ```
   */
  get isLeaf(): boolean {
    return this.kind === 'leaf';
  }

  /**
   * A string that is equal for two treedefs exactly when they are {@link TreeDef.equals | equal}: use it as
   * a `Map` key to cache work per tree structure. Auxiliary data is keyed by value when it is made of
   * numbers, strings, booleans, arrays and plain objects, and by identity otherwise. Built on first use
   * and kept; it grows with the tree (about 2 ms for 10,000 leaves, see BENCHMARKS.md).
   *
   * @example
   * ```ts
   * const cache = new Map<string, string>();
   * cache.set(structure({ a: 1, b: [2] }).key, 'compiled');
   * cache.get(structure({ b: ['x'], a: 'y' }).key); // 'compiled'
   * ```
   */
  get key(): string {
    // From the leaves up, without recursion, so that deeply nested trees do not exhaust the stack.
    const stack: TreeDef[] = [this];
    while (this.#key === undefined) {
      const node = stack[stack.length - 1]!;
      let ready = true;
      for (const child of node.children) {
        if (child.#key === undefined) {
          stack.push(child);
          ready = false;
        }
      }
      if (ready) {
        stack.pop();
        node.#key ??= node.#ownKey();
      }
    }
    return this.#key;
  }

  /** This node's key, from its children's. Object keys come first as one JSON array, then the children. */
  #ownKey(): string {
    let children = '';
    for (let i = 0; i < this.children.length; i++) {
      children += (i > 0 ? ',' : '') + this.children[i]!.#key!;
    }
    switch (this.kind) {
      case 'leaf':
        return '*';
      case 'null':
      case 'undefined':
        return this.kind;
      case 'array':
        return `[${children}]`;
      case 'object':
        return `{${JSON.stringify(this.keys)}${children}}`;
      case 'custom':
        return `${stableKey(this.type)}(${stableKey(this.aux)})[${children}]`;
    }
  }

  /**
   * Whether `other` has the same structure: the same node kinds, object keys, classes and auxiliary data.
   *
   * @example
   * ```ts
   * structure([1, { a: 2 }]).equals(structure(['x', { a: 'y' }])); // true
   * ```
   */
  equals(other: TreeDef): boolean {
    // Not one of ours (another copy of this package, say): its private fields cannot be read.
    if (!(other instanceof TreeDef)) return false;
    if (this.#key !== undefined && other.#key !== undefined) return this.#key === other.#key;
    // Node by node, without building keys; pairs on an explicit stack, so deep trees do not recurse.
    const stack: TreeDef[] = [this, other];
    while (stack.length > 0) {
      const b = stack.pop()!;
      const a = stack.pop()!;
      if (a === b) continue;
      if (
        a.kind !== b.kind ||
        a.numNodes !== b.numNodes ||
        a.children.length !== b.children.length
      ) {
        return false;
      }
      if (a.kind === 'object' && a.keys!.some((k, i) => k !== b.keys![i])) return false;
      if (a.kind === 'custom' && (a.type !== b.type || !sameStatic(a.aux, b.aux))) return false;
      for (let i = 0; i < a.children.length; i++) stack.push(a.children[i]!, b.children[i]!);
    }
    return true;
  }

  /**
   * A readable picture of the structure, with `*` for each leaf.
   *
   * @example
   * ```ts
   * String(structure({ layers: [1, 2], bias: null })); // 'TreeDef({bias: null, layers: [*, *]})'
   * ```
   */
  toString(): string {
    return `TreeDef(${foldUp(this, (node, children) => node.#show(children))})`;
  }

  #show(children: readonly string[]): string {
    switch (this.kind) {
      case 'leaf':
        return '*';
      case 'null':
      case 'undefined':
        return this.kind;
      case 'array':
        return `[${children.join(', ')}]`;
      case 'object':
        return `{${this.keys!.map((k, i) => `${showKey(k)}: ${children[i]}`).join(', ')}}`;
      case 'custom': {
        const aux = this.aux === null || this.aux === undefined ? '' : `<${stableKey(this.aux)}>`;
        return `${this.type!.name}${aux}[${children.join(', ')}]`;
      }
    }
  }
}

/**
 * Computes `combine(node, results of its children)` from the leaves up, without recursion, so that trees
 * nested thousands of levels deep do not exhaust the stack.
 */
function foldUp(root: TreeDef, combine: (node: TreeDef, children: string[]) => string): string {
  const done = new Map<TreeDef, string>();
  const stack: TreeDef[] = [root];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    const pending = node.children.filter((child) => !done.has(child));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    if (!done.has(node))
      done.set(
        node,
        combine(
          node,
          node.children.map((child) => done.get(child)!),
        ),
      );
  }
  return done.get(root)!;
}

function showKey(key: string): string {
  return isIdentifier(key) ? key : JSON.stringify(key);
}
