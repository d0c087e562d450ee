/** `lamb`: layer-wise adaptive moments for large batches (You et al., 2019), as Optax's `lamb`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import type { Mask } from '../transforms/masked.js';
import { scaleByLearningRate } from '../transforms/scale.js';
import { checkFinite } from '../transforms/trust-checks.js';
import { scaleByAdam } from '../transforms/scale-by-adam.js';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio.js';

/**
 * Options of {@link lamb}.
 *
 * @example
 * ```ts
 * const options: LambOptions = { weightDecay: 0.01, mask: { w: true, b: false } };
 * options.weightDecay; // 0.01
 * ```
 */
export interface LambOptions {
  /** Decay of the moving average of the gradients. Default `0.9`. */
  b1?: number;
  /** Decay of the moving average of the squared gradients. Default `0.999`. */
  b2?: number;
  /** Added to the denominator, outside the square root. Default `1e-6`. */
  eps?: number;
  /** Added to the second moment inside the square root. Default `0`. */
  epsRoot?: number;
  /** Weight decay, added to Adam's direction before the trust ratio. Default `0`. */
  weightDecay?: number;
  /** Which params to decay (see {@link Mask}); default all. */
  mask?: Mask;
}

/**
 * The LAMB optimiser (Optax's `lamb`; You et al., 2019, "Large Batch Optimization for Deep
 * Learning"): Adam's direction `r` (see `scaleByAdam`) plus `weightDecay * params`, rescaled per
 * leaf by the trust ratio `‖params‖ / ‖r + weightDecay * params‖` (1 where either norm is zero, see
 * {@link scaleByTrustRatio}), times `-learningRate`. Each layer thus moves by about
 * `learningRate * ‖params‖`, whatever its gradients' scale. No TensorFlow.js equivalent.
 *
 * @example
 * ```ts
 * // One step on a leaf with ‖p‖ = 5: Adam's first direction is sign(g) = [1, 1] (norm √2), so the
 * // step has norm learningRate * 5.
 * const optimiser = lamb(0.1);
 * const params = { w: numpy.array([3, 4]) };
 * const [updates] = optimiser.update({ w: numpy.array([2, 2]) }, optimiser.init(params), params);
 * updates.w.tolist().map((u) => Math.round(u * 1e4) / 1e4); // [-0.3536, -0.3536]
 * ```
 */
export function lamb(
  learningRate: ScalarOrSchedule,
  options: LambOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('lamb', 'learningRate', learningRate);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-6, epsRoot = 0, weightDecay = 0, mask } = options;
  checkFinite('lamb', 'weightDecay', weightDecay);
  return chain(
    scaleByAdam({ b1, b2, eps, epsRoot }),
    addDecayedWeights(weightDecay, mask === undefined ? {} : { mask }),
    scaleByTrustRatio(),
    scaleByLearningRate(learningRate),
  );
}
