/**
 * The two digit classifiers the playground trains. Like every Equinox layer they take one example, a
 * flat `[784]` image of pixels in [0, 1], and return 10 logits; `jax.vmap(model.call)` batches them.
 */
import { Module, jax, nn, random, type Tensor } from 'equinox-ts';

/** The model choices of the MNIST panel. */
export type ModelKind = 'mlp' | 'cnn';

/** The names the panel and saved files use for each kind. */
export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'cnn'];

// MNIST's pixel mean and standard deviation: inputs of mean 0 and variance 1 train faster than mostly-zero
// pixels.
const PIXEL_MEAN = 0.1307;
const PIXEL_STD = 0.3081;

const standardise = (image: Tensor): Tensor => image.sub(PIXEL_MEAN).div(PIXEL_STD);

/** A multilayer perceptron: 784 → 128 (ReLU) → 10. Fast everywhere; about 97% after a few epochs. */
export class DigitMLP extends Module {
  mlp: nn.MLP;

  constructor(key: Tensor) {
    super();
    this.mlp = new nn.MLP(784, 10, 128, 1, { key });
  }

  call(image: Tensor): Tensor {
    return this.mlp.call(standardise(image));
  }
}

/**
 * A small convolutional network, Equinox's MNIST CNN in shape: conv 5x5 (1 → 8), ReLU, max-pool 2x2,
 * conv 5x5 (8 → 16), ReLU, max-pool 2x2, linear 256 → 64 (ReLU) → 10. Slower per step than the MLP but
 * more accurate.
 */
export class DigitCNN extends Module {
  conv1: nn.Conv2d;
  conv2: nn.Conv2d;
  pool: nn.MaxPool2d;
  hidden: nn.Linear;
  output: nn.Linear;

  constructor(key: Tensor) {
    super();
    const [k1, k2, k3, k4] = random.split(key, 4);
    this.conv1 = new nn.Conv2d(1, 8, 5, { key: k1! }); // 28x28 -> 24x24, pooled to 12x12
    this.conv2 = new nn.Conv2d(8, 16, 5, { key: k2! }); // 12x12 -> 8x8, pooled to 4x4
    this.pool = new nn.MaxPool2d(2, { stride: 2 });
    this.hidden = new nn.Linear(16 * 4 * 4, 64, { key: k3! });
    this.output = new nn.Linear(64, 10, { key: k4! });
  }

  call(image: Tensor): Tensor {
    const x = standardise(image).reshape([1, 28, 28]);
    const h1 = this.pool.call(jax.nn.relu(this.conv1.call(x)));
    const h2 = this.pool.call(jax.nn.relu(this.conv2.call(h1)));
    return this.output.call(jax.nn.relu(this.hidden.call(h2.reshape([-1]))));
  }
}

/** Either classifier. */
export type DigitModel = DigitMLP | DigitCNN;

/** A fresh model of `kind`, its weights drawn from `key`. */
export function makeDigitModel(kind: ModelKind, key: Tensor): DigitModel {
  return kind === 'cnn' ? new DigitCNN(key) : new DigitMLP(key);
}

/** The kind of a model. */
export const kindOf = (model: DigitModel): ModelKind => (model instanceof DigitCNN ? 'cnn' : 'mlp');
