/**
 * Functions that take any number of trees (`map`, `combine`, `treeEqual`) end with an optional options
 * object, as Python's keyword arguments do in JAX. The last argument is read as options when it is a plain
 * object whose keys are all option names of that function (and there is at least one), and it is not one of
 * the trees the function requires; anything else is a tree. A tree that looks exactly like an options
 * object is passed as a tree by adding options after it, e.g. `map(f, a, b, { isLeaf: undefined })`.
 */
import { isPlainObject } from './stable-key.js';

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

/** Splits `[...trees, options?]` into the trees and the options, keeping at least `minTrees` trees. */
export function splitOptions<O extends object>(
  args: readonly unknown[],
  optionNames: readonly (keyof O & string)[],
  minTrees: number,
): [unknown[], O] {
  const last = args[args.length - 1];
  if (args.length > minTrees && isOptions(last, optionNames)) {
    return [args.slice(0, -1), last as O];
  }
  return [[...args], {} as O];
}

function isOptions(value: unknown, optionNames: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null || !isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => optionNames.includes(k));
}
