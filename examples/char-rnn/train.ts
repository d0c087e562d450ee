/** Training the language model on random windows of the text, with one jitted step. */
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
import type { Corpus } from './corpus.js';
import { CharRnn } from './model.js';

/** Options of {@link trainCharRnn}. */
export interface TrainOptions {
  /** Optimiser steps. Default 300. */
  steps?: number;
  /** Windows of text per step. Default 16. */
  batchSize?: number;
  /** Characters per window (the model learns to predict each one's successor). Default 32. */
  sequenceLength?: number;
  /** Size of the GRU's hidden state. Default 64. */
  hiddenSize?: number;
  /** Adam's learning rate. Default 0.01. */
  learningRate?: number;
  /** The key for the initial weights and the windows. Default `random.key(0)`. */
  key?: Tensor;
  /** Called every `logEvery` steps (and after the last) with the step and the loss in nats per character. */
  onLog?: (step: number, loss: number) => void;
  /** Default 25. */
  logEvery?: number;
}

/** The trained model and the logged losses. */
export interface Trained {
  model: CharRnn;
  losses: { step: number; loss: number }[];
}

/** Mean cross-entropy of the next-character predictions, in nats per character. */
function loss(model: CharRnn, inputs: Tensor, targets: Tensor): Tensor {
  const logits = jax.vmap(model.call)(inputs);
  return jnp.mean(optim.softmaxCrossEntropyWithIntegerLabels(logits, targets));
}

/**
 * Trains a fresh {@link CharRnn} on `corpus`: each step reads `batchSize` random windows, and the
 * model predicts every character of each from the ones before it.
 *
 * @example
 * ```ts
 * const { model } = await trainCharRnn(readCorpus('text.txt'), { steps: 100 });
 * ```
 */
export async function trainCharRnn(corpus: Corpus, options: TrainOptions = {}): Promise<Trained> {
  const { steps = 300, batchSize = 16, sequenceLength = 32, logEvery = 25 } = options;
  if (corpus.ids.length < sequenceLength + 2) {
    throw new Error(
      `the text has ${corpus.ids.length} characters, too few for windows of ${sequenceLength}`,
    );
  }
  const [modelKey, dataKey] = random.split(options.key ?? random.key(0));
  let model = new CharRnn(
    { vocabularySize: corpus.vocabulary.length, hiddenSize: options.hiddenSize ?? 64 },
    modelKey!,
  );
  // Clipping the gradient's norm keeps the occasional large step of a recurrent network in check.
  const optimiser: optim.GradientTransformation = optim.chain(
    optim.clipByGlobalNorm(1),
    optim.adam(options.learningRate ?? 0.01),
  );
  let optState = optimiser.init(tree.filter(model, isArray));

  const step = filterJit((model: CharRnn, optState: unknown, inputs: Tensor, targets: Tensor) => {
    const [value, grads] = filterValueAndGrad(loss)(model, inputs, targets);
    const [updates, nextState] = optimiser.update(grads, optState, model);
    return [applyUpdates(model, updates), nextState, value] as const;
  });

  const text = jnp.array(corpus.ids, { dtype: 'int32' });
  const offsets = jnp.arange(sequenceLength + 1);
  const losses: Trained['losses'] = [];
  for (let i = 1; i <= steps; i++) {
    // Windows of sequenceLength + 1 characters: the inputs, and the same shifted by one as targets.
    const starts = random.randint(
      random.foldIn(dataKey!, i),
      [batchSize, 1],
      0,
      corpus.ids.length - sequenceLength,
    );
    const windows = text.get(starts.add(offsets));
    let value: Tensor;
    [model, optState, value] = step(
      model,
      optState,
      windows.get(':', ':-1'),
      windows.get(':', '1:'),
    );
    if (i % logEvery === 0 || i === steps) {
      const [current] = await value.data();
      losses.push({ step: i, loss: current! });
      options.onLog?.(i, current!);
    }
  }
  return { model, losses };
}
