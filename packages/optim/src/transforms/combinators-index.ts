// Combinators: transformations that wrap or combine others, as Optax's wrappers and combinators.
export {
  type MultiTransformState,
  type ParamLabels,
  type PartitionState,
  multiTransform,
  partition,
} from './multi-transform.js';
export { type ApplyIfFiniteState, applyIfFinite } from './apply-if-finite.js';
export {
  type MultiStepsOptions,
  type MultiStepsState,
  type ShouldSkipUpdateFunction,
  MultiSteps,
  skipLargeUpdates,
  skipNotFinite,
} from './multi-steps.js';
export {
  type InjectHyperparamsOptions,
  type InjectHyperparamsState,
  type Injectable,
  type InjectableArgs,
  injectHyperparams,
} from './inject-hyperparams.js';
