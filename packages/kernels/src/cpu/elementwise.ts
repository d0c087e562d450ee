/** Elementwise kernels of the CPU backend, generated from the op table, and array constructors. */
import type { Backend } from '../backend.js';
import { allocData, isDType, type DType } from '../dtype.js';
import { KernelError, valueText } from '../errors.js';
import {
  BINARY_OPS,
  JS_HELPERS,
  UNARY_OPS,
  type BinaryOp,
  lookupOp,
  type OpSpec,
  type UnaryOp,
} from '../ops.js';
import { broadcastShapes, checkShape, contiguousStrides, normalizeAxis, sizeOf } from '../shape.js';
import { CpuArray, denseData } from './array.js';
import { uninitialized } from './buffers.js';
import { runSimd } from './simd-elementwise.js';
import { broadcastStrides, runLoop } from './strided.js';
import type { TypedStep } from './wasm/simd-kernel.js';

/** The op's JavaScript expression for `dtype`, or a KernelError listing the dtypes it accepts. */
function expressionFor(kernel: string, spec: OpSpec, dtype: DType, argument: string): string {
  const js = spec.js[dtype];
  if (js === undefined) {
    const accepted = Object.keys(spec.js).join(' or ');
    throw new KernelError(kernel, `\`${argument}\` must have dtype ${accepted}, found ${dtype}`);
  }
  return js;
}

/**
 * Runs `expression` over the arrays broadcast together, into a new contiguous array of `dtype`. `steps`
 * is the same computation as a program (see `Backend.fused`), which runs on the WebAssembly engine
 * where it can (simd-elementwise.ts).
 */
export function elementwise(
  kernel: string,
  expression: string,
  dtype: DType,
  inputs: readonly CpuArray[],
  steps: readonly TypedStep[],
): CpuArray {
  const shape = broadcastShapes(kernel, ...inputs.map((x) => x.shape));
  const out = uninitialized(dtype, sizeOf(shape));
  if (runSimd(steps, inputs, shape, out))
    return new CpuArray(inputs[0]!.backend, dtype, shape, out);
  runLoop(
    expression,
    out,
    shape,
    inputs.map((x) => ({
      data: x.data,
      offset: x.offset,
      strides: broadcastStrides(x.shape, x.strides, shape),
    })),
  );
  return new CpuArray(inputs[0]!.backend, dtype, shape, out);
}

/** See {@link Backend.unary}. */
export function unary(op: UnaryOp, x: CpuArray): CpuArray {
  const spec = lookupOp(UNARY_OPS, 'unary', op);
  const dtype = spec.out ?? x.dtype;
  return elementwise(
    op,
    expressionFor(op, spec, x.dtype, 'x'),
    dtype,
    [x],
    [{ op, args: [0], dtype }],
  );
}

/** See {@link Backend.binary}. */
export function binary(op: BinaryOp, a: CpuArray, b: CpuArray): CpuArray {
  const spec = lookupOp(BINARY_OPS, 'binary', op);
  if (a.dtype !== b.dtype) {
    throw new KernelError(
      op,
      `operands must have one dtype, found \`a\` ${a.dtype} and \`b\` ${b.dtype} (cast one first)`,
    );
  }
  const dtype = spec.out ?? a.dtype;
  return elementwise(
    op,
    expressionFor(op, spec, a.dtype, 'a'),
    dtype,
    [a, b],
    [{ op, args: [0, 1], dtype }],
  );
}

/** See {@link Backend.where}. */
export function where(cond: CpuArray, a: CpuArray, b: CpuArray): CpuArray {
  if (cond.dtype !== 'bool') {
    throw new KernelError('where', `\`cond\` must have dtype bool, found ${cond.dtype}`);
  }
  if (a.dtype !== b.dtype) {
    throw new KernelError(
      'where',
      `\`a\` and \`b\` must have one dtype, found ${a.dtype} and ${b.dtype}`,
    );
  }
  // The loop names its inputs a, b, c in order: here a is the condition.
  return elementwise(
    'where',
    'a ? b : c',
    a.dtype,
    [cond, a, b],
    [{ op: 'where', args: [0, 1, 2], dtype: a.dtype }],
  );
}

/** The JavaScript expression converting a value `a` of dtype `from` to dtype `to`. */
export function conversion(from: DType, to: DType): string {
  if (to === 'bool') return from === 'bool' ? 'a' : '+(a !== 0)';
  if (to === 'int32' && from === 'float32') return 'saturateInt32(a)';
  return 'a';
}

function checkDType(
  kernel: string,
  dtype: unknown,
  allowed: readonly DType[] = ['float32', 'int32', 'bool'],
): DType {
  if (!isDType(dtype) || !allowed.includes(dtype)) {
    throw new KernelError(
      kernel,
      `\`dtype\` must be ${allowed.join(', ')}, found ${valueText(dtype)}`,
    );
  }
  return dtype;
}

/** See {@link Backend.cast}. */
export function cast(x: CpuArray, dtype: DType): CpuArray {
  checkDType('cast', dtype);
  return elementwise(
    'cast',
    conversion(x.dtype, dtype),
    dtype,
    [x],
    [{ op: 'cast', args: [0], dtype }],
  );
}

/** See {@link Backend.bitcast}. */
export function bitcast(x: CpuArray, dtype: 'float32' | 'int32'): CpuArray {
  checkDType('bitcast', dtype, ['float32', 'int32']);
  if (x.dtype === 'bool') {
    throw new KernelError('bitcast', '`x` must have dtype float32 or int32, found bool');
  }
  const src = denseData(x);
  const bytes = src.buffer.slice(src.byteOffset, src.byteOffset + src.byteLength);
  const data = dtype === 'float32' ? new Float32Array(bytes) : new Int32Array(bytes);
  return new CpuArray(x.backend, dtype, x.shape, data);
}

/** The value `value` converted to `dtype` as {@link cast} converts elements. */
export function scalarFor(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'int32') return JS_HELPERS.saturateInt32(value);
  return value;
}

/** See {@link Backend.full}. */
export function full(
  backend: Backend,
  shape: readonly number[],
  value: number,
  dtype: DType,
): CpuArray {
  checkShape('full', 'shape', shape);
  checkDType('full', dtype);
  if (typeof value !== 'number') {
    throw new KernelError('full', `\`value\` must be a number, found ${valueText(value)}`);
  }
  const data = allocData(dtype, sizeOf(shape)).fill(scalarFor(value, dtype));
  return new CpuArray(backend, dtype, [...shape], data);
}

/** See {@link Backend.iota}. */
export function iota(
  backend: Backend,
  shape: readonly number[],
  axis: number,
  dtype: DType,
): CpuArray {
  checkShape('iota', 'shape', shape);
  checkDType('iota', dtype);
  const d = normalizeAxis('iota', 'axis', axis, shape.length);
  const data = allocData(dtype, sizeOf(shape));
  const stride = contiguousStrides(shape)[d]!;
  const n = shape[d]!;
  for (let i = 0; i < data.length; i++) data[i] = scalarFor(Math.floor(i / stride) % n, dtype);
  return new CpuArray(backend, dtype, [...shape], data);
}
