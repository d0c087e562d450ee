/**
 * A string that identifies a static value (auxiliary data of a node) for treedef equality and cache keys.
 * Numbers, strings, booleans, bigints, null, undefined, registered symbols, and arrays and plain objects of
 * those are keyed by value (`-0` apart from `0`: they can behave differently); everything else (functions,
 * classes, class instances, other symbols, and a plain object or array that contains itself) by identity.
 */
import { className, isPlainObject } from './values.js';

const identities = new WeakMap<object, number>();
// Unregistered symbols cannot be WeakMap keys in every browser yet; the few used as static data stay here.
const symbolIds = new Map<symbol, number>();
let nextId = 0;

function identityKey(value: object | symbol): string {
  if (typeof value === 'symbol') {
    const registered = Symbol.keyFor(value);
    if (registered !== undefined) return `Symbol.for(${JSON.stringify(registered)})`;
    let id = symbolIds.get(value);
    if (id === undefined) symbolIds.set(value, (id = nextId++));
    return `@${id}:${String(value)}`;
  }
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextId++));
  return `@${id}:${typeof value === 'function' ? value.name || 'anonymous' : className(value)}`;
}

/** Whether two static values are equal: the same value, or the same {@link stableKey}. */
export function sameStatic(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || stableKey(a) === stableKey(b);
}

/** The key of `value`; equal keys mean equal static values. */
export function stableKey(value: unknown, enclosing: Set<object> = new Set()): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
    case 'function':
      return identityKey(value);
  }
  if (value === null) return 'null';
  const object = value as object;
  const byValue = Array.isArray(object) || isPlainObject(object);
  if (!byValue || enclosing.has(object)) return identityKey(object);
  enclosing.add(object);
  const key = Array.isArray(object)
    ? `[${object.map((item) => stableKey(item, enclosing)).join(',')}]`
    : `{${Object.keys(object)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stableKey(object[k], enclosing)}`)
        .join(',')}}`;
  enclosing.delete(object);
  return key;
}
