/** The network: Equinox's MNIST CNN in shape (convolutions, pooling, an MLP head), a bit wider. */
import { Module, jax, nn, random, type Tensor } from 'equinox-ts';

/**
 * MNIST's pixel mean and standard deviation (those of this package's digits agree to three places):
 * the network sees inputs of mean 0 and variance 1, which trains faster than mostly-zero pixels.
 */
const PIXEL_MEAN = 0.1307;
const PIXEL_STD = 0.3081;

/**
 * conv 5x5 (1 -> 16) relu, max-pool 2x2, conv 5x5 (16 -> 32) relu, max-pool 2x2, linear (512 -> 128)
 * relu, linear (128 -> 10). Like every Equinox layer it takes one example: `call(image)` maps a
 * `[1, 28, 28]` image of [0, 1] pixels to 10 logits; batch it with `jax.vmap(model.call)`.
 */
export class CNN extends Module {
  conv1: nn.Conv2d;
  conv2: nn.Conv2d;
  pool: nn.MaxPool2d;
  hidden: nn.Linear;
  output: nn.Linear;

  /** A network with fresh weights drawn from `key`. */
  constructor(key: Tensor) {
    super();
    const [k1, k2, k3, k4] = random.split(key, 4);
    this.conv1 = new nn.Conv2d(1, 16, 5, { key: k1! }); // 28x28 -> 24x24, pooled to 12x12
    this.conv2 = new nn.Conv2d(16, 32, 5, { key: k2! }); // 12x12 -> 8x8, pooled to 4x4
    this.pool = new nn.MaxPool2d(2, { stride: 2 });
    this.hidden = new nn.Linear(32 * 4 * 4, 128, { key: k3! });
    this.output = new nn.Linear(128, 10, { key: k4! });
  }

  /** The logits of one `[1, 28, 28]` image. */
  call(image: Tensor): Tensor {
    const x = image.sub(PIXEL_MEAN).div(PIXEL_STD);
    const h1 = this.pool.call(jax.nn.relu(this.conv1.call(x)));
    const h2 = this.pool.call(jax.nn.relu(this.conv2.call(h1)));
    const h3 = jax.nn.relu(this.hidden.call(h2.reshape([-1])));
    return this.output.call(h3);
  }
}
