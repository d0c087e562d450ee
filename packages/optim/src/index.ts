/**
 * Optax for TypeScript: gradient transformations on pytrees. An optimiser is a
 * {@link GradientTransformation} (`init`, `update`); building blocks compose with `chain`; learning
 * rates are numbers or schedules; losses are plain functions. Works inside `jit`.
 *
 * @example
 * ```ts
 * import { adam } from '@equinox-ts/optim';
 * import { applyUpdates, grad, numpy } from '@equinox-ts/autodiff';
 *
 * const loss = (p: { w: Tensor }) => numpy.sum(numpy.square(p.w.sub(3)));
 * const optimiser = adam(0.1);
 * let params = { w: numpy.zeros([2]) };
 * let state = optimiser.init(params);
 * for (let i = 0; i < 100; i++) {
 *   const [updates, next] = optimiser.update(grad(loss)(params), state, params);
 *   [params, state] = [applyUpdates(params, updates), next];
 * }
 * Math.abs(params.w.tolist()[0]! - 3) < 0.1; // true
 * ```
 *
 * @packageDocumentation
 */
export { type EmptyState, type GradientTransformation, chain, identity } from './transform.js';
export { type ScalarOrSchedule, type Schedule } from './schedules/schedule.js';
export {
  type ScaleByLearningRateOptions,
  type ScaleByScheduleState,
  scale,
  scaleByLearningRate,
  scaleBySchedule,
} from './transforms/scale.js';
export { type TraceOptions, type TraceState, trace } from './transforms/trace.js';
export { type EmaOptions, type EmaState, ema } from './transforms/ema.js';
export { type Mask, masked } from './transforms/masked.js';
export {
  type AddDecayedWeightsOptions,
  addDecayedWeights,
} from './transforms/add-decayed-weights.js';
export { type SgdOptions, sgd } from './optimisers/sgd.js';
export { applyUpdates } from '@equinox-ts/autodiff';
export * from './optimisers/adaptive-index.js';
export * from './optimisers/trust-index.js';
export * from './schedules/index.js';
export * from './transforms/combinators-index.js';
export * from './transforms/clipping-index.js';
export * from './losses/index.js';
