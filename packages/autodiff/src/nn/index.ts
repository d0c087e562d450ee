/**
 * The `jax.nn` functions: activations, softmax and friends, `oneHot` and `standardize`.
 *
 * @packageDocumentation
 */
export {
  celu,
  elu,
  hardSigmoid,
  hardSilu,
  hardSwish,
  hardTanh,
  leakyRelu,
  relu,
  relu6,
  selu,
  type EluOptions,
  type LeakyReluOptions,
} from './rectifiers.js';
export {
  gelu,
  logSigmoid,
  sigmoid,
  silu,
  softSign,
  softplus,
  swish,
  type GeluOptions,
} from './smooth.js';
export {
  logSoftmax,
  logsumexp,
  softmax,
  type LogsumexpOptions,
  type SoftmaxOptions,
} from './softmax.js';
export { oneHot, type OneHotOptions } from './one-hot.js';
export { standardize, type StandardizeOptions } from './standardize.js';
export { tanh } from '../numpy/math.js';
