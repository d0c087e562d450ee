// The adaptive optimisers (Adam and its relatives, RMSProp, Adagrad, Adadelta) and their building blocks.
export {
  type ScaleByAdamOptions,
  type ScaleByAdamState,
  scaleByAdam,
} from '../transforms/scale-by-adam.js';
export {
  type ScaleByAmsgradOptions,
  type ScaleByAmsgradState,
  scaleByAmsgrad,
} from '../transforms/scale-by-amsgrad.js';
export { type ScaleByAdamaxOptions, scaleByAdamax } from '../transforms/scale-by-adamax.js';
export { type ScaleByRadamOptions, scaleByRadam } from '../transforms/scale-by-radam.js';
export {
  type ScaleByRmsOptions,
  type ScaleByRmsState,
  type ScaleByRmsWithCountState,
  scaleByRms,
} from '../transforms/scale-by-rms.js';
export {
  type ScaleByRStdDevState,
  type ScaleByRStdDevWithCountState,
  scaleByStddev,
} from '../transforms/scale-by-stddev.js';
export {
  type ScaleByRssOptions,
  type ScaleByRssState,
  scaleByRss,
} from '../transforms/scale-by-rss.js';
export {
  type ScaleByAdaDeltaState,
  type ScaleByAdadeltaOptions,
  scaleByAdadelta,
} from '../transforms/scale-by-adadelta.js';
export {
  type AdamwOptions,
  type NadamOptions,
  type NadamwOptions,
  adam,
  adamw,
  nadam,
  nadamw,
} from './adam.js';
export { amsgrad } from './amsgrad.js';
export { adamax } from './adamax.js';
export { radam } from './radam.js';
export { type RmspropOptions, rmsprop } from './rmsprop.js';
export { adagrad } from './adagrad.js';
export { type AdadeltaOptions, adadelta } from './adadelta.js';
