/** Regression losses, element by element: squared error, the L2 loss and the Huber loss, as Optax's. */
import type { Tensor } from '@equinox-ts/autodiff';
import { checkNumber, checkSameShape, tensorArg } from './checks.js';

/** `predictions - targets` (or `predictions` alone), after checking dtypes and shapes. */
function errors(op: string, predictions: Tensor, targets: Tensor | undefined): Tensor {
  const p = tensorArg(op, 'predictions', predictions, ['float32']);
  if (targets === undefined) return p;
  const t = tensorArg(op, 'targets', targets, ['float32']);
  checkSameShape(op, p, 'predictions', t, 'targets');
  return p.sub(t);
}

/**
 * `(predictions - targets)²`, element by element (Optax's `squared_error`); without `targets`,
 * `predictions²`. `targets` must have exactly the shape of `predictions` (no broadcasting, as in
 * Optax). Its mean is the mean squared error. TensorFlow.js users: `tf.losses.meanSquaredError`
 * without its reduction.
 *
 * @example
 * ```ts
 * squaredError(numpy.array([1, 2, 3]), numpy.array([1, 0, 4])).tolist(); // [0, 4, 1]
 * squaredError(numpy.array([3])).tolist(); // [9]
 * ```
 */
export function squaredError(predictions: Tensor, targets?: Tensor): Tensor {
  return errors('squaredError', predictions, targets).square();
}

/**
 * Half the squared error, `0.5 * (predictions - targets)²`, element by element (Optax's `l2_loss`):
 * the 0.5 makes its gradient the plain error. Same shape rules as {@link squaredError}.
 *
 * @example
 * ```ts
 * l2Loss(numpy.array([1, 2, 3]), numpy.array([1, 0, 4])).tolist(); // [0, 2, 0.5]
 * ```
 */
export function l2Loss(predictions: Tensor, targets?: Tensor): Tensor {
  return errors('l2Loss', predictions, targets).square().mul(0.5);
}

/**
 * Options of {@link huberLoss}.
 *
 * @example
 * ```ts
 * const options: HuberLossOptions = { delta: 0.5 };
 * ```
 */
export interface HuberLossOptions {
  /** Where the loss turns from quadratic to linear: a number > 0. Default 1. */
  delta?: number;
}

/**
 * The Huber loss, element by element (Optax's `huber_loss`): with `e = predictions - targets`,
 * `0.5 * e²` where `|e| <= delta`, else `0.5 * delta² + delta * (|e| - delta)`. Its gradient is the
 * error clipped to `[-delta, delta]`. `targets` must have exactly the shape of `predictions` (Optax
 * broadcasts here; we refuse, as for {@link squaredError}). TensorFlow.js users: `tf.losses.huberLoss`
 * without its reduction.
 *
 * @example
 * ```ts
 * huberLoss(numpy.array([0.5, 3, -3]), numpy.zeros([3])).tolist(); // [0.125, 2.5, 2.5]
 * huberLoss(numpy.array([3]), undefined, { delta: 2 }).tolist(); // [4]
 * ```
 */
export function huberLoss(
  predictions: Tensor,
  targets?: Tensor,
  options: HuberLossOptions = {},
): Tensor {
  const delta = checkNumber('huberLoss', 'delta', options.delta ?? 1, 0, true);
  const absErrors = errors('huberLoss', predictions, targets).abs();
  // Split |e| into a part up to delta and the rest, so the linear part never squares a large error.
  const quadratic = absErrors.clip(null, delta);
  const linear = absErrors.sub(quadratic);
  return quadratic.square().mul(0.5).add(linear.mul(delta));
}
