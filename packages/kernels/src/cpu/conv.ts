/**
 * The CPU convolution kernels: argument checks, then im2col + GEMM (see conv-forward.ts,
 * conv-backward-input.ts and conv-backward-filter.ts).
 */
import type { ConvOptions } from '../spatial.js';
import { CpuArray, denseData } from './array.js';
import { convBackwardFilterDense } from './conv-backward-filter.js';
import { convBackwardInputDense } from './conv-backward-input.js';
import { convForward } from './conv-forward.js';
import { checkConv, checkConvBackwardFilter, checkConvBackwardInput } from '../spatial-checks.js';
import { conv3 } from './conv-geometry.js';

/**
 * Convolution (cross-correlation) of `x: [N, C_in, ...spatial]` with `w: [C_out, C_in / groups,
 * ...kernel]`, 1 to 3 spatial dimensions, float32; returns `[N, C_out, ...outSpatial]`.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 2, 3, 4]), [1, 1, 4]);
 * const w = cpu.upload(new Float32Array([1, -1]), [1, 1, 2]);
 * cpu.readSync(cpu.conv(x, w)); // Float32Array [-1, -1, -1]
 * ```
 */
export function conv(x: CpuArray, w: CpuArray, options?: ConvOptions): CpuArray {
  const resolved = checkConv(x, w, options);
  const y = convForward(conv3(resolved), dense(x), dense(w));
  return new CpuArray(
    x.backend,
    'float32',
    [resolved.batch, resolved.outChannels, ...resolved.outSpatial],
    y,
  );
}

/**
 * The gradient of {@link conv} with respect to `x`: given `dy` (shaped like conv's output) and `w`, an
 * array of `xShape`. This is also the transposed convolution.
 *
 * @example
 * ```ts
 * const dy = cpu.upload(new Float32Array([1, 1, 1]), [1, 1, 3]);
 * const w = cpu.upload(new Float32Array([1, -1]), [1, 1, 2]);
 * cpu.readSync(cpu.convBackwardInput(dy, w, [1, 1, 4])); // Float32Array [1, 0, 0, -1]
 * ```
 */
export function convBackwardInput(
  dy: CpuArray,
  w: CpuArray,
  xShape: readonly number[],
  options?: ConvOptions,
): CpuArray {
  const resolved = checkConvBackwardInput(dy, w, xShape, options);
  const dx = convBackwardInputDense(conv3(resolved), dense(dy), dense(w));
  return new CpuArray(dy.backend, 'float32', [...xShape], dx);
}

/**
 * The gradient of {@link conv} with respect to its filter: given `x` and `dy` (shaped like conv's
 * output), an array of `wShape`.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 2, 3, 4]), [1, 1, 4]);
 * const dy = cpu.upload(new Float32Array([1, 1, 1]), [1, 1, 3]);
 * cpu.readSync(cpu.convBackwardFilter(x, dy, [1, 1, 2])); // Float32Array [6, 9]
 * ```
 */
export function convBackwardFilter(
  x: CpuArray,
  dy: CpuArray,
  wShape: readonly number[],
  options?: ConvOptions,
): CpuArray {
  const resolved = checkConvBackwardFilter(x, dy, wShape, options);
  const dw = convBackwardFilterDense(conv3(resolved), dense(x), dense(dy));
  return new CpuArray(x.backend, 'float32', [...wShape], dw);
}

function dense(x: CpuArray): Float32Array {
  return denseData(x) as Float32Array;
}
