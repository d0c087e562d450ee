/** Smooth activations: sigmoid and its relatives, softplus, softSign, silu and gelu. */
import type { Tensor } from '../tensor.js';
import { scalarLike } from '../primitives/constants.js';
import { binary, cast, unary } from '../primitives/elementwise.js';
import { asarrayFor, type ArrayLike } from '../numpy/convert.js';

/** `x` as float32, as jax.nn's smooth functions take it. */
/** `x` as a float32 tensor; a value that is not array-like is an error naming `op`. */
const float = (op: string, x: ArrayLike): Tensor => cast(asarrayFor(op, x), 'float32');
const k = (like: Tensor, value: number): Tensor => scalarLike(like, value);
const add = (a: Tensor, b: Tensor) => binary('add', a, b);
const mul = (a: Tensor, b: Tensor) => binary('mul', a, b);
const div = (a: Tensor, b: Tensor) => binary('div', a, b);

/**
 * The logistic function `1 / (1 + exp(-x))`.
 *
 * @example
 * ```ts
 * nn.sigmoid(numpy.array([-Infinity, 0, Infinity])).tolist(); // [0, 0.5, 1]
 * ```
 */
export function sigmoid(x: ArrayLike): Tensor {
  return unary('sigmoid', float('sigmoid', x));
}

/**
 * `log(1 + exp(x))`, computed as `max(x, 0) + log1p(exp(-|x|))` so that it neither overflows for large
 * `x` nor loses precision for very negative `x`. Its derivative is `sigmoid(x)`.
 *
 * @example
 * ```ts
 * nn.softplus(numpy.array([0, 1000, -1000])).tolist(); // [0.6931471824645996, 1000, 0]
 * ```
 */
export function softplus(x: ArrayLike): Tensor {
  const t = float('softplus', x);
  const tail = unary('log1p', unary('exp', unary('neg', unary('abs', t))));
  return add(binary('max', t, k(t, 0)), tail);
}

/**
 * `log(sigmoid(x))`, computed stably as `-softplus(-x)`.
 *
 * @example
 * ```ts
 * nn.logSigmoid(numpy.array([0, -1000])).tolist(); // [-0.6931471824645996, -1000]
 * ```
 */
export function logSigmoid(x: ArrayLike): Tensor {
  return unary('neg', softplus(unary('neg', float('logSigmoid', x))));
}

/**
 * `x / (|x| + 1)`.
 *
 * @example
 * ```ts
 * nn.softSign(numpy.array([-3, 0, 1])).tolist(); // [-0.75, 0, 0.5]
 * ```
 */
export function softSign(x: ArrayLike): Tensor {
  const t = float('softSign', x);
  return div(t, add(unary('abs', t), k(t, 1)));
}

/**
 * The sigmoid linear unit `x * sigmoid(x)` (also called swish).
 *
 * @example
 * ```ts
 * nn.silu(numpy.array([0, Infinity])).tolist(); // [0, Infinity]
 * ```
 */
export function silu(x: ArrayLike): Tensor {
  return siluFor('silu', x);
}

/** `x * sigmoid(x)`, with errors naming `op` (`silu` or its other name `swish`). */
function siluFor(op: string, x: ArrayLike): Tensor {
  const t = float(op, x);
  return mul(t, unary('sigmoid', t));
}

/**
 * Another name of {@link silu}, as in JAX.
 *
 * @example
 * ```ts
 * nn.swish(numpy.array([0])).tolist(); // [0]
 * ```
 */
export function swish(x: ArrayLike): Tensor {
  return siluFor('swish', x);
}

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** Use the tanh approximation (default true, as in JAX); false for the exact form with erf. */
  approximate?: boolean;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * The Gaussian error linear unit `x * Φ(x)`, Φ the standard normal CDF. By default the tanh
 * approximation `x * (1 + tanh(sqrt(2/π) (x + 0.044715 x³))) / 2`, as in JAX; with
 * `approximate: false`, the exact `x * (1 + erf(x / √2)) / 2`.
 *
 * @example
 * ```ts
 * nn.gelu(numpy.array([1])).tolist(); // [0.8411920070648193]
 * nn.gelu(numpy.array([-Infinity, 0, Infinity]), { approximate: false }).tolist(); // [NaN, 0, Infinity]
 * ```
 */
export function gelu(x: ArrayLike, options: GeluOptions = {}): Tensor {
  const t = float('gelu', x);
  if (options.approximate ?? true) {
    const cubic = mul(k(t, 0.044715), mul(mul(t, t), t));
    const cdf = mul(
      k(t, 0.5),
      add(k(t, 1), unary('tanh', mul(k(t, SQRT_2_OVER_PI), add(t, cubic)))),
    );
    return mul(t, cdf);
  }
  return div(mul(t, add(unary('erf', div(t, k(t, Math.SQRT2))), k(t, 1))), k(t, 2));
}
