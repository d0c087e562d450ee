/**
 * The `jax` namespace of the umbrella package: JAX's transformations and modules under JAX's names, so
 * that Equinox code ports line by line (`jax.jit(jax.grad(loss))`, `jax.vmap(model.call)`, `jax.nn.relu`).
 */
export {
  customVjp,
  devicePut,
  devicePutAsync,
  grad,
  jit,
  lax,
  nn,
  numpy,
  random,
  valueAndGrad,
  vjp,
  vmap,
} from '@equinox-ts/autodiff';
/**
 * `jax.tree`: the pytree functions.
 *
 * @example
 * ```ts
 * jax.tree.map((x: number) => x + 1, [1, 2]); // [2, 3]
 * ```
 */
export * as tree from '@equinox-ts/pytree';
