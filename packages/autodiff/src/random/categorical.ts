/** Gumbel noise, and categorical sampling by the Gumbel-max trick. */
import { TensorError, avalText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { binary, unary } from '../primitives/elementwise.js';
import { reshape } from '../primitives/layout.js';
import { argReduce } from '../primitives/reduce.js';
import { array, type ArrayLike } from '../numpy/convert.js';
import { checkFloatDtype, checkKey, checkParamShapes, checkShape } from './checks.js';
import type { NormalOptions } from './normal.js';
import { uniform } from './uniform.js';

/** The smallest normal float32, JAX's `finfo(float32).tiny`: the lower bound that keeps log finite. */
const TINY = 2 ** -126;

/**
 * Standard Gumbel samples, JAX's `gumbel` in its default ("low") mode: `-log(-log(u))` with `u`
 * uniform in `[tiny, 1)`.
 *
 * @example
 * ```ts
 * const g = random.gumbel(random.key(0), [1000]);
 * Math.abs(g.mean().item() - 0.5772) < 0.1; // true
 * ```
 */
export function gumbel(
  key: Tensor,
  shape: readonly number[] = [],
  options: NormalOptions = {},
): Tensor {
  checkKey('gumbel', key);
  checkShape('gumbel', shape);
  checkFloatDtype('gumbel', options.dtype);
  const u = uniform(key, shape, { minval: TINY, maxval: 1 });
  return unary('neg', unary('log', unary('neg', unary('log', u))));
}

/** Options of {@link categorical}. */
export interface CategoricalOptions {
  /** The axis of `logits` that holds each distribution's categories (default -1). */
  axis?: number;
  /**
   * The result's shape: the batch shape (`logits`' shape without `axis`) with any leading sample
   * dimensions; it must broadcast from the batch shape. Default: the batch shape.
   */
  shape?: readonly number[];
}

/**
 * Samples of the categorical distributions whose unnormalised log probabilities are `logits` along
 * `axis`, JAX's `categorical` (with replacement): the argmax of `logits` plus Gumbel noise. Returns
 * int32 category indices.
 *
 * @example
 * ```ts
 * const logits = numpy.log(numpy.array([0.1, 0.2, 0.7]));
 * const draws = random.categorical(random.key(0), logits, { shape: [1000] });
 * draws.shape; // [1000]
 * [draws.min().item() >= 0, draws.max().item() <= 2]; // [true, true]
 * ```
 */
export function categorical(
  key: Tensor,
  logits: ArrayLike,
  options: CategoricalOptions = {},
): Tensor {
  checkKey('categorical', key);
  const values = logits instanceof Tensor ? logits : array(logits, { backend: key.backend });
  if (values.dtype !== 'float32') {
    throw new TensorError('categorical', `\`logits\` must be float32, found ${avalText(values)}`);
  }
  if (values.ndim === 0)
    throw new TensorError(
      'categorical',
      '`logits` must have at least one dimension, found a 0-d tensor',
    );
  const rank = values.ndim;
  const axis = options.axis ?? -1;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new TensorError('categorical', `axis ${axis} is out of range for logits of rank ${rank}`);
  }
  const axisFromEnd = axis >= 0 ? axis - rank : axis;
  const categoryAxis = axisFromEnd + rank;
  const batchShape = values.shape.filter((_, d) => d !== categoryAxis);
  let shape: readonly number[] = batchShape;
  if (options.shape !== undefined) {
    checkShape('categorical', options.shape);
    checkParamShapes('categorical', options.shape, batchShape);
    shape = options.shape;
  }
  // Noise for every sample and category: the leading sample dimensions, then the batch dimensions with
  // the category axis in its place.
  const prefix = shape.slice(0, shape.length - batchShape.length);
  const noiseShape = [...prefix, ...shape.slice(prefix.length)];
  noiseShape.splice(prefix.length + categoryAxis, 0, values.shape[categoryAxis]!);
  const noise = gumbel(key, noiseShape);
  const expanded = reshape(values, [...prefix.map(() => 1), ...values.shape]);
  const scores = binary('add', noise, expanded);
  return argReduce('argmax', scores, scores.ndim + axisFromEnd);
}
