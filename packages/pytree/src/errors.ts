/** Errors about tree structure, and the short descriptions of values and nodes they are written with. */
import { keystr, type KeyPath } from './keys.js';
import { stableKey } from './stable-key.js';
import { className, isPlainObject } from './values.js';
import type { TreeDef } from './treedef.js';

/**
 * Thrown when trees that must have the same structure do not (in {@link map}, {@link combine}, {@link
 * broadcast}...), or when a tree cannot be flattened (a cycle). `path` is where the problem is.
 *
 * @example
 * ```ts
 * try {
 *   map((a, b) => a + b, { w: [1, 2] }, { w: 3 });
 * } catch (e) {
 *   if (e instanceof TreeStructureError) keystr(e.path); // '.w'
 * }
 * ```
 */
export class TreeStructureError extends Error {
  /**
   * @param message - the whole message, starting with the operation's name.
   * @param path - where, from the root, the trees differ.
   */
  constructor(
    message: string,
    readonly path: KeyPath,
  ) {
    super(message);
    this.name = 'TreeStructureError';
  }
}

/** Throws a TypeError naming `op` and the argument unless `value` is a function. */
export function checkFunction(op: string, argument: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`${op}: \`${argument}\` must be a function, found ${describeValue(value)}`);
  }
}

/** At most `max` characters of `text`: its start and end around an ellipsis, so messages stay readable. */
export function clip(text: string, max = 160): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(-half)}`;
}

/** A path for a message: `.a[0]`, or `the root`. */
export function pathText(path: KeyPath): string {
  return path.length === 0 ? 'the root' : clip(keystr(path));
}

/** `at .a[0]`, or `at the root`. */
export function where(path: KeyPath): string {
  return `at ${pathText(path)}`;
}

/** A short description of any value: `null`, `array of length 3`, `number 2`, `Float32Array`... */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'string':
      return `string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    case 'symbol':
      return String(value);
  }
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (isPlainObject(value)) return `object with keys ${showKeys(Object.keys(value).sort())}`;
  return className(value);
}

/** A short description of a treedef node, in the words of {@link describeValue}. */
export function describeNode(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return 'a leaf';
    case 'null':
    case 'undefined':
      return def.kind;
    case 'array':
      return `array of length ${def.children.length}`;
    case 'object':
      return `object with keys ${showKeys(def.keys!)}`;
    case 'custom':
      return def.aux === null || def.aux === undefined
        ? def.type!.name
        : `${def.type!.name} with static data ${stableKey(def.aux)}`;
  }
}

function showKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 8).join(', ');
  return `{${shown}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}}`;
}
