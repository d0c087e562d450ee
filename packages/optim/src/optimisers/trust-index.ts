// The trust-ratio (LARS, LAMB) and memory-efficient (Lion, Adafactor) optimisers and their
// building blocks.
export {
  type ScaleByLionOptions,
  type ScaleByLionState,
  scaleByLion,
} from '../transforms/scale-by-lion.js';
export {
  type ScaleByTrustRatioOptions,
  scaleByTrustRatio,
} from '../transforms/scale-by-trust-ratio.js';
export {
  type FactoredState,
  type ScaleByFactoredRmsOptions,
  scaleByFactoredRms,
} from '../transforms/scale-by-factored-rms.js';
export { type LionOptions, lion } from './lion.js';
export { type LambOptions, lamb } from './lamb.js';
export { type LarsOptions, lars } from './lars.js';
export { type AdafactorOptions, adafactor } from './adafactor.js';
