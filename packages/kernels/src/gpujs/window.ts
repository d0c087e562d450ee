/**
 * Source for loops over the taps of a sliding window (convolution filters, pooling windows), shared by
 * the gpu.js convolution and pooling kernels.
 */
import type { WindowGeometry } from '../spatial.js';

/** Nested loops `k0 .. k{n-1}` over the window's taps around `body`. */
export function overTaps(window: readonly number[], body: string, prefix = 'k'): string {
  let code = body;
  for (let d = window.length - 1; d >= 0; d--) {
    code = `for (let ${prefix}${d} = 0; ${prefix}${d} < ${window[d]}; ${prefix}${d}++) {\n${code}\n}`;
  }
  return code;
}

/**
 * Declares `p{d}`, the input position that output position `o{d}` reads at tap `k{d}`, and returns the
 * test that every one of them is inside the input (not padding).
 */
export function inputPositions(
  g: WindowGeometry,
  out = 'o',
  tap = 'k',
  at = 'p',
): { lines: string; inside: string } {
  const lines = g.inSpatial
    .map(
      (_, d) =>
        `const ${at}${d} = ${out}${d} * ${g.strides[d]} - ${g.padLo[d]} + ${tap}${d} * ${g.dilation[d]};`,
    )
    .join('\n');
  const inside = g.inSpatial.map((n, d) => `${at}${d} >= 0 && ${at}${d} < ${n}`).join(' && ');
  return { lines, inside };
}

/**
 * Declares `o{d}`, the output position whose tap `k{d}` reads input position `p{d}`, and returns the
 * test that it exists (a whole number of strides, inside the output).
 */
export function outputPositions(g: WindowGeometry): { lines: string; inside: string } {
  const lines = g.inSpatial
    .map(
      (_, d) =>
        `const u${d} = p${d} + ${g.padLo[d]} - k${d} * ${g.dilation[d]};\n` +
        `const o${d} = Math.floor(u${d} / ${g.strides[d]});`,
    )
    .join('\n');
  const inside = g.outSpatial
    .map((n, d) => `u${d} >= 0 && u${d} === o${d} * ${g.strides[d]} && o${d} < ${n}`)
    .join(' && ');
  return { lines, inside };
}

/** `name0 * (sizes[1] * ...) + name1 * ... `: the row-major flat offset within a block of `sizes`. */
export function flat(prefix: string, sizes: readonly number[]): string {
  let stride = 1;
  const terms: string[] = [];
  for (let d = sizes.length - 1; d >= 0; d--) {
    terms.unshift(stride === 1 ? `${prefix}${d}` : `${prefix}${d} * ${stride}`);
    stride *= sizes[d]!;
  }
  return terms.length === 0 ? '0' : terms.join(' + ');
}
