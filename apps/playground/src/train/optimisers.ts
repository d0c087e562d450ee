/** The optimiser choices of the MNIST panel, as Optax-style gradient transformations. */
import { optim } from 'equinox-ts';

/** The optimisers the panel offers. */
export type OptimiserName = 'adam' | 'sgd' | 'rmsprop';

/** All of them, in the panel's order. */
export const OPTIMISER_NAMES: readonly OptimiserName[] = ['adam', 'sgd', 'rmsprop'];

/** The optimiser `name` with learning rate `learningRate`; SGD uses momentum 0.9, as most do. */
export function makeOptimiser(
  name: OptimiserName,
  learningRate: number,
): optim.GradientTransformation {
  if (name === 'sgd') return optim.sgd(learningRate, { momentum: 0.9 });
  if (name === 'rmsprop') return optim.rmsprop(learningRate);
  return optim.adam(learningRate);
}
