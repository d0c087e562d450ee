// Gradient clipping, as Optax's clipping transformations.
export { clip } from './clip.js';
export { clipByGlobalNorm, globalNorm } from './clip-by-global-norm.js';
export { clipByBlockRms } from './clip-by-block-rms.js';
export { type AdaptiveGradClipOptions, adaptiveGradClip } from './adaptive-grad-clip.js';
