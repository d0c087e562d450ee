/**
 * Window geometry of convolution and pooling, computed independently of `src/spatial.ts`: per spatial
 * dimension the padding before and after, and the output size.
 */
export type RefPadding = 'SAME' | 'VALID' | readonly (readonly [number, number])[];

export interface RefWindow {
  padLo: number[];
  padHi: number[];
  out: number[];
}

export function windowGeometry(
  inSpatial: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
  padding: RefPadding = 'VALID',
): RefWindow {
  const padLo: number[] = [];
  const padHi: number[] = [];
  const out: number[] = [];
  inSpatial.forEach((n, d) => {
    const extent = dilation[d]! * (window[d]! - 1) + 1;
    let lo = 0;
    let hi = 0;
    if (padding === 'SAME') {
      // Outputs ceil(n / stride) positions; an odd total puts the extra element after.
      const o = Math.ceil(n / strides[d]!);
      const total = Math.max(0, (o - 1) * strides[d]! + extent - n);
      lo = Math.floor(total / 2);
      hi = total - lo;
    } else if (padding !== 'VALID') {
      [lo, hi] = padding[d]!;
    }
    padLo.push(lo);
    padHi.push(hi);
    const room = n + lo + hi - extent;
    out.push(room < 0 ? 0 : Math.floor(room / strides[d]!) + 1);
  });
  return { padLo, padHi, out };
}
