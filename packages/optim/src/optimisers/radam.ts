/** `radam`: Rectified Adam, as Optax's `radam`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { type ScaleByRadamOptions, scaleByRadam } from '../transforms/scale-by-radam.js';
import { scaleByLearningRate } from '../transforms/scale.js';

/**
 * Rectified Adam (Optax's `radam`; Liu et al., 2020): {@link scaleByRadam} then the learning rate.
 * Early on, while the second moment rests on too few gradients (`rho < threshold`), the step is
 * bias-corrected momentum (SGD with momentum); afterwards it is Adam's step times the rectification
 * factor `r`, which grows towards 1. A built-in warm-up. Defaults as {@link adam}, `threshold = 5`.
 * TensorFlow.js has no RAdam.
 *
 * @example
 * ```ts
 * // Step 1 is before the threshold: -learningRate * muHat = -0.1 * 3.
 * const optimiser = radam(0.1);
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([3]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e4) / 1e4; // -0.3
 * ```
 */
export function radam(
  learningRate: ScalarOrSchedule,
  options: ScaleByRadamOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('radam', 'learningRate', learningRate);
  return chain(scaleByRadam(options), scaleByLearningRate(learningRate));
}
