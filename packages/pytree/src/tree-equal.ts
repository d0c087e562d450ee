/** Comparing whole trees: structure and leaves. */
import { flattenTree } from './flatten.js';
import type { IsLeafOptions } from './nodes.js';
import { className } from './values.js';
import { splitOptions, type TreesThenOptions } from './options.js';

/**
 * Options of {@link treeEqual}.
 *
 * @example
 * ```ts
 * treeEqual([1, 2], [1.05, 2], { rtol: 0.1 }); // true
 * treeEqual([1], [new Float32Array([1])], { typematch: true }); // false
 * ```
 */
export interface TreeEqualOptions extends IsLeafOptions {
  /** Also require matching leaves to have the same type (`typeof`, and class for objects). */
  typematch?: boolean;
  /** Relative tolerance for numbers and typed-array elements: `|a - b| <= atol + rtol * |b|`. Default 0. */
  rtol?: number;
  /** Absolute tolerance for numbers and typed-array elements. Default 0. */
  atol?: number;
}

type NumericArray = Exclude<ArrayBufferView, DataView>;

function isNumericArray(x: unknown): x is NumericArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function close(a: unknown, b: unknown, rtol: number, atol: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

function leafEqual(a: unknown, b: unknown, o: Required<Omit<TreeEqualOptions, 'isLeaf'>>): boolean {
  if (o.typematch && className(a) !== className(b)) return false;
  if (isNumericArray(a) && isNumericArray(b)) {
    // Like arrays of different dtypes in Equinox, typed arrays of different kinds are never equal.
    if (className(a) !== className(b)) return false;
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!close(x[i], y[i], o.rtol, o.atol)) return false;
    return true;
  }
  return close(a, b, o.rtol, o.atol);
}

/**
 * Whether all the trees have the same structure and equal leaves, as `eqx.tree_equal` does. Numbers and
 * typed arrays are compared by value (within `rtol`/`atol`; `NaN` equals nothing; typed arrays of different
 * kinds, like `Float32Array` and `Float64Array`, are unequal); every other leaf with `===`, so arrays and
 * objects made leaves by `isLeaf` are equal only if they are the same object. The last argument may be
 * options (`{ typematch, rtol, atol, isLeaf }`).
 *
 * @example
 * ```ts
 * treeEqual({ a: [1, 2] }, { a: [1, 2] }); // true
 * treeEqual({ a: [1, 2] }, { a: [1, 2.001] }, { atol: 0.01 }); // true
 * treeEqual([1], [1, 2]); // false
 * treeEqual(new Float32Array([1, 2]), new Float32Array([1, 2])); // true
 * ```
 */
export function treeEqual(...treesAndOptions: TreesThenOptions<TreeEqualOptions>): boolean {
  if (treesAndOptions.length === 0) throw new TypeError('treeEqual: expected at least one tree');
  const [trees, options] = splitOptions<TreeEqualOptions>('treeEqual', treesAndOptions, {
    typematch: 'boolean',
    rtol: 'number',
    atol: 'number',
    isLeaf: 'function',
  });
  const { typematch = false, rtol = 0, atol = 0, isLeaf } = options;
  const { leaves: first, def } = flattenTree('treeEqual', trees[0], { isLeaf });
  return trees.slice(1).every((tree) => {
    const { leaves, def: other } = flattenTree('treeEqual', tree, { isLeaf });
    return (
      other.equals(def) &&
      leaves.every((leaf, i) => leafEqual(first[i], leaf, { typematch, rtol, atol }))
    );
  });
}
