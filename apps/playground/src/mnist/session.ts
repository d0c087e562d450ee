/**
 * One MNIST training run: a model, its optimiser state, a compiled training step, and the data. The
 * panel drives it one step at a time, so that the page can redraw between steps.
 */
import {
  filterJit,
  isArray,
  jax,
  jnp,
  loadSafetensors,
  nn,
  optim,
  random,
  saveSafetensors,
  tree,
  type Tensor,
} from 'equinox-ts';
import { type Digits, IMAGE_SIZE } from '../data/digits-file.js';
import { EpochSampler, gather } from '../data/mnist-sampler.js';
import { type OptimiserName, makeOptimiser } from '../train/optimisers.js';
import { type TrainStep, makeTrainStep } from '../train/step.js';
import { type DigitModel, MODEL_KINDS, type ModelKind, kindOf, makeDigitModel } from './models.js';

/** What the panel's controls choose. */
export interface MnistConfig {
  model: ModelKind;
  optimiser: OptimiserName;
  batchSize: number;
  learningRate: number;
  /** Seeds the initial weights and the batch order. */
  seed: number;
}

/** The training and test digits. */
export interface MnistData {
  train: Digits;
  test: Digits;
}

/** Test digits per compiled prediction call: few enough that a slow backend still redraws often. */
const EVAL_BATCH = 250;

/** The mean cross-entropy of a batch. */
function loss(model: DigitModel, images: Tensor, labels: Tensor): Tensor {
  const logits = jax.vmap(model.call)(images);
  return jnp.mean(optim.softmaxCrossEntropyWithIntegerLabels(logits, labels));
}

/** The class probabilities of each image of a batch `[n, 784]`: `[n, 10]`. */
const probabilities = filterJit((model: DigitModel, images: Tensor): Tensor =>
  jax.nn.softmax(jax.vmap(model.call)(images), { axis: -1 }),
);

/** A batch of images as a `[n, 784]` tensor on the current backend. */
const imagesTensor = (images: Float32Array): Tensor =>
  jnp.array(images, { shape: [images.length / IMAGE_SIZE, IMAGE_SIZE] });

/** The result of an evaluation on the test digits. */
export interface Evaluation {
  /** The fraction classified correctly. */
  accuracy: number;
  /** The predicted class of each test digit. */
  predicted: Int32Array;
}

export class MnistSession {
  model: DigitModel;
  /** Optimiser steps taken. */
  steps = 0;
  private optState: unknown;
  private readonly sampler: EpochSampler;
  private readonly trainStep: TrainStep<DigitModel>;

  /** A fresh model (or `model`, loaded from a file) ready to train with `config` on `data`. */
  constructor(
    readonly config: MnistConfig,
    readonly data: MnistData,
    model?: DigitModel,
  ) {
    this.model = model ?? makeDigitModel(config.model, random.key(config.seed));
    const optimiser = makeOptimiser(config.optimiser, config.learningRate);
    this.optState = optimiser.init(tree.filter(this.model, isArray));
    this.sampler = new EpochSampler(data.train.labels.length, config.seed);
    this.trainStep = makeTrainStep(loss, optimiser);
  }

  /** The epoch the last batch came from (1 during the first pass over the training digits). */
  get epoch(): number {
    return this.sampler.epoch;
  }

  /** Takes one optimiser step on the next batch and resolves to its loss. */
  async step(): Promise<number> {
    const batch = gather(this.data.train, this.sampler.next(this.config.batchSize));
    const images = imagesTensor(batch.images);
    const labels = jnp.array(batch.labels, { dtype: 'int32' });
    const [model, optState, value] = this.trainStep(this.model, this.optState, images, labels);
    this.model = model;
    this.optState = optState;
    this.steps++;
    images.dispose();
    labels.dispose();
    const [lossValue] = await value.data();
    value.dispose();
    return lossValue!;
  }

  /** The test accuracy and each test digit's predicted class. */
  async evaluate(): Promise<Evaluation> {
    const { images, labels } = this.data.test;
    const predicted = new Int32Array(labels.length);
    let correct = 0;
    for (let start = 0; start < labels.length; start += EVAL_BATCH) {
      const end = Math.min(labels.length, start + EVAL_BATCH);
      const batch = imagesTensor(images.subarray(start * IMAGE_SIZE, end * IMAGE_SIZE));
      const probs = probabilities(this.model, batch);
      const classes = jnp.argmax(probs, { axis: -1 });
      const values = await classes.data();
      for (const t of [batch, probs, classes]) t.dispose();
      for (let i = start; i < end; i++) {
        predicted[i] = values[i - start]!;
        if (predicted[i] === labels[i]) correct++;
      }
    }
    return { accuracy: correct / Math.max(1, labels.length), predicted };
  }

  /** The 10 class probabilities of one image of 784 pixels. */
  async classify(image: Float32Array): Promise<Float32Array> {
    const batch = imagesTensor(image);
    const probs = probabilities(this.model, batch);
    const values = Float32Array.from(await probs.data());
    batch.dispose();
    probs.dispose();
    return values;
  }

  /** The model's weights as a safetensors file, its kind and step count in the metadata. */
  async save(): Promise<Uint8Array> {
    let saved: Uint8Array | undefined;
    await saveSafetensors({ write: (bytes) => void (saved = bytes) }, this.model, {
      metadata: { model: kindOf(this.model), steps: String(this.steps) },
    });
    return saved!;
  }
}

/**
 * The model in a safetensors `file` saved by the playground: its kind comes from the file's metadata
 * (or, for files saved elsewhere, from its tensor names), and every tensor must match that model's
 * names, shapes and dtypes. Rejects with a readable message otherwise.
 */
export async function loadDigitModel(file: Blob): Promise<DigitModel> {
  const header = await nn.loadSafetensorsHeader(file);
  const named = header.metadata.model;
  const kind =
    named !== undefined && (MODEL_KINDS as readonly string[]).includes(named)
      ? (named as ModelKind)
      : Object.keys(header.tensors).some((name) => name.startsWith('conv1.'))
        ? 'cnn'
        : 'mlp';
  return loadSafetensors(file, makeDigitModel(kind, random.key(0)));
}
