/** `rmsprop`: RMSProp, plain or centered, with optional (Nesterov) momentum, as Optax's `rmsprop`. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain, identity } from '../transform.js';
import { checkNumber } from '../transforms/adaptive-helpers.js';
import { type ScaleByRmsOptions, scaleByRms } from '../transforms/scale-by-rms.js';
import { scaleByStddev } from '../transforms/scale-by-stddev.js';
import { scaleByLearningRate } from '../transforms/scale.js';
import { trace } from '../transforms/trace.js';

/**
 * Options of {@link rmsprop}.
 *
 * @example
 * ```ts
 * const options: RmspropOptions = { decay: 0.9, centered: true, momentum: 0.9 };
 * ```
 */
export interface RmspropOptions extends ScaleByRmsOptions {
  /** Divide by the gradients' standard deviation rather than their RMS (Graves, 2013). Default `false`. */
  centered?: boolean;
  /** Momentum decay, applied after the learning rate (see {@link trace}); none by default. */
  momentum?: number;
  /** Nesterov momentum. Default `false`. */
  nesterov?: boolean;
}

/**
 * RMSProp (Optax's `rmsprop`; Tieleman and Hinton, 2012): `nu = decay nu + (1 - decay) g^2`,
 * `step = learningRate * g / sqrt(nu + eps)`; `centered` subtracts the squared mean gradient from
 * `nu` ({@link scaleByStddev}); `momentum` keeps `m = step + momentum * m` and moves by `m`
 * (Nesterov: `step + momentum * m`). Defaults `decay = 0.9`, `eps = 1e-8` (inside the square root),
 * `initialScale = 0`. TensorFlow.js users: `tf.train.rmsprop` (its `epsilon` is added inside the
 * square root too).
 *
 * @example
 * ```ts
 * // nu = 0.1 * 5^2 = 2.5: -0.1 * 5 / sqrt(2.5)
 * const optimiser = rmsprop(0.1);
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([5]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e4) / 1e4; // -0.3162
 * ```
 */
export function rmsprop(
  learningRate: ScalarOrSchedule,
  options: RmspropOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('rmsprop', 'learningRate', learningRate);
  const { centered = false, momentum, nesterov = false, ...rmsOptions } = options;
  if (momentum !== undefined) checkNumber('rmsprop', 'momentum', momentum);
  return chain(
    centered ? scaleByStddev(rmsOptions) : scaleByRms(rmsOptions),
    scaleByLearningRate(learningRate),
    momentum === undefined ? identity() : trace({ decay: momentum, nesterov }),
  );
}
