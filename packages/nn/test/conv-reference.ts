/**
 * Naive float64 references for the convolution tests: a nested-loop convolution, a scatter-based
 * transposed convolution and explicit padding, written independently of the code under test.
 */
import type { Tensor } from '@equinox-ts/autodiff';

/** A dense float64 array with its shape (row-major). */
export interface Dense {
  shape: number[];
  data: Float64Array;
}

export const dense = (t: Tensor): Dense => ({
  shape: [...t.shape],
  data: Float64Array.from(t.dataSync() as Float32Array),
});

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Row-major offset of `index` in `shape`, or -1 when out of bounds. */
function offset(shape: readonly number[], index: readonly number[]): number {
  let at = 0;
  for (let d = 0; d < shape.length; d++) {
    if (index[d]! < 0 || index[d]! >= shape[d]!) return -1;
    at = at * shape[d]! + index[d]!;
  }
  return at;
}

/** Every multi-index of `shape`, in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = size(shape);
  for (let flat = 0; flat < n; flat++) {
    const index = new Array<number>(shape.length);
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    yield index;
  }
}

export interface Geometry {
  stride: number[];
  /** `[low, high]` zero padding per spatial dimension (of the convolution, also for the transpose). */
  pads: [number, number][];
  dilation: number[];
  groups: number;
}

/** `x [C, ...S]` cross-correlated with `w [O, C/groups, ...K]`, zero padded: `[O, ...outS]`. */
export function naiveConv(x: Dense, w: Dense, g: Geometry): Dense {
  const [channels, ...spatial] = x.shape;
  const [outChannels, groupIn, ...kernel] = w.shape;
  const groupOut = outChannels! / g.groups;
  const outSpatial = spatial.map(
    (n, d) =>
      Math.floor(
        (n + g.pads[d]![0] + g.pads[d]![1] - g.dilation[d]! * (kernel[d]! - 1) - 1) / g.stride[d]!,
      ) + 1,
  );
  const outShape = [outChannels!, ...outSpatial];
  const out = new Float64Array(size(outShape));
  for (const [o, ...pos] of indices(outShape)) {
    const group = Math.floor(o! / groupOut);
    let sum = 0;
    for (let ci = 0; ci < groupIn!; ci++) {
      const c = group * groupIn! + ci;
      if (c >= channels!) throw new Error('reference: channel mismatch');
      for (const tap of indices(kernel)) {
        const at = pos.map((p, d) => p * g.stride[d]! + tap[d]! * g.dilation[d]! - g.pads[d]![0]);
        const xi = offset(x.shape, [c, ...at]);
        if (xi >= 0) sum += w.data[offset(w.shape, [o!, ci, ...tap])]! * x.data[xi]!;
      }
    }
    out[offset(outShape, [o!, ...pos])] = sum;
  }
  return { shape: outShape, data: out };
}

/**
 * The transposed convolution of `y [Cin, ...S]` with Equinox's ConvTranspose weight
 * `w [Cout, Cin/groups, ...K]` (applied unflipped to the stride-dilated input), by scattering every
 * input element into the output: `[Cout, ...outS]`, `outS = (S - 1) * s - lo - hi + d (K - 1) + a + 1`.
 */
export function naiveConvTranspose(
  y: Dense,
  w: Dense,
  g: Geometry,
  outputPadding: number[],
): Dense {
  const [, ...spatial] = y.shape;
  const [outChannels, groupIn, ...kernel] = w.shape;
  const groupOut = outChannels! / g.groups;
  const outSpatial = spatial.map(
    (n, d) =>
      (n - 1) * g.stride[d]! -
      g.pads[d]![0] -
      g.pads[d]![1] +
      g.dilation[d]! * (kernel[d]! - 1) +
      outputPadding[d]! +
      1,
  );
  const outShape = [outChannels!, ...outSpatial];
  const out = new Float64Array(size(outShape));
  for (const [c, ...pos] of indices(y.shape)) {
    const group = Math.floor(c! / groupIn!);
    const value = y.data[offset(y.shape, [c!, ...pos])]!;
    for (let oi = 0; oi < groupOut; oi++) {
      const o = group * groupOut + oi;
      for (const tap of indices(kernel)) {
        // The unflipped tap t lands where the flipped kernel's tap K-1-t would in a scatter.
        const at = pos.map(
          (p, d) => p * g.stride[d]! + (kernel[d]! - 1 - tap[d]!) * g.dilation[d]! - g.pads[d]![0],
        );
        const target = offset(outShape, [o, ...at]);
        if (target >= 0) {
          out[target] = out[target]! + w.data[offset(w.shape, [o, c! % groupIn!, ...tap])]! * value;
        }
      }
    }
  }
  return { shape: outShape, data: out };
}

/** Where padded position `p` of an axis of length `n` reads from. */
function padSource(mode: 'reflect' | 'edge' | 'wrap', p: number, n: number): number {
  if (mode === 'edge') return Math.min(Math.max(p, 0), n - 1);
  if (mode === 'wrap') return ((p % n) + n) % n;
  let q = p;
  while (q < 0 || q >= n) q = q < 0 ? -q : 2 * (n - 1) - q;
  return q;
}

/** `x [C, ...S]` padded explicitly along its spatial dimensions. */
export function naivePad(
  x: Dense,
  pads: [number, number][],
  mode: 'reflect' | 'edge' | 'wrap',
): Dense {
  const outShape = x.shape.map((n, d) => (d === 0 ? n : n + pads[d - 1]![0] + pads[d - 1]![1]));
  const out = new Float64Array(size(outShape));
  for (const [c, ...pos] of indices(outShape)) {
    const from = pos.map((p, d) => padSource(mode, p - pads[d]![0], x.shape[d + 1]!));
    out[offset(outShape, [c!, ...pos])] = x.data[offset(x.shape, [c!, ...from])]!;
  }
  return { shape: outShape, data: out };
}

/**
 * The ConvTranspose weight `[I, O/groups, ...K]` that makes the exact adjoint of a Conv with weight
 * `[O, I/groups, ...K]`: kernel flipped, input and output channels swapped within each group.
 */
export function adjointWeight(w: Dense, groups: number): Dense {
  const [outChannels, groupIn, ...kernel] = w.shape;
  const groupOut = outChannels! / groups;
  const shape = [groupIn! * groups, groupOut, ...kernel];
  const out = new Float64Array(size(shape));
  for (const [o, ci, ...tap] of indices(w.shape)) {
    const group = Math.floor(o! / groupOut);
    const flipped = tap.map((t, d) => kernel[d]! - 1 - t);
    const target = offset(shape, [group * groupIn! + ci!, o! % groupOut, ...flipped]);
    out[target] = w.data[offset(w.shape, [o!, ci!, ...tap])]!;
  }
  return { shape, data: out };
}

/** Adds a bias `[C, 1, ..., 1]` to `y [C, ...S]`. */
export function addBias(y: Dense, bias: Dense): Dense {
  const per = size(y.shape.slice(1));
  return { shape: y.shape, data: y.data.map((v, i) => v + bias.data[Math.floor(i / per)]!) };
}

/** Expects `t` to have `want`'s shape and values within `tol` (absolute plus relative). */
export function expectDenseClose(t: Tensor, want: Dense, tol = 1e-4): void {
  expect(t.shape).toEqual(want.shape);
  const got = t.dataSync();
  want.data.forEach((w, i) => {
    if (!(Math.abs(got[i]! - w) <= tol * (1 + Math.abs(w)))) {
      throw new Error(
        `element ${i} of ${JSON.stringify(want.shape)}: expected ${w}, found ${got[i]}`,
      );
    }
  });
}
