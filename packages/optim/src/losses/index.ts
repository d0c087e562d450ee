// Losses, as Optax's: plain functions of predictions and targets, one value per example.
export {
  type SoftmaxCrossEntropyOptions,
  sigmoidBinaryCrossEntropy,
  softmaxCrossEntropy,
  softmaxCrossEntropyWithIntegerLabels,
} from './cross-entropy.js';
export { type HuberLossOptions, huberLoss, l2Loss, squaredError } from './regression.js';
export { type CosineOptions, cosineDistance, cosineSimilarity } from './cosine.js';
