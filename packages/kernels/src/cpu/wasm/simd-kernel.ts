/**
 * WebAssembly SIMD elementwise kernels, generated per program (a chain of elementwise steps, as
 * `Backend.fused` takes) and per input layout, and cached. The kernel walks `rows x len` elements row by
 * row, four lanes at a time; each input is one of four layouts (see {@link InputKind}), which covers
 * same-shape operands, scalars, and the row and column broadcasts of bias adds and normalisations.
 *
 * Rows are processed in order, four elements at a time, so a row whose length is not a multiple of four
 * writes up to three elements past its end: the next row overwrites them, and the caller leaves 16 bytes
 * of padding after the output and after every input.
 */
import { elementBytes, type DType } from '../../dtype.js';
import { Asm, I32, V128 } from './asm.js';
import { encodeModule } from './encoder.js';
import { memoryLimits, type Engine } from './engine.js';
import { SIMD, simdStep, type Emit } from './simd-ops.js';
import { wasmApi } from './platform.js';

/**
 * How an input is laid out in the engine's memory, relative to the `rows x len` output:
 * `full` is `rows x len` (row-major), `row` one row of `len` read by every row, `col` one element per
 * row, `scalar` one element.
 */
export type InputKind = 'full' | 'row' | 'col' | 'scalar';

/** An input of a kernel: its dtype and layout. */
export interface SimdInput {
  readonly dtype: DType;
  readonly kind: InputKind;
}

export type { TypedStep } from '../../fused-program.js';
import type { TypedStep } from '../../fused-program.js';

/** A compiled kernel: byte addresses of the output and of each input, in input order. */
export type SimdKernel = (rows: number, len: number, out: number, ...inputs: number[]) => void;

const cache = new Map<string, SimdKernel | null>();
/** Programs are few in practice (one per fused chain of a jitted function); bound them anyway. */
const MAX_CACHED = 1024;

/**
 * The kernel for `steps` over `inputs`, compiled on first use; null when a step has no exact SIMD
 * translation (the caller then runs the JavaScript kernel).
 */
export function simdKernel(
  e: Engine,
  steps: readonly TypedStep[],
  inputs: readonly SimdInput[],
): SimdKernel | null {
  const key = JSON.stringify([steps, inputs]);
  let kernel = cache.get(key);
  if (kernel === undefined) {
    const bytes = kernelBytes(e, steps, inputs);
    kernel = bytes === null ? null : instantiate(e, bytes);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, kernel);
  }
  return kernel;
}

function instantiate(e: Engine, bytes: Uint8Array): SimdKernel {
  const api = wasmApi()!;
  const instance = new api.Instance(new api.Module(bytes), { env: { memory: e.memory } });
  return instance.exports.run as SimdKernel;
}

/** Sets local `into` to four lanes of an input read at the address in local `ptr`. */
function load(f: Asm, dtype: DType, ptr: number, into: number): void {
  f.get(ptr);
  if (dtype !== 'bool') f.v128Load();
  else f.v128Load32Zero().simd(SIMD.i16x8ExtendLowI8x16U).simd(SIMD.i32x4ExtendLowI16x8U);
  f.set(into);
}

/** Sets local `into` to one element of an input, read at the address in local `ptr`, in all lanes. */
function loadSplat(f: Asm, dtype: DType, ptr: number, into: number): void {
  f.get(ptr);
  if (dtype !== 'bool') f.v128Load32Splat();
  else f.i32Load8U().simd(SIMD.i32x4Splat);
  f.set(into);
}

/** Stores the four lanes in local `value` at the address in local `ptr`. */
function store(f: Asm, dtype: DType, ptr: number, value: number, scratch: number): void {
  f.get(ptr).get(value);
  if (dtype !== 'bool') {
    f.v128Store();
    return;
  }
  // 0/1 lanes narrow to four bytes without saturating.
  f.get(value).simd(SIMD.i16x8NarrowI32x4U).set(scratch);
  f.get(scratch).get(scratch).simd(SIMD.i8x16NarrowI16x8U).v128Store32Lane(0);
}

function kernelBytes(
  e: Engine,
  steps: readonly TypedStep[],
  inputs: readonly SimdInput[],
): Uint8Array | null {
  const dtypes = inputs.map((x) => x.dtype);
  const emits: Emit[] = [];
  for (const step of steps) {
    const emit = simdStep(
      step.op,
      step.args.map((v) => dtypes[v]!),
      step.op === 'cast' ? step.dtype : undefined,
    );
    if (emit === undefined) return null;
    emits.push(emit);
    dtypes.push(step.dtype);
  }
  const outDtype = dtypes[dtypes.length - 1]!;
  const [ROWS, LEN, OUT] = [0, 1, 2];
  const param = (k: number) => 3 + k;
  const f = new Asm(
    'run',
    Array.from({ length: 3 + inputs.length }, () => I32),
  );
  const r = f.local();
  const i = f.local();
  const o = f.local();
  const rowOut = f.local();
  const scratch = f.local(V128);
  // Per input: its current pointer (full, row, col) and its lanes (a v128 local).
  const ptr = inputs.map((x, k) => (x.kind === 'scalar' ? param(k) : f.local()));
  const base = inputs.map((x, k) => (x.kind === 'full' ? f.local() : param(k)));
  const lanes = inputs.map(() => f.local(V128));
  const values = [...lanes, ...steps.map(() => f.local(V128))];
  const result = values[values.length - 1]!;

  for (const [k, x] of inputs.entries()) {
    if (x.kind === 'scalar') loadSplat(f, x.dtype, param(k), lanes[k]!);
    if (x.kind === 'full' || x.kind === 'col')
      f.get(param(k)).set(x.kind === 'full' ? base[k]! : ptr[k]!);
  }
  f.get(OUT).set(rowOut).i32(0).set(r);
  f.block().loop();
  f.get(r).get(ROWS).i32GeS().brIf(1);
  for (const [k, x] of inputs.entries()) {
    if (x.kind === 'col') loadSplat(f, x.dtype, ptr[k]!, lanes[k]!);
    if (x.kind === 'full' || x.kind === 'row') f.get(base[k]!).set(ptr[k]!);
  }
  f.get(rowOut).set(o).i32(0).set(i);
  f.block().loop();
  f.get(i).get(LEN).i32GeS().brIf(1);
  for (const [k, x] of inputs.entries()) {
    if (x.kind === 'full' || x.kind === 'row') load(f, x.dtype, ptr[k]!, lanes[k]!);
  }
  steps.forEach((step, s) => {
    emits[s]!(
      f,
      step.args.map((v) => values[v]!),
    );
    f.set(values[inputs.length + s]!);
  });
  store(f, outDtype, o, result, scratch);
  for (const [k, x] of inputs.entries()) {
    if (x.kind === 'full' || x.kind === 'row') f.inc(ptr[k]!, 4 * elementBytes(x.dtype));
  }
  f.inc(o, 4 * elementBytes(outDtype))
    .inc(i, 4)
    .br(0)
    .end()
    .end();
  // Next row.
  f.get(rowOut).get(LEN).i32(elementBytes(outDtype)).i32Mul().i32Add().set(rowOut);
  for (const [k, x] of inputs.entries()) {
    const size = elementBytes(x.dtype);
    if (x.kind === 'full') f.get(base[k]!).get(LEN).i32(size).i32Mul().i32Add().set(base[k]!);
    if (x.kind === 'col') f.inc(ptr[k]!, size);
  }
  f.inc(r, 1).br(0).end().end();
  return encodeModule(memoryLimits(e.shared), [f.build()]);
}
