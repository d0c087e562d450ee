/**
 * The `jax.lax` functions: general convolution (`convGeneralDilated`, `conv`,
 * `convWithGeneralPadding`), windowed reductions (`reduceWindow`, with `maxPool` and `avgPool` as
 * conveniences over trailing dimensions), collectives over a named `vmap` axis (`psum`, `pmean`) and
 * `stopGradient`.
 *
 * @packageDocumentation
 */
export {
  conv,
  convGeneralDilated,
  convWithGeneralPadding,
  type ConvGeneralDilatedOptions,
} from './conv.js';
export type { ConvDimensionNumbers } from './dimension-numbers.js';
export type { Padding } from './padding.js';
export { reduceWindow, type ReduceWindowOp } from './reduce-window.js';
export { avgPool, maxPool, type PoolOptions } from './pooling.js';
export { stopGradient } from '../grad/stop-gradient.js';
export { pmean, psum } from './collectives.js';
