/** `adagrad`: Adagrad, as Optax's `adagrad`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { type ScaleByRssOptions, scaleByRss } from '../transforms/scale-by-rss.js';
import { scaleByLearningRate } from '../transforms/scale.js';

/**
 * Adagrad (Optax's `adagrad`; Duchi et al., 2011): {@link scaleByRss} then the learning rate,
 * `sumOfSquares += g^2`, `params -= learningRate * g / sqrt(sumOfSquares + eps)`. Each param's step
 * shrinks as its gradients accumulate, which suits sparse features and eventually stalls dense ones.
 * Defaults `initialAccumulatorValue = 0.1`, `eps = 1e-7`. TensorFlow.js users: `tf.train.adagrad`
 * (same default initial accumulator).
 *
 * @example
 * ```ts
 * // sumOfSquares = 0.1 + 0.3^2 = 0.19: -0.1 * 0.3 / sqrt(0.19 + 1e-7)
 * const optimiser = adagrad(0.1);
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([0.3]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e4) / 1e4; // -0.0688
 * ```
 */
export function adagrad(
  learningRate: ScalarOrSchedule,
  options: ScaleByRssOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('adagrad', 'learningRate', learningRate);
  return chain(scaleByRss(options), scaleByLearningRate(learningRate));
}
