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
