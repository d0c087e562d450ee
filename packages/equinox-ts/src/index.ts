/**
 * Equinox for TypeScript, in one package: the names an Equinox user expects (`Module`, `filterGrad`,
 * `filterJit`, `filterVmap`, `partition`, `combine`, `treeAt`, `nn.Linear`, ...), JAX's (`jax`, `jnp`,
 * `random`), Optax's (`optim`), the pytree functions (`tree`) and backend selection (`setBackend`).
 *
 * @example
 * ```ts
 * import * as eqx from 'equinox-ts';
 *
 * const model = new eqx.nn.Linear(3, 2, { key: eqx.random.key(0) });
 * const [params, rest] = eqx.partition(model, eqx.isArray);
 * eqx.combine(params, rest).call(eqx.jnp.ones([3])).shape; // [2]
 * ```
 *
 * @packageDocumentation
 */
export { Module, field, isModule, treePformat, type FieldOptions } from '@equinox-ts/nn';
export {
  treeSerialiseLeaves,
  treeDeserialiseLeaves,
  saveSafetensors,
  loadSafetensors,
} from '@equinox-ts/nn';
export {
  applyUpdates,
  filterGrad,
  filterJit,
  filterValueAndGrad,
  filterVjp,
  filterVmap,
  isArray,
  isArrayLike,
  isInexactArray,
  devicePut,
  devicePutAsync,
  Tensor,
  TensorError,
} from '@equinox-ts/autodiff';
export { combine, filter, partition, treeAt, treeEqual } from '@equinox-ts/pytree';
/**
 * Equinox's `eqx.debug`, and more: count and limit how often `jit` traces a function, find the first
 * primitive that made a NaN (`checkNaN`), and see what is alive (`memory`, `countMemory`,
 * `trackTensors`).
 *
 * @example
 * ```ts
 * const f = debug.assertMaxTraces((x: Tensor) => x.mul(2), 1);
 * jax.jit(f)(jnp.ones([2])).tolist(); // [2, 2]
 * debug.getNumTraces(f); // 1
 * ```
 */
export { debug } from '@equinox-ts/autodiff';
/**
 * The kernels layer: the `Backend` interface, the CPU backend, dtypes and `KernelError`, for writing a
 * backend or driving one directly. The WebGPU and gpu.js backends are started by {@link setBackend}, which
 * loads their code only then.
 *
 * @example
 * ```ts
 * const backend: kernels.Backend = kernels.cpu;
 * await backend.read(backend.upload(new Float32Array([1, 2]), [2])); // Float32Array [1, 2]
 * ```
 */
export * as kernels from '@equinox-ts/kernels';
export {
  availableBackends,
  getBackend,
  setBackend,
  type BackendName,
  type SetBackendOptions,
} from './backend.js';
/**
 * Equinox's `eqx.nn`: every layer (`Linear`, `Conv2d`, `MLP`, `BatchNorm`, `MultiheadAttention`, ...),
 * `State` and `makeWithState` for stateful layers, `inferenceMode`, and serialisation.
 *
 * @example
 * ```ts
 * const mlp = new nn.MLP(2, 1, 8, 2, { key: random.key(0) });
 * mlp.call(jnp.zeros([2])).shape; // [1]
 * ```
 */
export * as nn from '@equinox-ts/nn';
/**
 * JAX's transformations and modules: `jax.grad`, `jax.valueAndGrad`, `jax.vmap`, `jax.jit`,
 * `jax.numpy`, `jax.lax`, `jax.nn`, `jax.random`, `jax.tree`.
 *
 * @example
 * ```ts
 * const f = jax.jit(jax.grad((x: Tensor) => jax.numpy.sum(jax.nn.relu(x))));
 * f(jnp.array([-1, 2])).tolist(); // [0, 1]
 * ```
 */
export * as jax from './jax.js';
/**
 * `jax.numpy` as `jnp`: arrays, elementwise math, reductions, shapes, indexing, linear algebra.
 *
 * @example
 * ```ts
 * jnp.mean(jnp.array([1, 2, 3])).item(); // 2
 * ```
 */
export { numpy as jnp } from '@equinox-ts/autodiff';
/**
 * `jax.random`: explicit splittable keys and samplers.
 *
 * @example
 * ```ts
 * const [k1, k2] = random.split(random.key(0));
 * random.normal(k1!, [2]).shape; // [2]
 * ```
 */
export { random } from '@equinox-ts/autodiff';
/**
 * Optax for equinox-ts: optimisers, gradient transformations, schedules and losses.
 *
 * @example
 * ```ts
 * const opt = optim.adam(1e-3);
 * const params = { w: jnp.ones([2]) };
 * const [updates] = opt.update({ w: jnp.ones([2]) }, opt.init(params), params);
 * applyUpdates(params, updates).w.shape; // [2]
 * ```
 */
export * as optim from '@equinox-ts/optim';
/**
 * The pytree functions (`jax.tree_util`): `flatten`, `unflatten`, `leaves`, `map`, `structure`, ...
 *
 * @example
 * ```ts
 * tree.leaves({ a: 1, b: [2, 3] }); // [1, 2, 3]
 * ```
 */
export * as tree from '@equinox-ts/pytree';
