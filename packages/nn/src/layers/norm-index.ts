// The normalisation layers and the simple layers that sit with them.
export { LayerNorm, type LayerNormOptions, type NormCallOptions } from './layer-norm.js';
export { RMSNorm, type RMSNormOptions } from './rms-norm.js';
export { GroupNorm, type GroupNormOptions } from './group-norm.js';
export { BatchNorm, type BatchNormOptions, type BatchNormCallOptions } from './batch-norm.js';
export { Dropout, type DropoutOptions, type DropoutCallOptions } from './dropout.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { PReLU, type PReLUOptions } from './prelu.js';
