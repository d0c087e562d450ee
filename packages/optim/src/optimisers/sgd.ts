/** `sgd`: stochastic gradient descent with optional (Nesterov) momentum, as Optax's `sgd`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain, identity } from '../transform.js';
import { scaleByLearningRate } from '../transforms/scale.js';
import { trace } from '../transforms/trace.js';

/**
 * Options of {@link sgd}.
 *
 * @example
 * ```ts
 * const options: SgdOptions = { momentum: 0.9, nesterov: true };
 * ```
 */
export interface SgdOptions {
  /** Momentum decay (see {@link trace}); none by default. */
  momentum?: number;
  /** Nesterov momentum. Default `false`. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent (Optax's `sgd`): `params -= learningRate * g`, or with momentum `m = g +
 * momentum * m; params -= learningRate * m` (Nesterov: `params -= learningRate * (g + momentum * m)`).
 * `learningRate` is a number or a schedule. TensorFlow.js users: `tf.train.sgd` and
 * `tf.train.momentum`.
 *
 * @example
 * ```ts
 * const optimiser = sgd(0.1, { momentum: 0.9 });
 * let params = { w: numpy.array([1]) };
 * let state = optimiser.init(params);
 * let updates;
 * [updates, state] = optimiser.update({ w: numpy.array([1]) }, state, params); // m = 1
 * [updates, state] = optimiser.update({ w: numpy.array([1]) }, state, params); // m = 1.9
 * updates.w.item(); // -0.1899999976158142
 * ```
 */
export function sgd(
  learningRate: ScalarOrSchedule,
  options: SgdOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('sgd', 'learningRate', learningRate);
  const { momentum, nesterov = false } = options;
  return chain(
    momentum === undefined ? identity() : trace({ decay: momentum, nesterov }),
    scaleByLearningRate(learningRate),
  );
}
