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
export { devicePut, devicePutAsync } from './numpy/convert.js';
/**
 * The `jax.numpy` functions, camelCased: creation, elementwise math, reductions, shape functions,
 * indexing, joining, linear algebra and sorting.
 *
 * @example
 * ```ts
 * numpy.sum(numpy.arange(4).reshape([2, 2]), { axis: 0 }).tolist(); // [2, 4]
 * ```
 */
export * as numpy from './numpy/index.js';
export { grad, valueAndGrad, vjp, type GradOptions } from './grad/api.js';
export type { ArgnumsOf, AuxOf, Cotangent, Gradient, GradientsOf, HasAux } from './grad/types.js';
/**
 * The `jax.lax` functions models need: general convolution, windowed reductions (pooling),
 * collectives over a named `vmap` axis (`psum`, `pmean`) and `stopGradient`.
 *
 * @example
 * ```ts
 * const image = numpy.ones([1, 1, 4, 4]); // [N, C, H, W]
 * lax.maxPool(image, [2, 2], { strides: [2, 2] }).shape; // [1, 1, 2, 2]
 * ```
 */
export * as lax from './lax/index.js';
/**
 * The `jax.nn` functions: activations, softmax and its relatives, `oneHot`, `standardize`.
 *
 * @example
 * ```ts
 * nn.relu(numpy.array([-1, 2])).tolist(); // [0, 2]
 * nn.softmax(numpy.array([0, 0])).tolist(); // [0.5, 0.5]
 * ```
 */
export * as nn from './nn/index.js';
/**
 * The `jax.random` functions: explicit splittable keys (threefry2x32, as JAX) and samplers.
 *
 * @example
 * ```ts
 * const [k1, k2] = random.split(random.key(42));
 * random.normal(k1!, [2, 3]).shape; // [2, 3]
 * random.randint(k2!, [4], 0, 10).dtype; // 'int32'
 * ```
 */
export * as random from './random/index.js';
export { customVjp, type CustomVjpFunction } from './grad/custom-vjp.js';
export { isArray, isArrayLike, isInexactArray } from './filter/predicates.js';
export { filterGrad, filterValueAndGrad, type FilterGradOptions } from './filter/filter-grad.js';
export { filterVjp } from './filter/filter-vjp.js';
export { applyUpdates } from './filter/apply-updates.js';
export { filterVmap, vmap, type Axis, type VmapOptions } from './vmap/vmap.js';
export { filterJit, jit, type JitOptions } from './jit/jit.js';
/**
 * Debugging helpers (Equinox's `eqx.debug` and more): count and limit how often `jit` traces a
 * function (`assertMaxTraces`, `getNumTraces`), find the primitive that made a NaN (`checkNaN`), and
 * watch memory and leaks (`memory`, `countMemory`, `trackTensors`).
 *
 * @example
 * ```ts
 * const f = debug.assertMaxTraces((x: Tensor) => x.mul(2), 1);
 * jit(f)(numpy.ones([2])).tolist(); // [2, 2]
 * debug.getNumTraces(f); // 1
 * ```
 */
export * as debug from './jit/debug-index.js';
