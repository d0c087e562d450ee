// PLACEHOLDER (being written): convolution and its two backward kernels, via im2col + gemm.ts.
import type { ConvOptions } from '../spatial.js';
import type { CpuArray } from './array.js';

export function conv(x: CpuArray, w: CpuArray, options?: ConvOptions): CpuArray {
  (void x, void w, void options);
  throw new Error('conv: not written yet');
}

export function convBackwardInput(
  dy: CpuArray,
  w: CpuArray,
  xShape: readonly number[],
  options?: ConvOptions,
): CpuArray {
  (void dy, void w, void xShape, void options);
  throw new Error('convBackwardInput: not written yet');
}

export function convBackwardFilter(
  x: CpuArray,
  dy: CpuArray,
  wShape: readonly number[],
  options?: ConvOptions,
): CpuArray {
  (void x, void dy, void wShape, void options);
  throw new Error('convBackwardFilter: not written yet');
}
