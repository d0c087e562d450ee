/** `adam`, `nadam`, `adamw` and `nadamw`: Adam and its decoupled-weight-decay and Nesterov variants. */
import { type ScalarOrSchedule, checkScalarOrSchedule } from '../schedules/schedule.js';
import { type GradientTransformation, chain } from '../transform.js';
import { addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { checkNumber } from '../transforms/adaptive-helpers.js';
import type { Mask } from '../transforms/masked.js';
import { type ScaleByAdamOptions, scaleByAdam } from '../transforms/scale-by-adam.js';
import { scaleByLearningRate } from '../transforms/scale.js';

/**
 * Adam (Optax's `adam`; Kingma and Ba, 2014): {@link scaleByAdam} then the learning rate. With `t`
 * the step from 1: `mu = b1 mu + (1 - b1) g`, `nu = b2 nu + (1 - b2) g^2`,
 * `params -= learningRate * muHat / (sqrt(nuHat + epsRoot) + eps)`, where `muHat = mu / (1 - b1^t)`
 * and `nuHat = nu / (1 - b2^t)`. Defaults `b1 = 0.9`, `b2 = 0.999`, `eps = 1e-8`, `epsRoot = 0`;
 * `nesterov: true` is {@link nadam}. TensorFlow.js users: `tf.train.adam`.
 *
 * @example
 * ```ts
 * // Adam's first step moves every param by about the learning rate, whatever the gradient's size.
 * const optimiser = adam(0.1);
 * const params = { w: numpy.array([1, 1]) };
 * const [updates] = optimiser.update({ w: numpy.array([0.01, 100]) }, optimiser.init(params), params);
 * updates.w.tolist().map((u) => Math.round(u * 1e4) / 1e4); // [-0.1, -0.1]
 * ```
 */
export function adam(
  learningRate: ScalarOrSchedule,
  options: ScaleByAdamOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('adam', 'learningRate', learningRate);
  return chain(scaleByAdam(options), scaleByLearningRate(learningRate));
}

/**
 * Options of {@link nadam}: Adam's, Nesterov momentum being implied.
 *
 * @example
 * ```ts
 * const options: NadamOptions = { b1: 0.9, b2: 0.999 };
 * ```
 */
export type NadamOptions = Omit<ScaleByAdamOptions, 'nesterov'>;

/**
 * NAdam (Optax's `nadam`; Dozat, 2016): Adam with Nesterov momentum, `adam(learningRate, { ...options,
 * nesterov: true })`. The first moment looks one step ahead:
 * `muHat = b1 mu / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)`. TensorFlow.js has no NAdam.
 *
 * @example
 * ```ts
 * const optimiser = nadam(0.1);
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([2]) }, optimiser.init(params), params);
 * // muHat = 0.9 * 0.2 / (1 - 0.81) + 0.1 * 2 / 0.1 = 2.947..., nuHat = 4: -0.1 * 2.947 / 2
 * Math.round(updates.w.item() * 1e4) / 1e4; // -0.1474
 * ```
 */
export function nadam(
  learningRate: ScalarOrSchedule,
  options: NadamOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('nadam', 'learningRate', learningRate);
  return chain(scaleByAdam({ ...options, nesterov: true }), scaleByLearningRate(learningRate));
}

/**
 * Options of {@link adamw}: Adam's, and the decoupled weight decay.
 *
 * @example
 * ```ts
 * // Decay matrices only, not biases or norm scales.
 * const options: AdamwOptions = {
 *   weightDecay: 0.01,
 *   mask: (params) => tree.map((p: Tensor) => p.ndim > 1, params),
 * };
 * ```
 */
export interface AdamwOptions extends ScaleByAdamOptions {
  /** The decay's strength, multiplied by the learning rate (as PyTorch does). Default `1e-4`. */
  weightDecay?: number;
  /** Which params to decay (see {@link Mask}); Adam itself still updates them all. Default all. */
  mask?: Mask;
}

/**
 * AdamW (Optax's `adamw`; Loshchilov and Hutter, 2019): Adam with decoupled weight decay,
 * `params -= learningRate * (adamUpdate + weightDecay * params)`. The decay is not part of the
 * gradient, so Adam's rescaling does not weaken it (as L2 regularisation in the loss would be).
 * Default `weightDecay = 1e-4`; `mask` skips params (biases, norm scales). TensorFlow.js has no AdamW.
 *
 * @example
 * ```ts
 * // With a zero gradient Adam's part is 0, so only the decay moves w (b is masked out).
 * const optimiser = adamw(0.5, { weightDecay: 0.1, mask: { w: true, b: false } });
 * const params = { w: numpy.array([2]), b: numpy.array([2]) };
 * const grads = { w: numpy.zeros([1]), b: numpy.zeros([1]) };
 * const [updates] = optimiser.update(grads, optimiser.init(params), params);
 * const next = applyUpdates(params, updates); // w: 2 - 0.5 * 0.1 * 2
 * [next.w.item(), next.b.item()]; // [1.899999976158142, 2]
 * ```
 */
export function adamw(
  learningRate: ScalarOrSchedule,
  options: AdamwOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('adamw', 'learningRate', learningRate);
  const { weightDecay = 1e-4, mask, ...adamOptions } = options;
  checkNumber('adamw', 'weightDecay', weightDecay);
  return chain(
    scaleByAdam(adamOptions),
    addDecayedWeights(weightDecay, mask === undefined ? {} : { mask }),
    scaleByLearningRate(learningRate),
  );
}

/**
 * Options of {@link nadamw}: AdamW's, Nesterov momentum being implied.
 *
 * @example
 * ```ts
 * const options: NadamwOptions = { weightDecay: 0.01 };
 * ```
 */
export type NadamwOptions = Omit<AdamwOptions, 'nesterov'>;

/**
 * NAdamW (Optax's `nadamw`): {@link adamw} with Nesterov momentum, as {@link nadam} is to {@link adam}.
 *
 * @example
 * ```ts
 * const optimiser = nadamw(0.1, { weightDecay: 0 });
 * const params = { w: numpy.array([1]) };
 * const [updates] = optimiser.update({ w: numpy.array([2]) }, optimiser.init(params), params);
 * Math.round(updates.w.item() * 1e4) / 1e4; // -0.1474
 * ```
 */
export function nadamw(
  learningRate: ScalarOrSchedule,
  options: NadamwOptions = {},
): GradientTransformation {
  checkScalarOrSchedule('nadamw', 'learningRate', learningRate);
  return adamw(learningRate, { ...options, nesterov: true });
}
