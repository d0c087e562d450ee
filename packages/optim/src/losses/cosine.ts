/** Cosine similarity and cosine distance between vectors along an axis, as Optax's. */
import type { Tensor } from '@equinox-ts/autodiff';
import { checkNumber, checkSameShape, lossAxes, tensorArg } from './checks.js';

/**
 * Options of {@link cosineSimilarity} and {@link cosineDistance}.
 *
 * @example
 * ```ts
 * const options: CosineOptions = { epsilon: 1e-12, axis: -1 };
 * ```
 */
export interface CosineOptions {
  /**
   * A floor on each vector's squared norm (so its norm is at least `sqrt(epsilon)`), as in Optax's
   * implementation: with `epsilon > 0` a zero vector has similarity 0 and finite gradients; with the
   * default 0 it gives NaN. A number >= 0.
   */
  epsilon?: number;
  /** The vector axis, or several axes together. Default -1 (the last). */
  axis?: number | readonly number[];
}

/**
 * The cosine of the angle between `predictions` and `targets` along the vector axis (Optax's
 * `cosine_similarity`): `sum(p * t) / (‖p‖ ‖t‖)`, each norm `sqrt(max(‖·‖², epsilon))`. Both are float32
 * of the same shape; the result has that shape without the vector axis.
 *
 * @example
 * ```ts
 * const p = numpy.array([[1, 0], [3, 4], [0, 0]]);
 * const t = numpy.array([[0, 2], [6, 8], [1, 0]]);
 * cosineSimilarity(p, t, { epsilon: 1e-6 }).tolist(); // [0, 1, 0]
 * ```
 */
export function cosineSimilarity(
  predictions: Tensor,
  targets: Tensor,
  options: CosineOptions = {},
): Tensor {
  return similarity('cosineSimilarity', predictions, targets, options);
}

/**
 * `1 - cosineSimilarity(predictions, targets)` (Optax's `cosine_distance`): 0 for vectors pointing the
 * same way, 2 for opposite ones. TensorFlow.js users: `tf.losses.cosineDistance` without its
 * reduction.
 *
 * @example
 * ```ts
 * cosineDistance(numpy.array([1, 1]), numpy.array([-2, -2])).item(); // 2
 * cosineDistance(numpy.array([0, 0]), numpy.array([1, 0]), { epsilon: 1e-6 }).item(); // 1
 * ```
 */
export function cosineDistance(
  predictions: Tensor,
  targets: Tensor,
  options: CosineOptions = {},
): Tensor {
  return similarity('cosineDistance', predictions, targets, options).neg().add(1);
}

function similarity(op: string, predictions: Tensor, targets: Tensor, options: CosineOptions) {
  const p = tensorArg(op, 'predictions', predictions, ['float32']);
  const t = tensorArg(op, 'targets', targets, ['float32']);
  checkSameShape(op, p, 'predictions', t, 'targets');
  const epsilon = checkNumber(op, 'epsilon', options.epsilon ?? 0, 0, false);
  const axes = lossAxes(op, options.axis, p.ndim);
  // Floor the squared norm before the square root: a zero vector then never differentiates sqrt at 0.
  const norm = (v: Tensor) => v.square().sum({ axis: axes, keepdims: true }).clip(epsilon).sqrt();
  return p
    .div(norm(p))
    .mul(t.div(norm(t)))
    .sum({ axis: axes });
}
