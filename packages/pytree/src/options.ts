/**
 * Functions that take any number of trees (`map`, `mapWithPath`, `combine`, `treeEqual`) end with an
 * optional options object, as Python's keyword arguments do in JAX. The last argument is read as options
 * when it is a plain object whose keys are all option names of that function, with values of the options'
 * types (or `undefined`), and it is not the only tree. When it could just as well be a tree of the same shape
 * as the first one, the call is ambiguous and throws rather than guess; passing explicit options after it
 * (`{ isLeaf: undefined }`) makes it a tree.
 */
import { describeValue } from './errors.js';
import { hasOnlyKeys, isPlainObject } from './values.js';

/**
 * The trailing arguments of a function that takes trees and then, optionally, options `O` (see the package
 * README). Both union members are listed so that TypeScript types the callbacks inside a trailing options
 * literal.
 *
 * @example
 * ```ts
 * const args: TreesThenOptions<IsLeafOptions> = [{ a: 1 }, { isLeaf: (x) => x === null }];
 * ```
 */
export type TreesThenOptions<O> = unknown[] | [...unknown[], O];

/** The `typeof` of each option's value. */
export type OptionTypes<O> = { readonly [K in keyof O]-?: 'function' | 'number' | 'boolean' };

/** Splits `[...trees, options?]` (at least one tree) into the trees and the options. */
export function splitOptions<O extends object>(
  op: string,
  args: readonly unknown[],
  types: OptionTypes<O>,
): [unknown[], O] {
  const last = args[args.length - 1];
  const names = Object.keys(types) as (keyof O & string)[];
  const looksLikeOptions =
    args.length > 1 &&
    hasOnlyKeys(last, names) &&
    Object.entries(last).every(([k, v]) => v === undefined || typeof v === types[k as keyof O]);
  if (!looksLikeOptions) return [[...args], {} as O];
  const first = args[0];
  const someValue = Object.values(last).some((v) => v !== undefined);
  if (someValue && isPlainObject(first) && sameKeys(first, last)) {
    throw new TypeError(
      `${op}: the last argument (${describeValue(last)}) could be options or a tree shaped like the ` +
        'first one; to pass it as a tree, add options after it, e.g. { isLeaf: undefined }',
    );
  }
  return [args.slice(0, -1), last as O];
}

function sameKeys(a: object, b: object): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k));
}
