/**
 * Classification losses on logits: softmax cross-entropy (against distributions or integer labels) and
 * sigmoid binary cross-entropy, as Optax's. Each returns one loss per example, with no reduction.
 */
import { type Tensor, TensorError, lax, nn, numpy } from '@equinox-ts/autodiff';
import { checkBroadcastsTo, lossAxes, tensorArg } from './checks.js';

/**
 * Options of {@link softmaxCrossEntropy} and {@link softmaxCrossEntropyWithIntegerLabels}.
 *
 * @example
 * ```ts
 * const options: SoftmaxCrossEntropyOptions = { axis: 1 };
 * ```
 */
export interface SoftmaxCrossEntropyOptions {
  /**
   * The class axis, or several axes whose entries together are the classes. Default -1 (the last).
   * The result has the other axes.
   */
  axis?: number | readonly number[];
}

/**
 * The cross-entropy between `softmax(logits)` and the distributions `labels` (Optax's
 * `softmax_cross_entropy`): `-sum(labels * logSoftmax(logits))` over the class axis, one loss per
 * example (shape `logits.shape` without that axis). `labels` (float32, non-negative, summing to 1,
 * e.g. one-hot rows from `nn.oneHot`) broadcasts to `logits`'s shape. Stable for large logits of
 * either sign; a class with label 0 adds 0 even where its logit is -Infinity (Optax's
 * `safe_softmax_cross_entropy` convention; plain Optax gives NaN there). TensorFlow.js users:
 * `tf.losses.softmaxCrossEntropy` without its reduction.
 *
 * @example
 * ```ts
 * const logits = numpy.array([[0, 0], [1000, -1000]]);
 * const labels = numpy.array([[1, 0], [0, 1]]);
 * softmaxCrossEntropy(logits, labels).tolist(); // [0.6931471824645996, 2000]
 * softmaxCrossEntropy(numpy.array([0, -Infinity]), numpy.array([1, 0])).item(); // 0
 * ```
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  labels: Tensor,
  options: SoftmaxCrossEntropyOptions = {},
): Tensor {
  const op = 'softmaxCrossEntropy';
  const x = tensorArg(op, 'logits', logits, ['float32']);
  const y = tensorArg(
    op,
    'labels',
    labels,
    ['float32'],
    '; for class indices use softmaxCrossEntropyWithIntegerLabels',
  );
  checkBroadcastsTo(op, x, y);
  const axes = lossAxes(op, options.axis, x.ndim);
  const logProbs = nn.logSoftmax(x, { axis: axes });
  // Where a label is 0 its log-probability (maybe -Infinity) is replaced by 0 before the product, so
  // neither the value nor either gradient sees 0 * Infinity.
  const safeLogProbs = numpy.where(y.ne(0), logProbs, 0);
  return y.mul(safeLogProbs.neg()).sum({ axis: axes });
}

/**
 * The cross-entropy between `softmax(logits)` and integer class labels (Optax's
 * `softmax_cross_entropy_with_integer_labels`): `logsumexp(logits) - logits[label]` over the class
 * axis, one loss per example. `labels` is int32 with the shape of `logits` without the class axis.
 * With several axes (`{ axis: [1, 2] }`), their entries in that order are the classes and a label is
 * a flat index into them, as in Optax. Labels count from the end when negative (`-1` is the last
 * class); a label outside `[-numClasses, numClasses)` gives a NaN loss (with zero gradient through
 * the label term), as JAX's out-of-range gather does. Stable for large logits of either sign.
 * TensorFlow.js users: `tf.losses.softmaxCrossEntropy` on one-hot labels, without its reduction.
 *
 * @example
 * ```ts
 * const logits = numpy.array([[0, 0, 0, 0], [1e30, -1e30, 0, 0]]);
 * const labels = numpy.array([3, 1], { dtype: 'int32' });
 * softmaxCrossEntropyWithIntegerLabels(logits, labels).tolist(); // [1.3862943649291992, 2.0000000300949324e+30]
 * softmaxCrossEntropyWithIntegerLabels(numpy.zeros([2]), numpy.array(5, { dtype: 'int32' })).item(); // NaN
 * ```
 */
export function softmaxCrossEntropyWithIntegerLabels(
  logits: Tensor,
  labels: Tensor,
  options: SoftmaxCrossEntropyOptions = {},
): Tensor {
  const op = 'softmaxCrossEntropyWithIntegerLabels';
  let x = tensorArg(op, 'logits', logits, ['float32']);
  const y = tensorArg(
    op,
    'labels',
    labels,
    ['int32'],
    '; for probability distributions use softmaxCrossEntropy',
  );
  const axes = lossAxes(op, options.axis, x.ndim);
  const batchAxes = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const batchShape = batchAxes.map((d) => x.shape[d]!);
  const sameBatch = y.ndim === batchShape.length && y.shape.every((n, d) => n === batchShape[d]);
  if (!sameBatch) {
    throw new TensorError(
      op,
      `\`labels\` must have the shape of \`logits\` [${x.shape.join(', ')}] without the class ` +
        `axis, [${batchShape.join(', ')}], found [${y.shape.join(', ')}]`,
    );
  }
  // Bring the class axes last, in the order given, and flatten them into one.
  const classesLast = axes.length === 1 && axes[0] === x.ndim - 1;
  if (!classesLast) x = x.transpose([...batchAxes, ...axes]).reshape([...batchShape, -1]);
  // Shift by the row maximum (a constant for the gradient) so exp cannot overflow; the shift cancels.
  const shifted = x.sub(lax.stopGradient(x.max({ axis: -1, keepdims: true })));
  const labelLogits = numpy
    .takeAlongAxis(shifted, y.expandDims(-1), -1, { mode: 'fill' })
    .squeeze(-1);
  const logNormalizers = shifted.exp().sum({ axis: -1 }).log();
  return logNormalizers.sub(labelLogits);
}

/**
 * The binary cross-entropy of `sigmoid(logits)` against `labels`, element by element (Optax's
 * `sigmoid_binary_cross_entropy`): `-labels * logSigmoid(logits) - (1 - labels) *
 * logSigmoid(-logits)`, with the shape of `logits`. `labels` (probabilities, or 0/1 as float32,
 * int32 or bool) broadcasts to `logits`'s shape. Stable for large logits of either sign.
 * TensorFlow.js users: `tf.losses.sigmoidCrossEntropy` without its reduction.
 *
 * @example
 * ```ts
 * const logits = numpy.array([0, 1e30, -1e30, 1e30]);
 * const labels = numpy.array([1, 1, 0, 0]);
 * sigmoidBinaryCrossEntropy(logits, labels).tolist(); // [0.6931471824645996, 0, 0, 1.0000000150474662e+30]
 * ```
 */
export function sigmoidBinaryCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const op = 'sigmoidBinaryCrossEntropy';
  const x = tensorArg(op, 'logits', logits, ['float32']);
  const y = tensorArg(op, 'labels', labels, ['float32', 'int32', 'bool']).astype('float32');
  checkBroadcastsTo(op, x, y);
  // log(1 - sigmoid(x)) is logSigmoid(-x), which stays finite where 1 - sigmoid(x) rounds to 0.
  const positive = y.mul(nn.logSigmoid(x));
  const negative = y.neg().add(1).mul(nn.logSigmoid(x.neg()));
  return positive.add(negative).neg();
}
