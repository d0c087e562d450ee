/** `lion`: EvoLved Sign Momentum (Chen et al., 2023), as Optax's `lion`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import type { Mask } from '../transforms/masked.js';
import { scaleByLearningRate } from '../transforms/scale.js';
import { checkFinite } from '../transforms/trust-checks.js';
import { scaleByLion } from '../transforms/scale-by-lion.js';

/**
 * Options of {@link lion}.
 *
 * @example
 * ```ts
 * const options: LionOptions = { b1: 0.9, b2: 0.99, weightDecay: 1e-2 };
 * options.weightDecay; // 0.01
 * ```
 */
export interface LionOptions {
  /** How much of the momentum the signed direction mixes with the gradient. Default `0.9`. */
  b1?: number;
  /** Decay of the momentum. Default `0.99`. */
  b2?: number;
  /** Decoupled weight decay, multiplied by the learning rate. Default `1e-3`. */
  weightDecay?: number;
  /** Which params to decay (see {@link Mask}); default all. */
  mask?: Mask;
}

/**
 * The Lion optimiser (Optax's `lion`; Chen et al., 2023, "Symbolic Discovery of Optimization
 * Algorithms"): `params -= learningRate * (sign((1 - b1) * g + b1 * mu) + weightDecay * params)`,
 * then `mu = b2 * mu + (1 - b2) * g`. It keeps only the momentum (half of Adam's memory), and its
 * sign updates are larger than Adam's: take a learning rate 3-10x smaller than AdamW's and a weight
 * decay 3-10x larger. No TensorFlow.js equivalent.
 *
 * @example
 * ```ts
 * const optimiser = lion(0.1, { weightDecay: 0 });
 * const params = { w: numpy.array([1, 1]) };
 * const [updates] = optimiser.update({ w: numpy.array([0.5, -3]) }, optimiser.init(params), params);
 * updates.w.tolist(); // [-0.10000000149011612, 0.10000000149011612]
 * ```
 */
export function lion(
  learningRate: ScalarOrSchedule,
  options: LionOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('lion', 'learningRate', learningRate);
  const { b1 = 0.9, b2 = 0.99, weightDecay = 1e-3, mask } = options;
  checkFinite('lion', 'weightDecay', weightDecay);
  return chain(
    scaleByLion({ b1, b2 }),
    addDecayedWeights(weightDecay, mask === undefined ? {} : { mask }),
    scaleByLearningRate(learningRate),
  );
}
