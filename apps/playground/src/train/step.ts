/**
 * The compiled training step both panels use: the loss and its gradients with respect to the model's
 * arrays, one optimiser update, the updated model.
 */
import {
  type Tensor,
  applyUpdates,
  filterJit,
  filterValueAndGrad,
  isArray,
  type optim,
  tree,
} from 'equinox-ts';

/** `(model, optState, inputs, targets) => [newModel, newOptState, loss]`. */
export type TrainStep<M> = (
  model: M,
  optState: unknown,
  inputs: Tensor,
  targets: Tensor,
) => readonly [M, unknown, Tensor];

/**
 * A jitted step minimising `loss` with `optimiser`. The old model and optimiser state are donated: each
 * step's results reuse their memory, so do not use them after the call.
 */
export function makeTrainStep<M>(
  loss: (model: M, inputs: Tensor, targets: Tensor) => Tensor,
  optimiser: optim.GradientTransformation,
): TrainStep<M> {
  return filterJit(
    (model: M, optState: unknown, inputs: Tensor, targets: Tensor) => {
      const [value, grads] = filterValueAndGrad(loss)(model, inputs, targets);
      const [updates, next] = optimiser.update(grads, optState, tree.filter(model, isArray));
      return [applyUpdates(model, updates), next, value] as const;
    },
    { donateArgnums: [0, 1] },
  );
}
