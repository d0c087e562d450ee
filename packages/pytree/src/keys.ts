/**
 * Path keys: each step from a tree's root to one of its nodes is a key, and a leaf's path is the list of
 * keys leading to it (as in `jax.tree_util`).
 */

/** Whether `key` can follow a dot in JavaScript (`.bias`), so needs no brackets (`["my key"]`). */
export function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(key);
}

/**
 * The key of an entry of a plain object.
 *
 * @example
 * ```ts
 * String(new DictKey('bias')); // '.bias'
 * String(new DictKey('my key')); // '["my key"]'
 * ```
 */
export class DictKey {
  /** @param key - the object's property name. */
  constructor(readonly key: string) {}

  /** `.key` when the key is an identifier, else `["key"]`. */
  toString(): string {
    return isIdentifier(this.key) ? `.${this.key}` : `[${JSON.stringify(this.key)}]`;
  }
}

/**
 * The key of an array element.
 *
 * @example
 * ```ts
 * String(new SequenceKey(2)); // '[2]'
 * ```
 */
export class SequenceKey {
  /** @param idx - the element's index. */
  constructor(readonly idx: number) {}

  /** `[idx]`. */
  toString(): string {
    return `[${this.idx}]`;
  }
}

/**
 * The key of an attribute of a registered class (a field of a `Module`, say).
 *
 * @example
 * ```ts
 * String(new GetAttrKey('weight')); // '.weight'
 * ```
 */
export class GetAttrKey {
  /** @param name - the attribute's name. */
  constructor(readonly name: string) {}

  /** `.name`. */
  toString(): string {
    return `.${this.name}`;
  }
}

/**
 * The key of a child of a class registered without keys ({@link registerPytreeNode}): only its position
 * among the node's children is known.
 *
 * @example
 * ```ts
 * String(new FlattenedIndexKey(1)); // '[<flat index 1>]'
 * ```
 */
export class FlattenedIndexKey {
  /** @param key - the child's position among its node's children. */
  constructor(readonly key: number) {}

  /** `[<flat index key>]`. */
  toString(): string {
    return `[<flat index ${this.key}>]`;
  }
}

/**
 * One step of a path.
 *
 * @example
 * ```ts
 * const step: KeyEntry = new SequenceKey(0);
 * ```
 */
export type KeyEntry = DictKey | SequenceKey | GetAttrKey | FlattenedIndexKey;

/**
 * The steps from a tree's root to one of its nodes; the root's path is `[]`.
 *
 * @example
 * ```ts
 * const path: KeyPath = [new DictKey('layers'), new SequenceKey(2), new GetAttrKey('bias')];
 * keystr(path); // '.layers[2].bias'
 * ```
 */
export type KeyPath = readonly KeyEntry[];

/**
 * Options of {@link keystr}.
 *
 * @example
 * ```ts
 * keystr([new DictKey('a'), new SequenceKey(0)], { simple: true, separator: '/' }); // 'a/0'
 * ```
 */
export interface KeystrOptions {
  /** Write each key as its bare name or index (`layers`, `2`) instead of `.layers`, `[2]`. */
  simple?: boolean;
  /** What goes between keys when `simple` is set; `'.'` by default. */
  separator?: string;
}

/**
 * Writes a path as a string, as `jax.tree_util.keystr` does.
 *
 * @example
 * ```ts
 * const path = [new DictKey('layers'), new SequenceKey(2), new GetAttrKey('bias')];
 * keystr(path); // '.layers[2].bias'
 * keystr(path, { simple: true, separator: '/' }); // 'layers/2/bias'
 * ```
 */
export function keystr(path: KeyPath, options: KeystrOptions = {}): string {
  if (!options.simple) return path.map(String).join('');
  return path.map(bareKey).join(options.separator ?? '.');
}

function bareKey(entry: KeyEntry): string {
  if (entry instanceof DictKey) return entry.key;
  if (entry instanceof SequenceKey) return String(entry.idx);
  if (entry instanceof GetAttrKey) return entry.name;
  return String(entry.key);
}
