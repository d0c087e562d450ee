/** `adamax`: Adam with the infinity norm, as Optax's `adamax`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { type ScaleByAdamaxOptions, scaleByAdamax } from '../transforms/scale-by-adamax.js';
import { scaleByLearningRate } from '../transforms/scale.js';

/**
 * Adamax (Optax's `adamax`; Kingma and Ba, 2014, section 7.1): {@link scaleByAdamax} then the learning
 * rate. `mu = b1 mu + (1 - b1) g`, `nu = max(b2 nu, |g| + eps)`,
 * `params -= learningRate * mu / ((1 - b1^t) nu)`. Defaults `b1 = 0.9`, `b2 = 0.999`, `eps = 1e-8`.
 * TensorFlow.js users: `tf.train.adamax`.
 *
 * @example
 * ```ts
 * const optimiser = adamax(0.1);
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([-4]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e4) / 1e4; // 0.1
 * ```
 */
export function adamax(
  learningRate: ScalarOrSchedule,
  options: ScaleByAdamaxOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('adamax', 'learningRate', learningRate);
  return chain(scaleByAdamax(options), scaleByLearningRate(learningRate));
}
