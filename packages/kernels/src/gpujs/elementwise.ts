/**
 * Elementwise kernels on gpu.js, generated from the op table's JavaScript expressions. A kernel runs on
 * gpu.js when its result is float32 and no value in it is int32 (bool values are 0 and 1, exact in
 * float32); everything else, and every call with bad arguments, goes to the host CPU backend, whose
 * checks and messages are the ones every backend shares.
 */
import type { FusedProgram } from '../backend.js';
import type { DType } from '../dtype.js';
import { compileProgram, type ExpressionLanguage } from '../fused-program.js';
import { fusedWithinLimit } from '../fused-split.js';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type OpSpec, type UnaryOp } from '../ops.js';
import { broadcastShapes, checkShape, contiguousStrides, normalizeAxis, sizeOf } from '../shape.js';
import type { GpuJsArray } from './array.js';
import { fromHost, runFloat, toHost, type GpuJsContext } from './context.js';
import { broadcastTo } from './layout.js';
import { broadcastStrides, dot, kernelSource, names, unravel } from './source.js';

/**
 * Float ops whose op-table expression gpu.js cannot take as it is: GLSL's builtins do not keep IEEE
 * special values (NaN operands, infinities, -0, out-of-domain arguments) and `%`, `pow`, `sin` and
 * `cos` are not accurate there, so these call the helpers of glsl-math.ts (JavaScript twins in
 * cpu-math.ts), each taking its operands once so that fused chains do not grow. Comparisons with a
 * NaN are false (`ne`: true), tested by bits, as WebGPU's `nanAware` does.
 */
const FLOAT_REWRITES: Record<string, string> = {
  'Math.sign(a)': 'signF(a)',
  'Math.exp(a)': 'expF(a)',
  'Math.expm1(a)': 'expm1F(a)',
  'Math.log(a)': 'logF(a)',
  'Math.log1p(a)': 'log1pF(a)',
  'Math.sqrt(a)': 'sqrtF(a)',
  '1 / Math.sqrt(a)': '1 / sqrtF(a)',
  'Math.sin(a)': 'sinF(a)',
  'Math.cos(a)': 'cosF(a)',
  'Math.tan(a)': 'tanF(a)',
  'Math.asin(a)': 'asinF(a)',
  'Math.acos(a)': 'acosF(a)',
  'Math.atan(a)': 'atanF(a)',
  'Math.sinh(a)': 'sinhF(a)',
  'Math.cosh(a)': 'coshF(a)',
  'Math.tanh(a)': 'tanhF(a)',
  'Math.asinh(a)': 'asinhF(a)',
  'Math.acosh(a)': 'acoshF(a)',
  'Math.atanh(a)': 'atanhF(a)',
  '+(a !== a)': 'isNanF(a)',
  'a % b': 'remF(a, b)',
  'pow(a, b)': 'powFull(a, b)',
  'Math.atan2(a, b)': 'atan2F(a, b)',
  'Math.max(a, b)': 'maxNaN(a, b)',
  'Math.min(a, b)': 'minNaN(a, b)',
  '+(a === b)': 'eqF(a, b)',
  '+(a !== b)': 'neF(a, b)',
  '+(a < b)': 'ltF(a, b)',
  '+(a <= b)': 'leF(a, b)',
  '+(a > b)': 'gtF(a, b)',
  '+(a >= b)': 'geF(a, b)',
};
/** bool ops on 0/1 numbers, since GLSL has no bitwise ops on floats. */
const BOOL_REWRITES: Record<string, string> = {
  '+!a': '(a === 0 ? 1 : 0)',
  'a & b': 'a * b',
  'a | b': 'Math.max(a, b)',
  'a ^ b': 'Math.abs(a - b)',
};

/** The gpu.js form of an op-table expression: `+(test)` (a bool result) becomes a 0/1 choice. */
function gpuExpression(js: string, dtype: DType): string {
  const rewritten = (dtype === 'bool' ? BOOL_REWRITES[js] : FLOAT_REWRITES[js]) ?? js;
  const test = /^\+\((.*)\)$/.exec(rewritten);
  return test ? `(${test[1]} ? 1 : 0)` : rewritten;
}

/**
 * gpu.js's JavaScript, with bools as 0/1 numbers and each float32 step rounded as storing it would
 * round. int32 templates are only there so that checks see the same accepted dtypes as on the CPU:
 * programs with int32 values run on the host.
 */
const GPU_JS: ExpressionLanguage = {
  template: (spec: OpSpec, dtype: DType) => {
    const js = spec.js[dtype];
    return js === undefined ? undefined : gpuExpression(js, dtype);
  },
  where: 'a !== 0 ? b : c',
  // A NaN converts to true; neF tests it by bits.
  conversion: (from: DType, to: DType) =>
    to === 'bool' && from !== 'bool'
      ? from === 'float32'
        ? 'neF(a, 0)'
        : '(a !== 0 ? 1 : 0)'
      : 'a',
  finish: (expression: string, dtype: DType) =>
    dtype === 'float32' ? `fround32(${expression})` : expression,
};

const inputName = (k: number): string => `v${k}`;

/** Runs `expression` (of `v0`, `v1`, ...) over `inputs` broadcast together, into a float32 array. */
function elementwise(
  ctx: GpuJsContext,
  kernel: string,
  expression: string,
  inputs: readonly GpuJsArray[],
): GpuJsArray {
  const shape = broadcastShapes(kernel, ...inputs.map((x) => x.shape));
  const size = sizeOf(shape);
  const coords = names('d', shape.length);
  const strided = inputs.some((x) => x.size !== size && x.size !== 1);
  const reads = inputs.map((x, k) => {
    const at =
      x.size === size ? 'i' : x.size === 1 ? '0' : dot(coords, broadcastStrides(x.shape, shape));
    return `const ${inputName(k)} = in${k}[${at}];`;
  });
  const body = `${strided ? unravel('i', shape, coords) : ''}\n${reads.join('\n')}`;
  const args = inputs.map((_, k) => `in${k}`);
  return runFloat(ctx, kernel, kernelSource(args, body, expression), shape, inputs);
}

/** True when a one-step kernel of `spec` on `dtype` operands gives float32 on gpu.js. */
function onGpu(spec: OpSpec | undefined, dtype: DType): boolean {
  return spec !== undefined && dtype === 'float32' && spec.js.float32 !== undefined && !spec.out;
}

/** See {@link Backend.unary}. */
export function unary(ctx: GpuJsContext, op: UnaryOp, x: GpuJsArray): GpuJsArray {
  const spec = Object.hasOwn(UNARY_OPS, op) ? (UNARY_OPS[op] as OpSpec) : undefined;
  if (!onGpu(spec, x.dtype)) return fromHost(ctx, ctx.host.unary(op, toHost(ctx, x)));
  return elementwise(ctx, op, gpuExpression(spec!.js.float32!, 'float32').replace(/\ba\b/g, 'v0'), [
    x,
  ]);
}

/** See {@link Backend.binary}. */
export function binary(ctx: GpuJsContext, op: BinaryOp, a: GpuJsArray, b: GpuJsArray): GpuJsArray {
  const spec = Object.hasOwn(BINARY_OPS, op) ? (BINARY_OPS[op] as OpSpec) : undefined;
  if (!onGpu(spec, a.dtype) || b.dtype !== a.dtype) {
    return fromHost(ctx, ctx.host.binary(op, toHost(ctx, a), toHost(ctx, b)));
  }
  const expression = gpuExpression(spec!.js.float32!, 'float32').replace(/\b[ab]\b/g, (name) =>
    name === 'a' ? 'v0' : 'v1',
  );
  return elementwise(ctx, op, expression, [a, b]);
}

/** See {@link Backend.where}. */
export function where(
  ctx: GpuJsContext,
  cond: GpuJsArray,
  a: GpuJsArray,
  b: GpuJsArray,
): GpuJsArray {
  if (cond.dtype !== 'bool' || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return fromHost(ctx, ctx.host.where(toHost(ctx, cond), toHost(ctx, a), toHost(ctx, b)));
  }
  return elementwise(ctx, 'where', 'v0 !== 0 ? v1 : v2', [cond, a, b]);
}

/** See {@link Backend.cast}: to float32 on gpu.js (int32 inputs are read as float32, which rounds as a cast does). */
export function cast(ctx: GpuJsContext, x: GpuJsArray, dtype: DType): GpuJsArray {
  if (dtype !== 'float32') return fromHost(ctx, ctx.host.cast(toHost(ctx, x), dtype));
  return elementwise(ctx, 'cast', 'v0', [x]);
}

/** See {@link Backend.fused}. */
export function fused(
  ctx: GpuJsContext,
  program: FusedProgram,
  inputs: readonly GpuJsArray[],
): GpuJsArray {
  const { expression, dtype, steps } = compileProgram(
    program,
    inputs.map((x) => x.dtype),
    inputName,
    GPU_JS,
  );
  const int32 = inputs.some((x) => x.dtype === 'int32') || steps.some((s) => s.dtype === 'int32');
  if (dtype !== 'float32' || int32) {
    return fromHost(
      ctx,
      ctx.host.fused(
        program,
        inputs.map((x) => toHost(ctx, x)),
      ),
    );
  }
  if (inputs.length <= ctx.runtime.maxInputs) return elementwise(ctx, 'fused', expression, inputs);
  return fusedWithinLimit(
    {
      fusedKernel: (part, arrays) => {
        const compiled = compileProgram(
          part,
          arrays.map((x) => x.dtype),
          inputName,
          GPU_JS,
        );
        return elementwise(ctx, 'fused', compiled.expression, arrays);
      },
      broadcastTo: (x, shape) => broadcastTo(ctx, x, shape),
      release: (x) => ctx.backend.release(x),
    },
    program,
    inputs,
    ctx.runtime.maxInputs,
  );
}

/** See {@link Backend.full}. */
export function full(
  ctx: GpuJsContext,
  shape: readonly number[],
  value: number,
  dtype: DType,
): GpuJsArray {
  if (dtype !== 'float32' || typeof value !== 'number') {
    return fromHost(ctx, ctx.host.full(shape, value, dtype));
  }
  checkShape('full', 'shape', shape);
  return runFloat(ctx, 'full', kernelSource(['value'], '', 'value'), shape, [value]);
}

/** See {@link Backend.iota}. */
export function iota(
  ctx: GpuJsContext,
  shape: readonly number[],
  axis: number,
  dtype: DType,
): GpuJsArray {
  if (dtype !== 'float32') return fromHost(ctx, ctx.host.iota(shape, axis, dtype));
  checkShape('iota', 'shape', shape);
  const d = normalizeAxis('iota', 'axis', axis, shape.length);
  const stride = contiguousStrides(shape)[d]!;
  const n = shape[d]!;
  const body = `const q = Math.floor(i / ${stride});`;
  return runFloat(
    ctx,
    'iota',
    kernelSource(['unused'], body, `q - Math.floor(q / ${n}) * ${n}`),
    shape,
    [0],
  );
}
