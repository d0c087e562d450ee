// The convolution layers' exports.
export { Conv, Conv1d, Conv2d, Conv3d, type ConvOptions } from './conv.js';
export {
  ConvTranspose,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
  type ConvTransposeOptions,
} from './conv-transpose.js';
export type { ConvPadding, ConvPaddingMode, ResolvedPadding } from './conv-args.js';
