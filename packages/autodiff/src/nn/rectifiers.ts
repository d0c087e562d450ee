/**
 * Piecewise-linear activations and their exponential relatives (relu, leakyRelu, hardTanh, elu, ...),
 * with JAX's derivatives at the kinks: relu'(0) = 0, relu6'(6) = 0, hardTanh'(±1) = 1, leakyRelu'(0) = 1.
 * Each is a `where` between branches, so the kink's derivative is the branch's; NaN passes through.
 */
import type { Tensor } from '../tensor.js';
import { asarrayFor, type ArrayLike } from '../numpy/convert.js';
import {
  add,
  divide,
  expm1,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  multiply,
  where,
} from '../numpy/math.js';

/**
 * The rectified linear unit `max(x, 0)`; its derivative at 0 is 0, as in JAX.
 *
 * @example
 * ```ts
 * nn.relu(numpy.array([-2, 0, 3])).tolist(); // [0, 0, 3]
 * grad((x: Tensor) => nn.relu(x).sum())(numpy.array([-1, 0, 1])).tolist(); // [0, 0, 1]
 * ```
 */
export function relu(x: ArrayLike): Tensor {
  const t = asarrayFor('relu', x);
  return where(lessEqual(t, 0), 0, t);
}

/**
 * `min(max(x, 0), 6)`; its derivative is 0 at both 0 and 6, as in JAX.
 *
 * @example
 * ```ts
 * nn.relu6(numpy.array([-1, 3, 8])).tolist(); // [0, 3, 6]
 * ```
 */
export function relu6(x: ArrayLike): Tensor {
  const t = asarrayFor('relu6', x);
  return where(lessEqual(t, 0), 0, where(greaterEqual(t, 6), 6, t));
}

/** Options of {@link leakyRelu}. */
export interface LeakyReluOptions {
  /** The slope for negative inputs. Default 0.01. */
  negativeSlope?: number;
}

/**
 * `x` where `x >= 0`, else `negativeSlope * x`.
 *
 * @example
 * ```ts
 * nn.leakyRelu(numpy.array([-2, 3]), { negativeSlope: 0.5 }).tolist(); // [-1, 3]
 * ```
 */
export function leakyRelu(x: ArrayLike, options: LeakyReluOptions = {}): Tensor {
  const t = asarrayFor('leakyRelu', x);
  return where(greaterEqual(t, 0), t, multiply(t, options.negativeSlope ?? 0.01));
}

/**
 * `x` clipped to `[-1, 1]`; the derivative is 1 at ±1, as in JAX.
 *
 * @example
 * ```ts
 * nn.hardTanh(numpy.array([-3, 0.5, 2])).tolist(); // [-1, 0.5, 1]
 * ```
 */
export function hardTanh(x: ArrayLike): Tensor {
  const t = asarrayFor('hardTanh', x);
  return where(greater(t, 1), 1, where(less(t, -1), -1, t));
}

/**
 * `relu6(x + 3) / 6`: a piecewise-linear sigmoid.
 *
 * @example
 * ```ts
 * nn.hardSigmoid(numpy.array([-4, 0, 4])).tolist(); // [0, 0.5, 1]
 * ```
 */
export function hardSigmoid(x: ArrayLike): Tensor {
  return divide(relu6(add(asarrayFor('hardSigmoid', x), 3)), 6);
}

/**
 * `x * hardSigmoid(x)` (also called hard swish).
 *
 * @example
 * ```ts
 * nn.hardSilu(numpy.array([-1, 0, 3])).tolist(); // [-0.3333333432674408, 0, 3]
 * ```
 */
export function hardSilu(x: ArrayLike): Tensor {
  return hardSiluFor('hardSilu', x);
}

/** `x * hardSigmoid(x)`, with errors naming `op` (`hardSilu` or its other name `hardSwish`). */
function hardSiluFor(op: string, x: ArrayLike): Tensor {
  const t = asarrayFor(op, x);
  return multiply(t, hardSigmoid(t));
}

/**
 * Another name of {@link hardSilu}, as in JAX.
 *
 * @example
 * ```ts
 * nn.hardSwish(numpy.array([3])).tolist(); // [3]
 * ```
 */
export function hardSwish(x: ArrayLike): Tensor {
  return hardSiluFor('hardSwish', x);
}

/** Options of {@link elu} and {@link celu}. */
export interface EluOptions {
  /** The scale of the negative part. Default 1. */
  alpha?: number;
}

/**
 * The exponential linear unit: `x` where `x > 0`, else `alpha * (exp(x) - 1)`.
 *
 * @example
 * ```ts
 * nn.elu(numpy.array([0, 2])).tolist(); // [0, 2]
 * nn.elu(numpy.array([-Infinity]), { alpha: 2 }).tolist(); // [-2]
 * ```
 */
export function elu(x: ArrayLike, options: EluOptions = {}): Tensor {
  const t = asarrayFor('elu', x);
  const positive = greater(t, 0);
  // The exponential sees 0 where x > 0, so a large x never overflows it (nor its gradient).
  return where(positive, t, multiply(expm1(where(positive, 0, t)), options.alpha ?? 1));
}

/**
 * The continuously differentiable ELU: `max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`.
 *
 * @example
 * ```ts
 * nn.celu(numpy.array([-Infinity, 0, 2]), { alpha: 0.5 }).tolist(); // [-0.5, 0, 2]
 * ```
 */
export function celu(x: ArrayLike, options: EluOptions = {}): Tensor {
  const alpha = options.alpha ?? 1;
  const t = asarrayFor('celu', x);
  return add(maximum(t, 0), multiply(expm1(divide(minimum(t, 0), alpha)), alpha));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * The scaled ELU: `scale * elu(x, { alpha })` with the self-normalising constants
 * alpha ≈ 1.6733 and scale ≈ 1.0507.
 *
 * @example
 * ```ts
 * nn.selu(numpy.array([0, 1])).tolist(); // [0, 1.0507010221481323]
 * ```
 */
export function selu(x: ArrayLike): Tensor {
  return multiply(elu(asarrayFor('selu', x), { alpha: SELU_ALPHA }), SELU_SCALE);
}
