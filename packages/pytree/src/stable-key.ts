/**
 * A string that identifies a static value (auxiliary data of a node) for treedef equality and cache keys.
 * Numbers, strings, booleans, bigints, null, undefined, arrays and plain objects of those are keyed by value;
 * everything else (functions, classes, class instances, symbols) by identity.
 */

const identities = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 0;

function identityKey(value: object | symbol): string {
  if (typeof value === 'symbol') {
    let id = symbolIds.get(value);
    if (id === undefined) symbolIds.set(value, (id = nextId++));
    return `@${id}:${String(value)}`;
  }
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextId++));
  return `@${id}:${nameOf(value)}`;
}

function nameOf(value: object): string {
  if (typeof value === 'function') return value.name || 'anonymous';
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return proto?.constructor?.name ?? 'Object';
}

/** Whether `value` is an object literal (prototype `Object.prototype` or `null`). */
export function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

/** Whether two static values are equal: the same value, or the same {@link stableKey}. */
export function sameStatic(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || stableKey(a) === stableKey(b);
}

/** The key of `value`; equal keys mean equal static values. */
export function stableKey(value: unknown, seen: Set<object> = new Set()): string {
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
  if (!Array.isArray(object) && !isPlainObject(object)) return identityKey(object);
  if (seen.has(object)) throw new TypeError('pytree: static data contains a cycle');
  seen.add(object);
  const key = Array.isArray(object)
    ? `[${object.map((item) => stableKey(item, seen)).join(',')}]`
    : `{${Object.keys(object)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stableKey(object[k], seen)}`)
        .join(',')}}`;
  seen.delete(object);
  return key;
}
