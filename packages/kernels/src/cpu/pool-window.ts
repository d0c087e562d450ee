/**
 * Where each pooling window lies in the input, precomputed per spatial dimension so that the pooling
 * loops run over valid elements only, without bounds checks.
 */
import type { Window3 } from './conv-geometry.js';

/**
 * For one spatial dimension: window `o` covers input `[lo[o], hi[o])` after clipping to the input.
 */
export interface Ranges {
  lo: Int32Array;
  hi: Int32Array;
}

/** The clipped range of every window along one dimension. */
export function ranges(
  size: number,
  window: number,
  stride: number,
  pad: number,
  out: number,
): Ranges {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * stride - pad;
    lo[o] = Math.max(0, start);
    hi[o] = Math.max(lo[o]!, Math.min(size, start + window));
  }
  return { lo, hi };
}

/** The ranges of the three dimensions (depth, height, width) of a {@link Window3}. */
export function windowRanges(g: Window3): [Ranges, Ranges, Ranges] {
  return [
    ranges(g.inD, g.kD, g.sD, g.pD, g.outD),
    ranges(g.inH, g.kH, g.sH, g.pH, g.outH),
    ranges(g.inW, g.kW, g.sW, g.pW, g.outW),
  ];
}

/**
 * True for the most common pooling: 2-D (or 1-D), windows that tile the input exactly (stride equal to
 * the window, no padding, nothing left over), which has a faster path.
 */
export function isTiling(g: Window3): boolean {
  return (
    g.kD === 1 &&
    g.sD === 1 &&
    g.pD === 0 &&
    g.pH === 0 &&
    g.pW === 0 &&
    g.sH === g.kH &&
    g.sW === g.kW &&
    g.outH * g.kH === g.inH &&
    g.outW * g.kW === g.inW
  );
}
