/**
 * The elementwise kernels on WebGPU: one WGSL shader per op (or fused program), dtype and operand layout,
 * with the expressions taken from the op table that the CPU backend also reads. Every array is
 * contiguous; an operand broadcast along some dimensions is read through its strides (0 where broadcast).
 */
import type { FusedProgram } from '../backend.js';
import { isDType, type DType } from '../dtype.js';
import { KernelError, valueText } from '../errors.js';
import { compileProgram, type ExpressionLanguage } from '../fused-program.js';
import { fusedWithinLimit } from '../fused-split.js';
import {
  BINARY_OPS,
  UNARY_OPS,
  lookupOp,
  type BinaryOp,
  type OpSpec,
  type UnaryOp,
} from '../ops.js';
import { broadcastShapes, checkShape, contiguousStrides, normalizeAxis, sizeOf } from '../shape.js';
import { scalarFor } from '../cpu/elementwise.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';
import { broadcastTo } from './layout.js';
import { convert, flatIndex, groupsFor, load, store } from './wgsl.js';

/**
 * The op table's WGSL expression for `dtype`, made NaN-aware for float32: WGSL leaves NaN handling to the
 * implementation (GPU compilers may assume there is none), while the backends must agree with the
 * CPU's IEEE results. NaN operands give NaN, and comparisons with NaN are false (`ne`: true). `pow`,
 * `max` and `min` handle NaN themselves (their helpers test bits).
 */
function nanAware(spec: OpSpec, dtype: DType): string | undefined {
  const template = spec.wgsl[dtype];
  if (template === undefined || dtype !== 'float32') return template;
  if (spec === UNARY_OPS.isNaN) return 'isNanF(a)';
  if (spec === BINARY_OPS.pow || spec === BINARY_OPS.max || spec === BINARY_OPS.min)
    return template;
  const anyNan = /\bb\b/.test(template) ? '(isNanF(a) || isNanF(b))' : 'isNanF(a)';
  if (spec.out === 'bool') {
    return spec === BINARY_OPS.ne
      ? `((${template}) || ${anyNan})`
      : `((${template}) && !${anyNan})`;
  }
  return `select(${template}, nan(), ${anyNan})`;
}

export const WGSL: ExpressionLanguage = {
  template: nanAware,
  where: 'select(c, b, a)',
  conversion: (from, to) => convert('a', from, to),
  finish: (expression) => expression,
};

const inputName = (k: number): string => `v${k}`;

/** How an operand is read for output element `i`: at `i`, at 0, or through broadcast strides. */
type Mode = 'same' | 'scalar' | 'strided';

/**
 * Runs `expression` (over operands `v0`, `v1`, ...) on `inputs` broadcast together, into a new array of
 * `dtype`. `kernel` names the variant in the pipeline cache and in errors.
 */
export function elementwise(
  runner: Runner,
  kernel: string,
  expression: string,
  dtype: DType,
  inputs: readonly WebGpuArray[],
): WebGpuArray {
  const shape = broadcastShapes(kernel, ...inputs.map((x) => x.shape));
  const size = sizeOf(shape);
  const rank = shape.length;
  const modes: Mode[] = inputs.map((x) =>
    x.size === size && x.shape.length === rank ? 'same' : x.size === 1 ? 'scalar' : 'strided',
  );
  // params: size, then the output shape, then each strided operand's strides over the output's dims.
  const params = [size, ...shape];
  const strideOffsets: number[] = [];
  inputs.forEach((x, k) => {
    if (modes[k] !== 'strided') return;
    strideOffsets[k] = params.length;
    const own = contiguousStrides(x.shape);
    const lead = rank - x.shape.length;
    params.push(...shape.map((_, d) => (d < lead || x.shape[d - lead] === 1 ? 0 : own[d - lead]!)));
  });
  const key = `ew:${kernel}:${expression}:${dtype}:${inputs.map((x, k) => `${x.dtype}/${modes[k]}`).join(',')}:${modes.includes('strided') ? rank : 0}`;
  const code = () => {
    const index = (k: number): string =>
      modes[k] === 'same' ? 'i' : modes[k] === 'scalar' ? '0u' : `at(i, ${strideOffsets[k]}u)`;
    const reads = inputs
      .map((x, k) => `  let ${inputName(k)} = ${load(`in${k}`, index(k), x.dtype)};`)
      .join('\n');
    const at = `
fn at(i: u32, strides: u32) -> u32 {
  var rem = i;
  var offset = 0u;
  for (var d = ${rank}u; d > 0u; d--) {
    let n = u32(params[d]);
    offset += (rem % n) * u32(params[strides + d - 1u]);
    rem /= n;
  }
  return offset;
}`;
    return `${modes.includes('strided') ? at : ''}
${flatIndex('u32(params[0])')}
${reads}
  out0[i] = ${store(expression, dtype)};
}`;
  };
  if (size === 0) return runner.allocate(shape, dtype);
  const [out] = runner.run({
    key,
    code,
    inputs,
    outputs: [{ shape, dtype }],
    params,
    groups: groupsFor(size),
  });
  return out!;
}

function template(kernel: string, spec: OpSpec, dtype: DType, argument: string): string {
  const wgsl = nanAware(spec, dtype);
  if (wgsl === undefined) {
    const accepted = Object.keys(spec.wgsl).join(' or ');
    throw new KernelError(kernel, `\`${argument}\` must have dtype ${accepted}, found ${dtype}`);
  }
  return wgsl;
}

export function unary(runner: Runner, op: UnaryOp, x: WebGpuArray): WebGpuArray {
  const spec = lookupOp(UNARY_OPS, 'unary', op);
  const expression = template(op, spec, x.dtype, 'x').replace(/\ba\b/g, 'v0');
  return elementwise(runner, op, expression, spec.out ?? x.dtype, [x]);
}

export function binary(runner: Runner, op: BinaryOp, a: WebGpuArray, b: WebGpuArray): WebGpuArray {
  const spec = lookupOp(BINARY_OPS, 'binary', op);
  if (a.dtype !== b.dtype) {
    throw new KernelError(
      op,
      `operands must have one dtype, found \`a\` ${a.dtype} and \`b\` ${b.dtype} (cast one first)`,
    );
  }
  const expression = template(op, spec, a.dtype, 'a').replace(/\b[ab]\b/g, (n) =>
    n === 'a' ? 'v0' : 'v1',
  );
  return elementwise(runner, op, expression, spec.out ?? a.dtype, [a, b]);
}

export function where(
  runner: Runner,
  cond: WebGpuArray,
  a: WebGpuArray,
  b: WebGpuArray,
): WebGpuArray {
  if (cond.dtype !== 'bool') {
    throw new KernelError('where', `\`cond\` must have dtype bool, found ${cond.dtype}`);
  }
  if (a.dtype !== b.dtype) {
    throw new KernelError(
      'where',
      `\`a\` and \`b\` must have one dtype, found ${a.dtype} and ${b.dtype}`,
    );
  }
  return elementwise(runner, 'where', 'select(v2, v1, v0)', a.dtype, [cond, a, b]);
}

function checkDType(kernel: string, dtype: unknown, allowed: readonly DType[]): DType {
  if (!isDType(dtype) || !allowed.includes(dtype)) {
    throw new KernelError(
      kernel,
      `\`dtype\` must be ${allowed.join(', ')}, found ${valueText(dtype)}`,
    );
  }
  return dtype;
}

export function cast(runner: Runner, x: WebGpuArray, dtype: DType): WebGpuArray {
  const to = checkDType('cast', dtype, ['float32', 'int32', 'bool']);
  return elementwise(runner, 'cast', convert('v0', x.dtype, to), to, [x]);
}

export function bitcast(runner: Runner, x: WebGpuArray, dtype: 'float32' | 'int32'): WebGpuArray {
  const to = checkDType('bitcast', dtype, ['float32', 'int32']);
  if (x.dtype === 'bool') {
    throw new KernelError('bitcast', '`x` must be float32 or int32, found bool');
  }
  const expression = x.dtype === to ? 'v0' : `bitcast<${to === 'float32' ? 'f32' : 'i32'}>(v0)`;
  return elementwise(runner, 'bitcast', expression, to, [x]);
}

export function fused(
  runner: Runner,
  program: FusedProgram,
  inputs: readonly WebGpuArray[],
): WebGpuArray {
  if (inputs.length === 0) throw new KernelError('fused', '`inputs` must not be empty');
  // Compiling checks the whole program, so errors are the same whether or not it is split.
  const { expression, dtype } = compileProgram(
    program,
    inputs.map((x) => x.dtype),
    inputName,
    WGSL,
  );
  // A kernel binds its inputs, its output and the parameters as storage buffers.
  const maxInputs = runner.device.limits.maxStorageBuffersPerShaderStage - 2;
  if (inputs.length <= maxInputs) return elementwise(runner, 'fused', expression, dtype, inputs);
  broadcastShapes('fused', ...inputs.map((x) => x.shape));
  return fusedWithinLimit(
    {
      fusedKernel: (part, arrays) => {
        const compiled = compileProgram(
          part,
          arrays.map((x) => x.dtype),
          inputName,
          WGSL,
        );
        return elementwise(runner, 'fused', compiled.expression, compiled.dtype, arrays);
      },
      broadcastTo: (x, shape) => broadcastTo(runner, x, shape),
      release: (x) => x.release(),
    },
    program,
    inputs,
    maxInputs,
  );
}

export function full(
  runner: Runner,
  shape: readonly number[],
  value: number,
  dtype: DType,
): WebGpuArray {
  checkShape('full', 'shape', shape);
  const to = checkDType('full', dtype, ['float32', 'int32', 'bool']);
  if (typeof value !== 'number') {
    throw new KernelError('full', `\`value\` must be a number, found ${valueText(value)}`);
  }
  const size = sizeOf(shape);
  if (size === 0) return runner.allocate(shape, to);
  // The value travels as float32 bits (exact for int32 values only up to 2^24): int32 values go as ints.
  const bits = to === 'float32' ? new Int32Array(new Float32Array([value]).buffer)[0]! : 0;
  const intValue = to === 'float32' ? 0 : scalarFor(value, to);
  const expression =
    to === 'float32' ? 'bitcast<f32>(params[1])' : to === 'int32' ? 'params[2]' : 'params[2] != 0';
  const [out] = runner.run({
    key: `full:${to}`,
    code: () => `${flatIndex('u32(params[0])')}
  out0[i] = ${store(expression, to)};
}`,
    inputs: [],
    outputs: [{ shape, dtype: to }],
    params: [size, bits, intValue],
    groups: groupsFor(size),
  });
  return out!;
}

export function iota(
  runner: Runner,
  shape: readonly number[],
  axis: number,
  dtype: DType,
): WebGpuArray {
  checkShape('iota', 'shape', shape);
  const to = checkDType('iota', dtype, ['float32', 'int32', 'bool']);
  const d = normalizeAxis('iota', 'axis', axis, shape.length);
  const size = sizeOf(shape);
  if (size === 0) return runner.allocate(shape, to);
  const value = convert('i32((i / u32(params[1])) % u32(params[2]))', 'int32', to);
  const [out] = runner.run({
    key: `iota:${to}`,
    code: () => `${flatIndex('u32(params[0])')}
  out0[i] = ${store(value, to)};
}`,
    inputs: [],
    outputs: [{ shape, dtype: to }],
    params: [size, contiguousStrides(shape)[d]!, shape[d]!],
    groups: groupsFor(size),
  });
  return out!;
}
