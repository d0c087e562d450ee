/** Small facts about JavaScript values that several modules need. */

/**
 * Whether `value` is an object literal: its prototype is `Object.prototype` or `null`, in this realm or in
 * another one (an iframe, a `vm` context), where `Object.prototype` is a different object.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || isForeignObjectPrototype(proto);
}

/** Whether `proto` is another realm's `Object.prototype`. */
export function isForeignObjectPrototype(proto: object): boolean {
  return (
    Object.getPrototypeOf(proto) === null &&
    Object.prototype.toString.call(proto) === '[object Object]' &&
    typeof (proto as { hasOwnProperty?: unknown }).hasOwnProperty === 'function'
  );
}

/** The name of a value's class (`Float32Array`, `Linear`), or `typeof` for primitives. */
export function className(value: unknown): string {
  if (typeof value !== 'object' || value === null) return value === null ? 'null' : typeof value;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return proto?.constructor?.name || 'Object';
}

/** Whether `value` is a plain object with at least one key, all of them in `names`. */
export function hasOnlyKeys(
  value: unknown,
  names: readonly string[],
): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => names.includes(k));
}
