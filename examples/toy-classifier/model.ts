/**
 * The classifier's architecture, in one place: the toy-classifier example trains it and the predict
 * example builds the same skeleton to load the saved weights into.
 */
import { jax, jnp, nn, type Tensor } from 'equinox-ts';

/** The classifier: an MLP from a point `[2]` to the logits of the two classes `[2]`. */
export type Classifier = nn.MLP;

/** Hidden units per layer and number of hidden layers. */
export const WIDTH = 32;
export const DEPTH = 2;

/**
 * A fresh classifier, its weights drawn from `key`. To load a checkpoint, build one with any key and
 * pass it to `loadSafetensors(path, model)`.
 *
 * @example
 * ```ts
 * makeClassifier(random.key(0)).call(jnp.zeros([2])).shape; // [2]
 * ```
 */
export function makeClassifier(key: Tensor): Classifier {
  return new nn.MLP(2, 2, WIDTH, DEPTH, { key, activation: jax.nn.tanh });
}

/**
 * The probability of each class for a batch of points `[n, 2]`: `[n, 2]`, rows summing to 1.
 *
 * @example
 * ```ts
 * classProbabilities(makeClassifier(random.key(0)), jnp.zeros([3, 2])).shape; // [3, 2]
 * ```
 */
export function classProbabilities(model: Classifier, points: Tensor): Tensor {
  return jax.nn.softmax(jax.vmap(model.call)(points), { axis: -1 });
}

/**
 * The fraction of `points` whose most likely class is their label.
 *
 * @example
 * ```ts
 * await accuracy(model, points, labels); // between 0 and 1
 * ```
 */
export async function accuracy(model: Classifier, points: Tensor, labels: Tensor): Promise<number> {
  const predicted = jnp.argmax(jax.vmap(model.call)(points), { axis: -1 });
  const [fraction] = await jnp.mean(predicted.eq(labels)).data();
  return fraction!;
}
