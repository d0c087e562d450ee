/**
 * The functions that the op table's JavaScript expressions call (ops.ts `JS_HELPERS`), written again
 * in the subset of JavaScript that gpu.js translates to GLSL: plain functions of numbers, no closures,
 * no `Math.round` or `Math.fround` (GLSL has neither). They compute what `JS_HELPERS` computes.
 */
import type { GpuJsMode } from './adapter.js';

/** `pow` with C99's special cases; named so it cannot clash with GLSL's own `pow`. */
const POW = `function powSpecial(x, y) {
  if (y === 0 || x === 1 || (x === -1 && Math.abs(y) === Infinity)) {
    return 1;
  }
  return Math.pow(x, y);
}`;

/** max and min that give NaN when either operand is NaN (GLSL's do not promise it). */
const MAX_NAN = `function maxNaN(x, y) {
  if (x !== x || y !== y) {
    return x + y;
  }
  return Math.max(x, y);
}`;
const MIN_NAN = `function minNaN(x, y) {
  if (x !== x || y !== y) {
    return x + y;
  }
  return Math.min(x, y);
}`;

const SIGMOID = `function sigmoid(x) {
  if (x >= 0) {
    return 1 / (1 + Math.exp(-x));
  }
  const e = Math.exp(x);
  return e / (1 + e);
}`;

/** The same two approximations as ops.ts: a Maclaurin series near 0, Numerical Recipes' erfcc beyond. */
const ERF = `function erf(x) {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const x2 = x * x;
    return 1.1283791670955126 * x *
      (1 + x2 * (-0.3333333333333333 + x2 * (0.1 + x2 * (-0.023809523809523808 +
        x2 * (0.004629629629629629 + x2 * -0.0007575757575757576)))));
  }
  const t = 1 / (1 + 0.5 * ax);
  const poly = -ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  if (x >= 0) {
    return 1 - erfc;
  }
  return erfc - 1;
}`;

/**
 * Half to even. Floats of 2^23 and more are integers already (and x + 0.5 would round there); a negative
 * input that rounds to zero gives -0 (`x * 0`), as `Math.round` does.
 */
const ROUND_HALF_EVEN = `function roundHalfEven(x) {
  if (Math.abs(x) >= 8388608) {
    return x;
  }
  let r = Math.floor(x + 0.5);
  if (r - x === 0.5 && r - 2 * Math.floor(r / 2) !== 0) {
    r = r - 1;
  }
  if (r === 0 && x < 0) {
    return x * 0;
  }
  return r;
}`;

/**
 * Rounds a fused step's result to float32, as storing it would. WebGL computes in float32 already;
 * gpu.js's `cpu` mode computes in float64 and has `Math.fround`.
 */
const FROUND = (mode: GpuJsMode): string =>
  mode === 'cpu'
    ? 'function fround32(x) {\n  return Math.fround(x);\n}'
    : 'function fround32(x) {\n  return x;\n}';

/** The helper sources to register with a gpu.js instance in `mode`. */
export function GPU_JS_HELPERS(mode: GpuJsMode): string[] {
  return [POW, MAX_NAN, MIN_NAN, SIGMOID, ERF, ROUND_HALF_EVEN, FROUND(mode)];
}
