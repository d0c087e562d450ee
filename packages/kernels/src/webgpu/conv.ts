/**
 * Convolution on WebGPU, as implicit GEMMs (see implicit-gemm.ts), per group of channels:
 * - forward: `y[N * outSpatial, C_out/g] = im2col(x)[.., C_in/g * taps] @ w^T`;
 * - input gradient: `dx[N * inSpatial, C_in/g] = gather(dy)[.., C_out/g * taps] @ w`, where the gather
 *   reads, for each input position and tap, the output position that used it (none when the stride
 *   skips it): the convolution of dy with the flipped, transposed filter, without atomics;
 * - filter gradient: `dw[C_out/g, C_in/g * taps] = dy[.., N * outSpatial] @ im2col(x)`.
 * Checks and geometry are the CPU backend's.
 */
import type { ConvOptions } from '../spatial.js';
import { checkConv, checkConvBackwardFilter, checkConvBackwardInput } from '../spatial-checks.js';
import { conv3, type Conv3 } from '../cpu/conv-geometry.js';
import type { WebGpuArray } from './array.js';
import { implicitGemm } from './implicit-gemm.js';
import type { Runner } from './runner.js';

/** The geometry the WGSL functions read, by name. */
const GEOMETRY = [
  'inChannels',
  'outChannels',
  'cinG',
  'coutG',
  'kG',
  'inD',
  'inH',
  'inW',
  'kH',
  'kW',
  'sD',
  'sH',
  'sW',
  'dD',
  'dH',
  'dW',
  'pD',
  'pH',
  'pW',
  'outD',
  'outH',
  'outW',
  'inSize',
  'outSize',
  'kSize',
] as const satisfies readonly (keyof Conv3)[];

function constants(g: Conv3): Record<string, number> {
  return Object.fromEntries(GEOMETRY.map((name) => [name, g[name]]));
}

/**
 * Element (m, k) of the group's im2col matrix of `x` (in0): row `m` is image `m / outSize` at output
 * position `m % outSize`, column `k` is channel `k / kSize` of the group at tap `k % kSize`; 0 in the
 * padding.
 */
const IM2COL = /* wgsl */ `
fn im2col(m: u32, k: u32) -> f32 {
  let p = m % outSize;
  let t = k % kSize;
  let id = i32((p / (outH * outW)) * sD + (t / (kH * kW)) * dD) - i32(pD);
  let ih = i32(((p / outW) % outH) * sH + ((t / kW) % kH) * dH) - i32(pH);
  let iw = i32((p % outW) * sW + (t % kW) * dW) - i32(pW);
  if (id < 0 || ih < 0 || iw < 0 || id >= i32(inD) || ih >= i32(inH) || iw >= i32(inW)) { return 0.0; }
  let plane = (m / outSize) * inChannels + grp * cinG + k / kSize;
  return in0[((plane * inD + u32(id)) * inH + u32(ih)) * inW + u32(iw)];
}`;

/**
 * Element (m, k) of the input gradient's gathered matrix of `dy` (in0): row `m` is image `m / inSize`
 * at input position `q = m % inSize`, column `k` is output channel `k / kSize` of the group at tap
 * `t = k % kSize`; the value is dy at the output position whose window put tap `t` on `q`, or 0 when no
 * window did (the position falls between strides, or outside the output).
 */
const GATHER_DY = /* wgsl */ `
fn outCoord(coord: u32, tap: u32, stride: u32, dilation: u32, pad: u32, size: u32) -> i32 {
  let shifted = i32(coord + pad) - i32(tap * dilation);
  if (shifted < 0 || shifted % i32(stride) != 0) { return -1; }
  let o = shifted / i32(stride);
  return select(-1, o, o < i32(size));
}
fn loadA(m: u32, k: u32) -> f32 {
  let q = m % inSize;
  let t = k % kSize;
  let od = outCoord(q / (inH * inW), t / (kH * kW), sD, dD, pD, outD);
  let oh = outCoord((q / inW) % inH, (t / kW) % kH, sH, dH, pH, outH);
  let ow = outCoord(q % inW, t % kW, sW, dW, pW, outW);
  if (od < 0 || oh < 0 || ow < 0) { return 0.0; }
  let plane = (m / inSize) * outChannels + grp * coutG + k / kSize;
  return in0[plane * outSize + (u32(od) * outH + u32(oh)) * outW + u32(ow)];
}`;

/**
 * Convolution (cross-correlation) of `x: [N, C_in, ...spatial]` with `w: [C_out, C_in / groups,
 * ...kernel]`, 1 to 3 spatial dimensions, float32; returns `[N, C_out, ...outSpatial]`.
 */
export function conv(
  runner: Runner,
  x: WebGpuArray,
  w: WebGpuArray,
  options?: ConvOptions,
): WebGpuArray {
  const resolved = checkConv(x, w, options);
  const g = conv3(resolved);
  return implicitGemm(runner, {
    key: 'conv',
    functions: /* wgsl */ `${IM2COL}
fn loadA(m: u32, k: u32) -> f32 { return im2col(m, k); }
fn loadB(k: u32, n: u32) -> f32 { return in1[(grp * coutG + n) * kG + k]; }
fn outIndex(m: u32, n: u32) -> u32 {
  return ((m / outSize) * outChannels + grp * coutG + n) * outSize + m % outSize;
}`,
    inputs: [x, w],
    shape: [resolved.batch, resolved.outChannels, ...resolved.outSpatial],
    m: g.batch * g.outSize,
    n: g.coutG,
    k: g.kG,
    groups: g.groups,
    constants: constants(g),
  });
}

/**
 * The gradient of {@link conv} with respect to `x`: given `dy` (shaped like conv's output) and `w`, an
 * array of `xShape`. This is also the transposed convolution.
 */
export function convBackwardInput(
  runner: Runner,
  dy: WebGpuArray,
  w: WebGpuArray,
  xShape: readonly number[],
  options?: ConvOptions,
): WebGpuArray {
  const kernel = 'convBackwardInput';
  const resolved = checkConvBackwardInput(dy, w, xShape, options);
  const g = conv3(resolved);
  return implicitGemm(runner, {
    key: kernel,
    functions: /* wgsl */ `${GATHER_DY}
fn loadB(k: u32, n: u32) -> f32 { return in1[(grp * coutG + k / kSize) * kG + n * kSize + k % kSize]; }
fn outIndex(m: u32, n: u32) -> u32 {
  return ((m / inSize) * inChannels + grp * cinG + n) * inSize + m % inSize;
}`,
    inputs: [dy, w],
    shape: [...xShape],
    m: g.batch * g.inSize,
    n: g.cinG,
    k: g.coutG * g.kSize,
    groups: g.groups,
    constants: constants(g),
  });
}

/**
 * The gradient of {@link conv} with respect to its filter: given `x` and `dy` (shaped like conv's
 * output), an array of `wShape`.
 */
export function convBackwardFilter(
  runner: Runner,
  x: WebGpuArray,
  dy: WebGpuArray,
  wShape: readonly number[],
  options?: ConvOptions,
): WebGpuArray {
  const kernel = 'convBackwardFilter';
  const resolved = checkConvBackwardFilter(x, dy, wShape, options);
  const g = conv3(resolved);
  return implicitGemm(runner, {
    key: kernel,
    functions: /* wgsl */ `${IM2COL}
fn loadA(m: u32, k: u32) -> f32 {
  return in1[((k / outSize) * outChannels + grp * coutG + m) * outSize + k % outSize];
}
fn loadB(k: u32, n: u32) -> f32 { return im2col(k, n); }
fn outIndex(m: u32, n: u32) -> u32 { return (grp * coutG + m) * kG + n; }`,
    inputs: [x, dy],
    shape: [...wShape],
    m: g.coutG,
    n: g.kG,
    k: g.batch * g.outSize,
    groups: g.groups,
    constants: constants(g),
  });
}
