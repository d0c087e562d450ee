/**
 * Equinox's neural-network library for TypeScript: `Module` (a model is an immutable pytree),
 * Equinox's layers, stateful layers with `State`, and serialisation (Equinox's leaf format and
 * safetensors).
 *
 * @example
 * ```ts
 * import { Linear } from '@equinox-ts/nn';
 * import { numpy, random, vmap } from '@equinox-ts/autodiff';
 *
 * const layer = new Linear(3, 2, { key: random.key(0) });
 * vmap(layer.call)(numpy.ones([5, 3])).shape; // [5, 2]
 * ```
 *
 * @packageDocumentation
 */
export { Module, isModule } from './module/module.js';
export { field, type FieldOptions } from './module/field.js';
export { treePformat, type PformatOptions } from './module/pformat.js';
export { inferenceMode } from './module/inference.js';
export { State, StateIndex, StatefulLayer, makeWithState } from './state/state.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { Identity } from './layers/identity.js';
export { Lambda } from './layers/lambda.js';
export { Sequential, type Layer } from './layers/sequential.js';
export { MLP, type MLPOptions } from './layers/mlp.js';
export * from './layers/conv-index.js';
export * from './layers/pool-index.js';
export * from './layers/norm-index.js';
export * from './layers/sequence-index.js';
export * from './layers/wrapper-index.js';
export * from './serialise/index.js';
