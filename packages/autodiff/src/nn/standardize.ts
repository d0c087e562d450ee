/** `standardize`: zero mean and unit variance along axes. */
import type { Tensor } from '../tensor.js';
import { cast, unary } from '../primitives/elementwise.js';
import { asarrayFor, type ArrayLike } from '../numpy/convert.js';
import { normalizeAxes } from '../numpy/axes.js';
import { add, multiply, square, subtract } from '../numpy/math.js';
import { mean as meanOf } from '../numpy/reductions.js';

/** Options of {@link standardize}. */
export interface StandardizeOptions {
  /** The axis or axes to normalise over (default -1, the last). */
  axis?: number | readonly number[] | null;
  /** A precomputed mean (broadcasting against `x`); computed over `axis` when absent. */
  mean?: ArrayLike;
  /** A precomputed variance; computed over `axis` as `mean(x²) - mean(x)²` (as JAX) when absent. */
  variance?: ArrayLike;
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
}

/**
 * `(x - mean) / sqrt(variance + epsilon)` with the mean and variance over `axis`.
 *
 * @example
 * ```ts
 * nn.standardize(numpy.array([1, 3]), { epsilon: 0 }).tolist(); // [-1, 1]
 * nn.standardize(numpy.array([[1, 5], [3, 7]]), { axis: 0, epsilon: 0 }).tolist(); // [[-1, -1], [1, 1]]
 * ```
 */
export function standardize(x: ArrayLike, options: StandardizeOptions = {}): Tensor {
  const t = cast(asarrayFor('standardize', x), 'float32');
  const axis = options.axis === undefined ? -1 : options.axis;
  // Checked here so that a bad axis is reported as standardize's, not as the mean's it is passed to.
  normalizeAxes('standardize', axis, t.ndim);
  const mean =
    options.mean === undefined
      ? meanOf(t, { axis, keepdims: true })
      : asarrayFor('standardize', options.mean);
  // mean(x²) - mean(x)², as JAX: one pass over x, and the form normalisation layers expect.
  const variance =
    options.variance === undefined
      ? subtract(meanOf(square(t), { axis, keepdims: true }), square(mean))
      : asarrayFor('standardize', options.variance);
  return multiply(
    subtract(t, mean),
    unary('rsqrt', cast(add(variance, options.epsilon ?? 1e-5), 'float32')),
  );
}
