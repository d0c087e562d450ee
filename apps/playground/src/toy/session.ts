/**
 * The 2D classifier: an MLP from a point to two logits, trained full-batch with Adam, and its class
 * probabilities over a grid of points for drawing the decision boundary.
 */
import { filterJit, isArray, jax, jnp, nn, optim, random, tree, type Tensor } from 'equinox-ts';
import { type ToyData, type ToyName, makeToyData } from '../data/toy-datasets.js';
import { type TrainStep, makeTrainStep } from '../train/step.js';

/** Points drawn per class. */
const PER_CLASS = 150;
const LEARNING_RATE = 0.01;
/** The square the boundary is drawn over: [-EXTENT, EXTENT]^2. */
export const EXTENT = 1.5;

type Classifier = nn.MLP;

function loss(model: Classifier, points: Tensor, labels: Tensor): Tensor {
  const logits = jax.vmap(model.call)(points);
  return jnp.mean(optim.softmaxCrossEntropyWithIntegerLabels(logits, labels));
}

/** The probability of class 1 at each point `[n, 2]`. */
const classOneProbability = filterJit((model: Classifier, points: Tensor): Tensor =>
  jax.nn.softmax(jax.vmap(model.call)(points), { axis: -1 }).get(':', 1),
);

export class ToySession {
  readonly data: ToyData;
  steps = 0;
  private model: Classifier;
  private optState: unknown;
  private readonly points: Tensor;
  private readonly labels: Tensor;
  private readonly trainStep: TrainStep<Classifier>;

  constructor(name: ToyName, seed = 0) {
    this.data = makeToyData(name, PER_CLASS, seed);
    const n = this.data.labels.length;
    this.points = jnp.array(this.data.points, { shape: [n, 2] });
    this.labels = jnp.array(this.data.labels, { dtype: 'int32' });
    // Two hidden layers of 32 tanh units: smooth boundaries that can wind around a spiral.
    this.model = new nn.MLP(2, 2, 32, 2, { key: random.key(seed), activation: jax.nn.tanh });
    const optimiser = optim.adam(LEARNING_RATE);
    this.optState = optimiser.init(tree.filter(this.model, isArray));
    this.trainStep = makeTrainStep(loss, optimiser);
  }

  /** One full-batch step; resolves to its loss. */
  async step(): Promise<number> {
    const [model, optState, value] = this.trainStep(
      this.model,
      this.optState,
      this.points,
      this.labels,
    );
    this.model = model;
    this.optState = optState;
    this.steps++;
    const [lossValue] = await value.data();
    value.dispose();
    return lossValue!;
  }

  /**
   * The probability of class 1 at the centres of a `size` x `size` grid over the drawn square, row by
   * row from the top, and the fraction of the training points classified correctly.
   */
  async probabilities(size: number): Promise<{ grid: Float32Array; accuracy: number }> {
    const coordinates = new Float32Array(2 * size * size);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const i = 2 * (row * size + col);
        coordinates[i] = EXTENT * (((col + 0.5) / size) * 2 - 1);
        coordinates[i + 1] = EXTENT * (1 - ((row + 0.5) / size) * 2);
      }
    }
    const gridPoints = jnp.array(coordinates, { shape: [size * size, 2] });
    const gridProbs = classOneProbability(this.model, gridPoints);
    const trainProbs = classOneProbability(this.model, this.points);
    const grid = Float32Array.from(await gridProbs.data());
    const train = await trainProbs.data();
    for (const t of [gridPoints, gridProbs, trainProbs]) t.dispose();
    let correct = 0;
    train.forEach((p, i) => {
      if (Number(p > 0.5) === this.data.labels[i]) correct++;
    });
    return { grid, accuracy: correct / train.length };
  }
}
