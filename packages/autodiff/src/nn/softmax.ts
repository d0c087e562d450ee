/**
 * softmax, logSoftmax and logsumexp over axes, each shifted by the maximum so that large inputs stay
 * finite. The shift is differentiated like everything else (there is no stop-gradient): its
 * contributions cancel, as the functions do not depend on it.
 */
import type { Tensor } from '../tensor.js';
import { TensorError, avalText } from '../core/errors.js';
import { cast } from '../primitives/elementwise.js';
import { asarrayFor, promoteOperands, type ArrayLike } from '../numpy/convert.js';
import { normalizeAxes } from '../numpy/axes.js';
import {
  divide,
  exp,
  isfinite,
  log,
  multiply,
  notEqual,
  subtract,
  add,
  where,
} from '../numpy/math.js';
import { max, sum } from '../numpy/reductions.js';
import { reshape } from '../numpy/shape.js';

/** Options of {@link softmax} and {@link logSoftmax}. */
export interface SoftmaxOptions {
  /** The axis or axes that sum to one: default -1 (the last); `null` for all of them. */
  axis?: number | readonly number[] | null;
}

/** `options.axis`, -1 when absent; `null` (all axes) is kept, as JAX does. */
const axisOrLast = (options: SoftmaxOptions) => (options.axis === undefined ? -1 : options.axis);

function floatWithAxes(
  op: string,
  x: ArrayLike,
  axis: number | readonly number[] | null | undefined,
): [Tensor, number[]] {
  const t = cast(asarrayFor(op, x), 'float32');
  const axes = normalizeAxes(op, axis, t.ndim);
  if (axes.some((a) => t.shape[a] === 0))
    throw new TensorError(op, `cannot reduce over an empty axis of ${avalText(t)}`);
  return [t, axes];
}

/**
 * `exp(x) / sum(exp(x))` along `axis`, computed as `exp(x - max(x))` normalised, so that large inputs
 * stay finite.
 *
 * @example
 * ```ts
 * nn.softmax(numpy.array([1000, 1000])).tolist(); // [0.5, 0.5]
 * nn.softmax(numpy.array([[0, 0], [1, 1]]), { axis: 0 }).tolist(); // [[0.2689414322376251, 0.2689414322376251], [0.7310585975646973, 0.7310585975646973]]
 * nn.softmax(numpy.array([[5, 5], [5, 5]]), { axis: null }).tolist(); // [[0.25, 0.25], [0.25, 0.25]]
 * ```
 */
export function softmax(x: ArrayLike, options: SoftmaxOptions = {}): Tensor {
  const [t, axes] = floatWithAxes('softmax', x, axisOrLast(options));
  const unnormalized = exp(subtract(t, max(t, { axis: axes, keepdims: true })));
  return divide(unnormalized, sum(unnormalized, { axis: axes, keepdims: true }));
}

/**
 * `log(softmax(x))` along `axis`, computed as `(x - max) - log(sum(exp(x - max)))`.
 *
 * @example
 * ```ts
 * nn.logSoftmax(numpy.array([1000, 1000])).tolist(); // [-0.6931471824645996, -0.6931471824645996]
 * nn.logSoftmax(numpy.array([[0, 0], [0, 0]]), { axis: null }).tolist(); // [[-1.3862943649291992, -1.3862943649291992], [-1.3862943649291992, -1.3862943649291992]]
 * ```
 */
export function logSoftmax(x: ArrayLike, options: SoftmaxOptions = {}): Tensor {
  const [t, axes] = floatWithAxes('logSoftmax', x, axisOrLast(options));
  const shifted = subtract(t, max(t, { axis: axes, keepdims: true }));
  return subtract(shifted, log(sum(exp(shifted), { axis: axes, keepdims: true })));
}

/** Options of {@link logsumexp}. */
export interface LogsumexpOptions {
  /** The axis or axes to reduce; all of them when absent. */
  axis?: number | readonly number[] | null;
  /** Keep reduced axes as length 1. */
  keepdims?: boolean;
  /** Weights: `log(sum(b * exp(x)))`, `b` broadcast against `x`; entries where `b` is 0 are left out. */
  b?: ArrayLike;
}

/**
 * `log(sum(exp(x)))` over `axis`, computed as `m + log(sum(exp(x - m)))` with `m` the maximum (0 where
 * the maximum is infinite), so that large inputs stay finite.
 *
 * @example
 * ```ts
 * nn.logsumexp(numpy.array([1000, 1000])).item(); // 1000.6931762695312
 * nn.logsumexp(numpy.array([[0, 0], [-Infinity, -Infinity]]), { axis: 1 }).tolist(); // [0.6931471824645996, -Infinity]
 * nn.logsumexp(numpy.array([1, 2]), { b: numpy.array([0, 2]) }).item(); // 2.6931471824645996
 * ```
 */
export function logsumexp(x: ArrayLike, options: LogsumexpOptions = {}): Tensor {
  let [t, axes] = floatWithAxes('logsumexp', x, options.axis);
  let weights: Tensor | undefined;
  if (options.b !== undefined) {
    const [a, b] = promoteOperands('logsumexp', [t, options.b], 'float32');
    // Where b is 0 the entry takes no part, not even in the maximum.
    t = where(notEqual(b!, 0), a!, -Infinity);
    weights = b!;
    axes = normalizeAxes('logsumexp', options.axis, t.ndim);
  }
  const largest = max(t, { axis: axes, keepdims: true });
  const shift = where(isfinite(largest), largest, 0);
  const terms = exp(subtract(t, shift));
  const total = sum(weights ? multiply(terms, weights) : terms, { axis: axes, keepdims: true });
  const out = add(log(total), shift);
  return options.keepdims
    ? out
    : reshape(
        out,
        out.shape.filter((_, d) => !axes.includes(d)),
      );
}
