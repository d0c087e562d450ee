/** The equality of jest's toEqual and toStrictEqual, and a printer for failure messages. */

/**
 * Deep equality as jest's: numbers by `Object.is` (NaN equals NaN, 0 differs from -0), arrays and typed
 * arrays element by element and only with their own kind, objects by their keys. `strict` also compares
 * constructors and counts keys whose value is undefined, which toEqual ignores. Stricter than jest in
 * one corner: toEqual also takes `[undefined]` for `[]`, which no conformance test relies on.
 */
export function equals(a: unknown, b: unknown, strict: boolean): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const kind = Object.prototype.toString.call(a);
  if (kind !== Object.prototype.toString.call(b)) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Error && b instanceof Error) return a.message === b.message;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equals(x[i], y[i], strict)) return false;
    return true;
  }
  const keys = (o: object) =>
    Object.keys(o).filter((k) => strict || (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && equals(ra[k], rb[k], strict));
}

/** A readable rendering: unlike JSON, keeps NaN, -0, Infinity, undefined and typed array kinds. */
export function show(v: unknown, depth = 0): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object' || v === null) return String(v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (depth > 4) return '…';
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = Array.from(v as ArrayLike<unknown>, (x) => show(x, depth + 1));
    const prefix = Array.isArray(v) ? '' : `${v.constructor.name} `;
    return `${prefix}[${items.join(', ')}]`;
  }
  const entries = Object.entries(v).map(([k, x]) => `${k}: ${show(x, depth + 1)}`);
  return `{${entries.join(', ')}}`;
}
