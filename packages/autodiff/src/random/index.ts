/**
 * The `jax.random` functions: explicit, splittable keys and samplers that give JAX's numbers.
 *
 * @packageDocumentation
 */
export { key, PRNGKey, keyData, split, foldIn, type KeyOptions } from './keys.js';
export { threefry2x32 } from './threefry.js';
export { threefryPartitionable } from './counters.js';
export { bits, uniform, type UniformOptions } from './uniform.js';
export { normal, truncatedNormal, type NormalOptions } from './normal.js';
export { bernoulli, randint, type RandintOptions } from './discrete.js';
export { gumbel, categorical, type CategoricalOptions } from './categorical.js';
export { permutation, type PermutationOptions } from './permutation.js';
export { choice, type ChoiceOptions } from './choice.js';
