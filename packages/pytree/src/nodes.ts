/** How a value splits into children: the one place that decides what is a node and what is a leaf. */
import { DictKey, SequenceKey, type KeyEntry } from './keys.js';
import { resolve, type Constructor, type NodeHandler, type Resolved } from './registry.js';
import { isForeignObjectPrototype } from './values.js';
import { TreeDef } from './treedef.js';

/**
 * A predicate that stops flattening: a value for which it returns `true` is a leaf, even if it is an array,
 * an object or `null`.
 *
 * @example
 * ```ts
 * const isPair: IsLeaf = (x) => Array.isArray(x) && x.length === 2;
 * leaves([[1, 2], [3, 4], [5, 6]], { isLeaf: isPair }); // [[1, 2], [3, 4], [5, 6]]
 * ```
 */
export type IsLeaf = (value: unknown) => boolean;

/**
 * The `isLeaf` option shared by the functions that flatten.
 *
 * @example
 * ```ts
 * const options: IsLeafOptions = { isLeaf: (x) => x instanceof Float32Array };
 * ```
 */
export interface IsLeafOptions {
  /** Treat values for which this returns `true` as leaves, without looking inside them. */
  isLeaf?: IsLeaf;
}

/** A container split into its children, with what it takes to describe and rebuild it. */
export interface NodeParts {
  kind: 'array' | 'object' | 'custom';
  children: readonly unknown[];
  /** Object keys, sorted: the order of `children`. */
  keys?: readonly string[];
  aux?: unknown;
  type?: Constructor;
  handler?: NodeHandler;
  /** One path key per child, when asked for. */
  childKeys?: readonly KeyEntry[];
}

/**
 * The parts of `value` if it is a container (array, plain object, registered class); `undefined` if it is a
 * leaf. `null` and `undefined` are handled by callers: they are nodes without children.
 */
export function containerParts(value: object, withKeys: boolean): NodeParts | undefined {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Array.prototype) return arrayParts(value as unknown[], withKeys);
  if (proto === Object.prototype || proto === null) return objectParts(value, withKeys);
  const registered = resolve(proto);
  if (registered !== null) return customParts(value, registered, withKeys);
  // Arrays and object literals from another realm (an iframe, a vm context), and unregistered subclasses
  // of Array, are still arrays and objects.
  if (Array.isArray(value)) return arrayParts(value, withKeys);
  return isForeignObjectPrototype(proto) ? objectParts(value, withKeys) : undefined;
}

function objectParts(object: object, withKeys: boolean): NodeParts {
  const keys = sortedKeys(object);
  const record = object as Record<string, unknown>;
  return {
    kind: 'object',
    children: keys.map((k) => record[k]),
    keys,
    childKeys: withKeys ? keys.map((k) => new DictKey(k)) : undefined,
  };
}

function arrayParts(array: readonly unknown[], withKeys: boolean): NodeParts {
  return {
    kind: 'array',
    children: array,
    childKeys: withKeys ? array.map((_, i) => new SequenceKey(i)) : undefined,
  };
}

/** The parts of an instance of a registered class. */
function customParts(value: object, { handler, type }: Resolved, withKeys: boolean): NodeParts {
  if (!withKeys) {
    const [children, aux] = handler.flatten(value);
    return { kind: 'custom', children, aux, type, handler };
  }
  const [keyed, aux] = handler.flattenWithKeys(value);
  return {
    kind: 'custom',
    children: keyed.map(([, child]) => child),
    childKeys: keyed.map(([key]) => key),
    aux,
    type,
    handler,
  };
}

/** The treedef node for `parts` with the given child treedefs. */
export function treedefOf(parts: NodeParts, children: readonly TreeDef[]): TreeDef {
  return new TreeDef(parts.kind, children, parts.keys, parts.aux, parts.type, parts.handler);
}

/**
 * The own enumerable string keys of `object` in sorted (UTF-16 code unit) order: the order of a plain
 * object's children. Most objects in trees have a handful of keys, where insertion sort beats
 * `Array.prototype.sort`; larger ones (a parameter dict by name) use the built-in sort.
 */
export function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  if (keys.length > 12) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

const OWN_KEY = { enumerable: true, writable: true, configurable: true } as const;

/** Rebuilds one node of `def` from new children. */
export function rebuild(def: TreeDef, children: unknown[]): unknown {
  switch (def.kind) {
    case 'leaf':
      return children[0];
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'array':
      return children;
    case 'object': {
      const object: Record<string, unknown> = {};
      const keys = def.keys!;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        // A plain assignment to "__proto__" would set the prototype instead of making a key.
        if (k === '__proto__') Object.defineProperty(object, k, { value: children[i], ...OWN_KEY });
        else object[k] = children[i];
      }
      return object;
    }
    case 'custom':
      return def.handler!.unflatten(def.aux, children, def.type!);
  }
}
