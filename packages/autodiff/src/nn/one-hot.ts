/** `oneHot`: class labels to indicator vectors. */
import type { DType } from '@equinox-ts/kernels';
import type { Tensor } from '../tensor.js';
import { TensorError } from '../core/errors.js';
import { iotaLike } from '../primitives/constants.js';
import { binary, cast } from '../primitives/elementwise.js';
import { reshape } from '../primitives/layout.js';
import { asarrayFor, type ArrayLike } from '../numpy/convert.js';
import { normalizeAxis } from '../numpy/axes.js';

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** The result's dtype. Default float32. */
  dtype?: DType;
  /** Where the new axis of length `numClasses` goes in the result (default -1, last). */
  axis?: number;
}

/**
 * Indicator vectors of the labels `x`: the result has a new axis of length `numClasses` whose entry
 * `c` is 1 where `x == c`. Labels outside `[0, numClasses)` (negative ones included) give all-zero
 * rows, as in JAX.
 *
 * @example
 * ```ts
 * nn.oneHot(numpy.array([0, 2, 5, -1], { dtype: 'int32' }), 3).tolist(); // [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]
 * nn.oneHot(numpy.array([1, 0], { dtype: 'int32' }), 2, { axis: 0, dtype: 'bool' }).tolist(); // [[false, true], [true, false]]
 * ```
 */
export function oneHot(x: ArrayLike, numClasses: number, options: OneHotOptions = {}): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new TensorError(
      'oneHot',
      `\`numClasses\` must be a non-negative integer, found ${String(numClasses)}`,
    );
  }
  let labels = asarrayFor('oneHot', x);
  if (labels.dtype === 'bool') labels = cast(labels, 'int32');
  const axis = normalizeAxis('oneHot', options.axis ?? -1, labels.ndim + 1);
  const shape = [...labels.shape];
  shape.splice(axis, 0, 1);
  const classesShape = shape.map((n, d) => (d === axis ? numClasses : 1));
  const classes = iotaLike(classesShape, axis, labels.dtype, labels.backend);
  return cast(binary('eq', reshape(labels, shape), classes), options.dtype ?? 'float32');
}
