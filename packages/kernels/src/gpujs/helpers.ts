/**
 * The functions that generated kernels call, per gpu.js mode. `sigmoid`, `erf` (ops.ts `JS_HELPERS`)
 * and `fround32` are written here in the subset of JavaScript that gpu.js translates to GLSL: plain
 * functions of numbers, no closures, no `Math.round` or `Math.fround` (GLSL has neither). The IEEE
 * math they and the kernels call (`expF`, `logF`, `powFull`, ...) is GLSL on WebGL2 (glsl-math.ts) and
 * JavaScript in `cpu` mode (cpu-math.ts).
 */
import type { GpuJsMode } from './adapter.js';
import { CPU_MATH } from './cpu-math.js';
import { GLSL_MATH, GLSL_MATH_SOURCE, glslPrototype } from './glsl-math.js';

const SIGMOID = `function sigmoid(x) {
  if (x >= 0) {
    return 1 / (1 + expF(-x));
  }
  const e = expF(x);
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
  const erfc = t * expF(poly);
  if (x >= 0) {
    return 1 - erfc;
  }
  return erfc - 1;
}`;

/**
 * Rounds a fused step's result to float32, as storing it would. WebGL computes in float32 already;
 * gpu.js's `cpu` mode computes in float64 and has `Math.fround`.
 */
const FROUND = (mode: GpuJsMode): string =>
  mode === 'cpu'
    ? 'function fround32(x) {\n  return Math.fround(x);\n}'
    : 'function fround32(x) {\n  return x;\n}';

/** What a gpu.js instance in one mode registers so that kernels can call the helpers. */
export interface HelperSources {
  /** GLSL to inject before every kernel (WebGL2 only). */
  readonly glsl: string | null;
  /** GLSL functions defined by `glsl`, as name and declaration (gpu.js reads the types from it). */
  readonly natives: readonly (readonly [name: string, declaration: string])[];
  /** JavaScript functions, which gpu.js translates for its mode. */
  readonly functions: readonly string[];
}

/** The helpers to register with a gpu.js instance in `mode`. */
export function helperSources(mode: GpuJsMode): HelperSources {
  const shared = [SIGMOID, ERF, FROUND(mode)];
  if (mode === 'cpu')
    return { glsl: null, natives: [], functions: [...Object.values(CPU_MATH), ...shared] };
  const natives = Object.entries(GLSL_MATH).map(
    ([name, source]) => [name, glslPrototype(source)] as const,
  );
  return { glsl: GLSL_MATH_SOURCE, natives, functions: shared };
}
