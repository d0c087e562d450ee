/**
 * Elementwise kernels on the WebAssembly engine: operands are copied into the engine's memory, a SIMD
 * kernel generated for the program runs four lanes at a time, and the result is copied out. V8 runs the
 * generated JavaScript loops at several nanoseconds per element (each float32 goes through a float64);
 * this path runs at a fraction of one, copies included. It takes programs whose every step has an exact
 * SIMD translation (simd-ops.ts) over layouts that collapse to at most two dimensions with unit or
 * broadcast inner strides; the JavaScript loop runs everything else, with bit-identical results.
 */
import { elementBytes, type DataArray, type DType } from '../dtype.js';
import { collapse, type CpuArray } from './array.js';
import { gemmRunning } from './gemm.js';
import { broadcastStrides } from './strided.js';
import { getEngine, type Engine } from './wasm/engine.js';
import { allocate, engineAddress, free, viewAddress } from './wasm/heap.js';
import { simdKernel, type InputKind, type TypedStep } from './wasm/simd-kernel.js';

/** Default threshold: smaller results stay in JavaScript, where there is no copying to amortise. */
export const SIMD_MIN_ELEMENTS = 2048;

let minElements = SIMD_MIN_ELEMENTS;
let launches = 0;

/**
 * Sets the smallest result (in elements) that runs on the engine (default {@link SIMD_MIN_ELEMENTS};
 * tests use 0 to send everything eligible, and `Infinity` to keep everything in JavaScript); returns
 * the previous value.
 */
export function setSimdMinElements(elements: number): number {
  const previous = minElements;
  minElements = elements;
  return previous;
}

/** How many elementwise kernels have run on the engine, for tests that check this path is taken. */
export function simdLaunches(): number {
  return launches;
}

/** A typed view of the engine's memory for `dtype` (call after `allocate`, which may replace it). */
function heapView(e: Engine, dtype: DType): DataArray {
  if (dtype === 'float32') return e.f32;
  if (dtype === 'int32') return e.i32;
  return new Uint8Array(e.f32.buffer);
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

/** An input's layout over the collapsed `rows x len` loop, and what to copy. */
interface Placement {
  readonly kind: InputKind;
  readonly elements: number;
  /** Index in `data` of the first element when `data` already holds them as the kind's layout. */
  readonly start?: number;
  copy(dst: DataArray, at: number): void;
}

function place(
  x: CpuArray,
  strides: readonly number[],
  rows: number,
  len: number,
): Placement | null {
  const inner = strides[strides.length - 1]!;
  const outer = strides.length === 2 ? strides[0]! : 0;
  const src = x.data;
  const start = x.offset;
  if (inner === 0) {
    if (outer === 0)
      return { kind: 'scalar', elements: 1, copy: (dst, at) => (dst[at] = src[start]!) };
    return {
      kind: 'col',
      elements: rows,
      copy: (dst, at) => {
        for (let r = 0; r < rows; r++) dst[at + r] = src[start + r * outer]!;
      },
    };
  }
  if (inner !== 1) return null;
  if (outer === 0 && rows > 1) {
    return {
      kind: 'row',
      elements: len,
      copy: (dst, at) => dst.set(src.subarray(start, start + len), at),
    };
  }
  const dense = rows === 1 || outer === len;
  return {
    kind: 'full',
    elements: rows * len,
    start: dense ? start : undefined,
    copy: (dst, at) => {
      if (dense) dst.set(src.subarray(start, start + rows * len), at);
      else
        for (let r = 0; r < rows; r++)
          dst.set(src.subarray(start + r * outer, start + r * outer + len), at + r * len);
    },
  };
}

/**
 * Runs `steps` over `inputs` broadcast to `shape` into `out` (contiguous, of the last step's dtype) on
 * the engine, and returns true; returns false, having written nothing, where this path does not apply.
 */
export function runSimd(
  steps: readonly TypedStep[],
  inputs: readonly CpuArray[],
  shape: readonly number[],
  out: DataArray,
): boolean {
  if (out.length < minElements || out.length === 0 || gemmRunning()) return false;
  const e = getEngine();
  if (e === null) return false;
  const merged = collapse(
    shape,
    inputs.map((x) => broadcastStrides(x.shape, x.strides, shape)),
  );
  const rank = merged.shape.length;
  if (rank === 0 || rank > 2) return false;
  const rows = rank === 2 ? merged.shape[0]! : 1;
  const len = merged.shape[rank - 1]!;
  // Rows shorter than the four lanes would waste most of each vector.
  if (len < 4 && rows > 1) return false;
  const placements: Placement[] = [];
  for (const [k, x] of inputs.entries()) {
    const p = place(x, merged.strides[k]!, rows, len);
    if (p === null) return false;
    placements.push(p);
  }
  const outDtype = steps[steps.length - 1]!.dtype;
  const kernel = simdKernel(
    e,
    steps,
    inputs.map((x, k) => ({ dtype: x.dtype, kind: placements[k]!.kind })),
  );
  if (kernel === null) return false;

  // Operands already in the engine's memory (arrays and imports of a scratch scope) are used in place;
  // the others are copied into one block, each region 16-byte aligned and followed by 16 bytes the last vector may
  // touch.
  const address: (number | undefined)[] = inputs.map((x, k) => {
    const start = placements[k]!.start;
    const at = start === undefined ? undefined : engineAddress(e, x.data);
    return at === undefined ? undefined : at + start! * elementBytes(x.dtype);
  });
  const outInPlace = viewAddress(out) !== undefined;
  let top = 0;
  const region = (elements: number, dtype: DType): number => {
    const at = top;
    top += align16(elements * elementBytes(dtype)) + 16;
    return at;
  };
  const offsets = inputs.map((x, k) =>
    address[k] === undefined ? region(placements[k]!.elements, x.dtype) : 0,
  );
  const outOffset = outInPlace ? 0 : region(rows * len, outDtype);
  const base = top === 0 ? 0 : allocate(e, top);
  if (top !== 0 && base === 0) return false;
  try {
    const addresses = inputs.map((x, k) => {
      if (address[k] !== undefined) return address[k];
      const at = base + offsets[k]!;
      placements[k]!.copy(heapView(e, x.dtype), at / elementBytes(x.dtype));
      return at;
    });
    const outAddress = outInPlace ? out.byteOffset : base + outOffset;
    kernel(rows, len, outAddress, ...addresses);
    if (!outInPlace) {
      const first = outAddress / elementBytes(outDtype);
      out.set(heapView(e, outDtype).subarray(first, first + out.length));
    }
  } finally {
    if (base !== 0) free(e, base);
  }
  launches++;
  return true;
}
