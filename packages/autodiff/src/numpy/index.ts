/**
 * The `jax.numpy` functions, camelCased: creation, elementwise math, reductions, shape manipulation,
 * indexing, joining and linear algebra.
 *
 * @packageDocumentation
 */
export { array, asarray, astype, type ArrayLike, type ArrayOptions } from './convert.js';
export * from './creation.js';
export * from './math.js';
export * from './reductions.js';
export * from './shape.js';
export { dot, matmul } from './linalg.js';
export { index, type Index } from './indexing.js';
export {
  concatenate,
  stack,
  hstack,
  vstack,
  split,
  arraySplit,
  type SplitOptions,
} from './join.js';
export {
  outer,
  inner,
  tensordot,
  tril,
  triu,
  diagonal,
  trace,
  diag,
  type TensordotOptions,
  type DiagonalOptions,
} from './linalg-extra.js';
export { einsum } from './einsum.js';
export { sort, argsort, type SortOptions } from './sorting.js';
export { take, takeAlongAxis, nonzero, type TakeMode, type TakeOptions } from './select.js';
export { flip, roll, tile, repeat } from './reorder.js';
export { pad, type PadMode, type PadOptions, type PadWidth } from './pad.js';
export { at, type IndexUpdate } from './at.js';
