/**
 * Tensors, the `jax.numpy`, `lax` and `jax.nn` functions, reverse-mode automatic differentiation on
 * pytrees, JAX-compatible random keys, and Equinox's filtered transformations.
 *
 * @example
 * ```ts
 * import { grad, numpy } from '@equinox-ts/autodiff';
 *
 * const f = (x: Tensor) => numpy.sum(numpy.sin(x));
 * grad(f)(numpy.array([0, Math.PI])).tolist(); // [1, -1]
 * ```
 *
 * @packageDocumentation
 */
export { Tensor, type NestedArray } from './tensor.js';
export { TensorError } from './core/errors.js';
export { getDefaultBackend, setDefaultBackend } from './core/default-backend.js';
export { devicePut } from './numpy/convert.js';
export * as numpy from './numpy/index.js';
export { grad, valueAndGrad, vjp, type GradOptions } from './grad/api.js';
export type { Cotangent, Gradient } from './grad/types.js';
export * as lax from './lax/index.js';
export * as nn from './nn/index.js';
export * as random from './random/index.js';
export { customVjp, type CustomVjpFunction } from './grad/custom-vjp.js';
export { isArray, isArrayLike, isInexactArray } from './filter/predicates.js';
export { filterGrad, filterValueAndGrad, type FilterGradOptions } from './filter/filter-grad.js';
export { filterVjp } from './filter/filter-vjp.js';
export { applyUpdates } from './filter/apply-updates.js';
