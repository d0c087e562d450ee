/** Training the spiral classifier: full-batch Adam, one jitted step. */
import {
  applyUpdates,
  filterJit,
  filterValueAndGrad,
  isArray,
  jax,
  jnp,
  optim,
  random,
  tree,
  type Tensor,
} from 'equinox-ts';
import { type Classifier, makeClassifier } from './model.js';
import { type Dataset, makeSpirals } from './spirals.js';

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  /** Optimiser steps, each on the whole training set. Default 400. */
  steps?: number;
  /** Adam's learning rate. Default 0.01. */
  learningRate?: number;
  /** The key for the data and the initial weights. Default `random.key(0)`. */
  key?: Tensor;
  /** Training points per class. Default 256. */
  perClass?: number;
  /** Called every `logEvery` steps (and after the last) with the step number and the loss. */
  onLog?: (step: number, loss: number) => void;
  /** Default 50. */
  logEvery?: number;
}

/** A trained classifier, its training data, fresh test data, and every logged loss. */
export interface TrainResult {
  model: Classifier;
  train: Dataset;
  /** 256 points per class, drawn from their own key, for measuring how well the model generalises. */
  test: Dataset;
  losses: { step: number; loss: number }[];
}

/** The mean cross-entropy of the model's logits against the labels. */
function loss(model: Classifier, points: Tensor, labels: Tensor): Tensor {
  const logits = jax.vmap(model.call)(points);
  return jnp.mean(optim.softmaxCrossEntropyWithIntegerLabels(logits, labels));
}

/**
 * Trains a fresh classifier on spirals drawn from `key`. Returns the model, the training data, test
 * data (never trained on), and the logged losses.
 *
 * @example
 * ```ts
 * const { model, test } = await trainClassifier({ steps: 300, key: random.key(1) });
 * await accuracy(model, test.points, test.labels); // about 1
 * ```
 */
export async function trainClassifier(options: TrainOptions = {}): Promise<TrainResult> {
  const steps = options.steps ?? 400;
  const logEvery = options.logEvery ?? 50;
  const [dataKey, modelKey, testKey] = random.split(options.key ?? random.key(0), 3);
  const train = makeSpirals(dataKey!, { perClass: options.perClass ?? 256 });
  const test = makeSpirals(testKey!, { perClass: 256 });
  const optimiser = optim.adam(options.learningRate ?? 0.01);

  // filterJit traces the step once; later calls replay the recorded graph.
  const step = filterJit((model: Classifier, optState: unknown, points: Tensor, labels: Tensor) => {
    const [value, grads] = filterValueAndGrad(loss)(model, points, labels);
    const [updates, nextState] = optimiser.update(grads, optState, model);
    return [applyUpdates(model, updates), nextState, value] as const;
  });

  let model = makeClassifier(modelKey!);
  // Only the arrays are optimised; the MLP's activation functions pass through as static fields.
  let optState = optimiser.init(tree.filter(model, isArray));
  const losses: TrainResult['losses'] = [];
  for (let i = 1; i <= steps; i++) {
    let value: Tensor;
    [model, optState, value] = step(model, optState, train.points, train.labels);
    if (i % logEvery === 0 || i === steps) {
      const [current] = await value.data();
      losses.push({ step: i, loss: current! });
      options.onLog?.(i, current!);
    }
  }
  return { model, train, test, losses };
}
