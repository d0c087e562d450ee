/** Training and evaluating the BatchNorm model: the State goes into the jitted step and comes back out. */
import {
  applyUpdates,
  filterJit,
  filterValueAndGrad,
  isArray,
  jax,
  jnp,
  nn,
  optim,
  random,
  tree,
  type Tensor,
} from 'equinox-ts';
import type { Regression } from './data.js';
import { BATCH_AXIS, BatchNormMLP } from './model.js';

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** Passes over the training set. Default 15. */
  epochs?: number;
  /** Examples per step; the batch statistics are taken over them. Default 64. */
  batchSize?: number;
  /** Adam's learning rate. Default 0.003. */
  learningRate?: number;
  /** Hidden units per layer. Default 32. */
  width?: number;
  /** The key for the initial weights and the shuffling. Default `random.key(0)`. */
  key?: Tensor;
  /** Called after each epoch with its number and mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** The trained model, its state (the BatchNorm running statistics), and each epoch's mean loss. */
export interface Trained {
  model: BatchNormMLP;
  state: nn.State;
  epochLosses: number[];
}

/** Runs the model over a batch in training mode: batch statistics over the vmap axis, state updated. */
const trainingForward = (
  model: BatchNormMLP,
  state: nn.State,
  inputs: Tensor,
): [Tensor, nn.State] =>
  // The state is shared by the whole batch (inAxes null) and comes back once (outAxes null).
  jax.vmap(model.call, { axisName: BATCH_AXIS, inAxes: [0, null], outAxes: [0, null] })(
    inputs,
    state,
  );

/** The mean squared error on a batch, with the updated state as auxiliary output. */
function loss(
  model: BatchNormMLP,
  state: nn.State,
  inputs: Tensor,
  targets: Tensor,
): [Tensor, nn.State] {
  const [predictions, next] = trainingForward(model, state, inputs);
  return [jnp.mean(jnp.square(predictions.sub(targets))), next];
}

/**
 * Builds the model with `nn.makeWithState` and trains it with Adam on shuffled minibatches.
 *
 * @example
 * ```ts
 * const { model, state } = await trainModel(makeRegression(random.key(1), 2048), { epochs: 5 });
 * ```
 */
export async function trainModel(train: Regression, options: TrainOptions = {}): Promise<Trained> {
  const epochs = options.epochs ?? 15;
  const batchSize = options.batchSize ?? 64;
  const count = train.inputs.shape[0]!;
  const batches = Math.floor(count / batchSize);
  const [modelKey, shuffleKey] = random.split(options.key ?? random.key(0));
  let [model, state] = nn.makeWithState(BatchNormMLP)(2, options.width ?? 32, modelKey!);
  const optimiser = optim.adam(options.learningRate ?? 0.003);
  let optState = optimiser.init(tree.filter(model, isArray));

  const step = filterJit(
    (model: BatchNormMLP, state: nn.State, optState: unknown, inputs: Tensor, targets: Tensor) => {
      const [[value, nextState], grads] = filterValueAndGrad(loss, { hasAux: true })(
        model,
        state,
        inputs,
        targets,
      );
      const [updates, nextOptState] = optimiser.update(grads, optState, model);
      return [applyUpdates(model, updates), nextState, nextOptState, value] as const;
    },
  );

  const epochLosses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = random.permutation(random.foldIn(shuffleKey!, epoch), count);
    let total = jnp.zeros([]);
    for (let b = 0; b < batches; b++) {
      const rows = order.get(`${b * batchSize}:${(b + 1) * batchSize}`);
      let value: Tensor;
      [model, state, optState, value] = step(
        model,
        state,
        optState,
        train.inputs.get(rows),
        train.targets.get(rows),
      );
      total = total.add(value);
    }
    const [sum] = await total.data();
    epochLosses.push(sum! / batches);
    options.onEpoch?.(epoch, sum! / batches);
  }
  return { model, state, epochLosses };
}

/**
 * Predictions in inference mode: BatchNorm normalises with the running statistics from `state`, so
 * each example's prediction depends on that example alone (no batch axis, no state update).
 *
 * @example
 * ```ts
 * const predictions = predict(model, state, test.inputs); // [n]
 * ```
 */
export function predict(model: BatchNormMLP, state: nn.State, inputs: Tensor): Tensor {
  const evaluating = nn.inferenceMode(model);
  return jax.vmap((x: Tensor) => evaluating.call(x, state)[0])(inputs);
}

/**
 * The mean squared error of `predict` on a dataset, and the targets' variance (the error of always
 * predicting their mean), as numbers.
 *
 * @example
 * ```ts
 * const { mse, variance } = await evaluate(model, state, test);
 * ```
 */
export async function evaluate(
  model: BatchNormMLP,
  state: nn.State,
  data: Regression,
): Promise<{ mse: number; variance: number }> {
  const error = jnp.mean(jnp.square(predict(model, state, data.inputs).sub(data.targets)));
  const [mse] = await error.data();
  const [variance] = await jnp.variance(data.targets).data();
  return { mse: mse!, variance: variance! };
}
