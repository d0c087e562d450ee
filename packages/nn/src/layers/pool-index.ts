// The pooling layers: Equinox's Pool, MaxPool/AvgPool 1d-3d and the adaptive poolings.
export { type PoolPadding } from './pool-args.js';
export { Pool, type PoolOptions } from './pool.js';
export { MaxPool1d, MaxPool2d, MaxPool3d } from './pool-max.js';
export { AvgPool1d, AvgPool2d, AvgPool3d } from './pool-avg.js';
export {
  AdaptivePool,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
  type AxisReduction,
} from './pool-adaptive.js';
