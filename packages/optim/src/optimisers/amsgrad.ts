/** `amsgrad`: Adam whose denominator never shrinks, as Optax's `amsgrad`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { type ScaleByAmsgradOptions, scaleByAmsgrad } from '../transforms/scale-by-amsgrad.js';
import { scaleByLearningRate } from '../transforms/scale.js';

/**
 * AMSGrad (Optax's `amsgrad`; Reddi et al., 2018): {@link scaleByAmsgrad} then the learning rate.
 * Adam, dividing by the largest bias-corrected second moment so far,
 * `params -= learningRate * muHat / (sqrt(max(nuHat_1..t) + epsRoot) + eps)`, which restores Adam's
 * convergence guarantee. Defaults as {@link adam}. TensorFlow.js has no AMSGrad.
 *
 * @example
 * ```ts
 * const optimiser = amsgrad(0.1);
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([3]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e4) / 1e4; // -0.1
 * ```
 */
export function amsgrad(
  learningRate: ScalarOrSchedule,
  options: ScaleByAmsgradOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('amsgrad', 'learningRate', learningRate);
  return chain(scaleByAmsgrad(options), scaleByLearningRate(learningRate));
}
