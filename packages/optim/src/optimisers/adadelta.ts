/** `adadelta`: Adadelta, as Optax's `adadelta`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain, identity } from '../transform.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { checkNumber } from '../transforms/adaptive-helpers.js';
import type { Mask } from '../transforms/masked.js';
import { type ScaleByAdadeltaOptions, scaleByAdadelta } from '../transforms/scale-by-adadelta.js';
import { scaleByLearningRate } from '../transforms/scale.js';

/**
 * Options of {@link adadelta}.
 *
 * @example
 * ```ts
 * const options: AdadeltaOptions = { rho: 0.95, weightDecay: 1e-4, weightDecayMask: { w: true } };
 * ```
 */
export interface AdadeltaOptions extends ScaleByAdadeltaOptions {
  /** Weight decay added to the gradient before Adadelta's rescaling. Default `0`. */
  weightDecay?: number;
  /** Which params to decay (see {@link Mask}). Default all. */
  weightDecayMask?: Mask;
}

/**
 * Adadelta (Optax's `adadelta`; Zeiler, 2012): `weightDecay * params` added to the gradient, then
 * {@link scaleByAdadelta}, then the learning rate. The paper's method has no learning rate, which is
 * `learningRate = 1`, the default here. Defaults `rho = 0.9`, `eps = 1e-6`, `weightDecay = 0`.
 * TensorFlow.js users: `tf.train.adadelta` (whose defaults are `learningRate = 0.001`, `rho = 0.95`).
 *
 * @example
 * ```ts
 * // First step: sqrt(0 + eps) / sqrt(0.1 * 1 + eps) * 1 = sqrt(1e-6 / 0.100001)
 * const optimiser = adadelta();
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([1]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e6) / 1e6; // -0.003162
 * ```
 */
export function adadelta(
  learningRate: ScalarOrSchedule = 1,
  options: AdadeltaOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('adadelta', 'learningRate', learningRate);
  const { weightDecay = 0, weightDecayMask, ...adadeltaOptions } = options;
  checkNumber('adadelta', 'weightDecay', weightDecay);
  // Without decay there is no need for the params in `update`.
  const decay =
    weightDecay === 0
      ? identity()
      : addDecayedWeights(
          weightDecay,
          weightDecayMask === undefined ? {} : { mask: weightDecayMask },
        );
  return chain(decay, scaleByAdadelta(adadeltaOptions), scaleByLearningRate(learningRate));
}
