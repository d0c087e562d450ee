/** `lars`: layer-wise adaptive rate scaling (You et al., 2017), as Optax's `lars`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { type Mask, masked } from '../transforms/masked.js';
import { scaleByLearningRate } from '../transforms/scale.js';
import { checkFinite, checkInRange } from '../transforms/trust-checks.js';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio.js';
import { trace } from '../transforms/trace.js';

/**
 * Options of {@link lars}.
 *
 * @example
 * ```ts
 * const options: LarsOptions = { weightDecay: 1e-4, trustRatioMask: { w: true, b: false } };
 * options.weightDecay; // 0.0001
 * ```
 */
export interface LarsOptions {
  /** Weight decay, added to the gradient before the trust ratio. Default `0`. */
  weightDecay?: number;
  /** Which params to decay (see {@link Mask}); default all. */
  weightDecayMask?: Mask;
  /** A multiplier on the trust ratio. Default `0.001`. */
  trustCoefficient?: number;
  /** Added to the update norm in the trust ratio. Default `0`. */
  eps?: number;
  /** Which params get the trust ratio (see {@link Mask}); default all. */
  trustRatioMask?: Mask;
  /** Momentum decay. Default `0.9`. */
  momentum?: number;
  /** Nesterov momentum. Default `false`. */
  nesterov?: boolean;
}

/**
 * The LARS optimiser (Optax's `lars`; You et al., 2017, "Large Batch Training of Convolutional
 * Networks"): `u = g + weightDecay * params`, scaled per leaf by
 * `trustCoefficient * ‖params‖ / (‖u‖ + eps)` (1 where either norm is zero, see
 * {@link scaleByTrustRatio}), times `-learningRate`, then momentum (see `trace`). Biases and norm
 * scales are usually left out of both the decay and the trust ratio with the masks. No
 * TensorFlow.js equivalent.
 *
 * @example
 * ```ts
 * // ‖p‖ = 5 and ‖g‖ = 10, so the trust ratio is 0.001 * 5 / 10 and the first step is
 * // -1 * 0.0005 * g (the momentum starts at 0).
 * const optimiser = lars(1);
 * const params = { w: numpy.array([3, 4]) };
 * const [updates] = optimiser.update({ w: numpy.array([6, 8]) }, optimiser.init(params), params);
 * updates.w.tolist().map((u) => Math.round(u * 1e6) / 1e6); // [-0.003, -0.004]
 * ```
 */
export function lars(
  learningRate: ScalarOrSchedule,
  options: LarsOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('lars', 'learningRate', learningRate);
  const {
    weightDecay = 0,
    weightDecayMask,
    trustCoefficient = 0.001,
    eps = 0,
    trustRatioMask,
    momentum = 0.9,
    nesterov = false,
  } = options;
  checkFinite('lars', 'weightDecay', weightDecay);
  checkInRange('lars', 'momentum', momentum, 0, 1);
  const trustRatio = scaleByTrustRatio({ trustCoefficient, eps });
  return chain(
    addDecayedWeights(weightDecay, weightDecayMask === undefined ? {} : { mask: weightDecayMask }),
    trustRatioMask === undefined ? trustRatio : masked(trustRatio, trustRatioMask),
    scaleByLearningRate(learningRate),
    trace({ decay: momentum, nesterov }),
  );
}
