/**
 * A convolution's geometry seen as 3-D: 1-D and 2-D convolutions get leading spatial dimensions of size 1,
 * so that one set of loops (im2col, col2im, pooling) serves every rank.
 */
import type { ConvGeometry, WindowGeometry } from '../spatial.js';

/** Window geometry with exactly three spatial dimensions, depth, height and width (d, h, w). */
export interface Window3 {
  inD: number;
  inH: number;
  inW: number;
  kD: number;
  kH: number;
  kW: number;
  sD: number;
  sH: number;
  sW: number;
  dD: number;
  dH: number;
  dW: number;
  /** Padding before each dimension. */
  pD: number;
  pH: number;
  pW: number;
  outD: number;
  outH: number;
  outW: number;
  /** Elements of one input plane: `inD * inH * inW`. */
  inSize: number;
  /** Elements of one output plane: `outD * outH * outW`. */
  outSize: number;
  /** Taps of one window: `kD * kH * kW`. */
  kSize: number;
}

/** A convolution with its geometry as {@link Window3}, plus batch and channels. */
export interface Conv3 extends Window3 {
  batch: number;
  inChannels: number;
  outChannels: number;
  groups: number;
  /** Input channels per group. */
  cinG: number;
  /** Output channels per group. */
  coutG: number;
  /** Rows of a group's im2col matrix: `cinG * kSize`. */
  kG: number;
}

/** Pads a per-dimension list at the front to three entries. */
function three(list: readonly number[], fill: number): [number, number, number] {
  const out = [fill, fill, fill];
  for (let i = 0; i < list.length; i++) out[3 - list.length + i] = list[i]!;
  return out as [number, number, number];
}

/** The 3-D view of a resolved window geometry. */
export function window3(g: WindowGeometry): Window3 {
  const [inD, inH, inW] = three(g.inSpatial, 1);
  const [kD, kH, kW] = three(g.window, 1);
  const [sD, sH, sW] = three(g.strides, 1);
  const [dD, dH, dW] = three(g.dilation, 1);
  const [pD, pH, pW] = three(g.padLo, 0);
  const [outD, outH, outW] = three(g.outSpatial, 1);
  return {
    inD,
    inH,
    inW,
    kD,
    kH,
    kW,
    sD,
    sH,
    sW,
    dD,
    dH,
    dW,
    pD,
    pH,
    pW,
    outD,
    outH,
    outW,
    inSize: inD * inH * inW,
    outSize: outD * outH * outW,
    kSize: kD * kH * kW,
  };
}

/** The 3-D view of a resolved convolution. */
export function conv3(g: ConvGeometry): Conv3 {
  const cinG = g.inChannels / g.groups;
  const w = window3(g);
  return {
    ...w,
    batch: g.batch,
    inChannels: g.inChannels,
    outChannels: g.outChannels,
    groups: g.groups,
    cinG,
    coutG: g.outChannels / g.groups,
    kG: cinG * w.kSize,
  };
}
