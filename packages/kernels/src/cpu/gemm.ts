/**
 * General matrix multiply on float32 views, the engine under matmul and convolution. Runs in
 * WebAssembly SIMD (spread over worker threads once `startThreads` has run) where the platform has it,
 * else in blocked plain JavaScript; tiny products run in a direct JavaScript loop on either path.
 */
import type { GatheredMatrix, MatrixView, ResolvedGemm } from './wasm/call.js';
import { getEngine } from './wasm/engine.js';
import { gemmBlocked } from './wasm/js-blocked.js';
import { gemmSmall } from './wasm/js-small.js';
import { runOnEngine } from './wasm/job.js';

export type { GatheredMatrix, MatrixView } from './wasm/call.js';

/**
 * One GEMM, or a batch of them with uniform batch strides (a stride of 0 broadcasts an operand):
 * for each batch item `t`, `out_t = a_t @ b_t` (or `out_t += a_t @ b_t` with `accumulate`), where
 * `a_t` is `m x k`, `b_t` is `k x n`, and `out_t` is row-major `m x n` at
 * `outOffset + t * outBatchStride` with rows `outRowStride` apart. Strides are in elements; the
 * output must not overlap the operands.
 */
export interface GemmCall {
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  b: MatrixView;
  out: Float32Array;
  outOffset: number;
  /** Default `n`. */
  outRowStride?: number;
  /** Default 1. */
  batch?: number;
  /** Default 0. */
  aBatchStride?: number;
  /** Default 0. */
  bBatchStride?: number;
  /** Default `m * outRowStride`. */
  outBatchStride?: number;
  /** Add into `out` instead of overwriting it. Default false. */
  accumulate?: boolean;
  /**
   * Work for the calling thread to do while worker threads start on this product (such as building the
   * next product's operands), run exactly once before `gemm` returns: as soon as the workers have the
   * job, or at the end where there are none. It must not read or write this call's operands or output,
   * nor call `gemm` (which throws if it does).
   */
  overlap?: () => void;
}

/** Which engine {@link gemm} uses: `'auto'` (WebAssembly where available) or `'js'` (forced, for tests). */
export type GemmEngine = 'auto' | 'js';

let engineChoice: GemmEngine = 'auto';

/**
 * Picks the engine for later {@link gemm} calls; `'js'` forces the plain-JavaScript path, so tests can
 * cover it on platforms that have WebAssembly SIMD.
 */
export function setGemmEngine(choice: GemmEngine): void {
  engineChoice = choice;
}

/** The engine that runs GEMMs now: `'wasm'` or `'js'`. */
export function activeGemmEngine(): 'wasm' | 'js' {
  return engineChoice === 'auto' && getEngine() !== null ? 'wasm' : 'js';
}

/**
 * Default threshold: per-item products with at most this many multiply-adds (`m * n * k`) run in the
 * direct JS loop.
 */
export const SMALL_GEMM = 4096;

let smallGemm = SMALL_GEMM;

/**
 * Sets the small-product threshold (default {@link SMALL_GEMM}; tests use 0 to send every product to
 * the engine); returns the previous value.
 */
export function setSmallGemm(macs: number): number {
  const previous = smallGemm;
  smallGemm = macs;
  return previous;
}

/** True while a {@link gemm} call runs (its overlap callback included), to refuse re-entrant calls. */
let busy = false;

/**
 * True while a GEMM job holds the engine's memory (its `overlap` callback may still run other kernels,
 * which must then keep off the engine).
 */
export function gemmRunning(): boolean {
  return busy;
}

function refuseReentry(): void {
  if (busy) {
    throw new Error(
      'gemm: called while another gemm is running (from an overlap callback?); ' +
        'the GEMM engine is not re-entrant',
    );
  }
}

/** Runs a {@link GemmCall}. Throws if called re-entrantly, as from an `overlap` callback. */
export function gemm(call: GemmCall): void {
  refuseReentry();
  const outRowStride = call.outRowStride ?? call.n;
  const g: ResolvedGemm = {
    m: call.m,
    n: call.n,
    k: call.k,
    a: call.a,
    b: call.b,
    out: call.out,
    outOffset: call.outOffset,
    outRowStride,
    batch: call.batch ?? 1,
    aBatchStride: call.aBatchStride ?? 0,
    bBatchStride: call.bBatchStride ?? 0,
    outBatchStride: call.outBatchStride ?? call.m * outRowStride,
    accumulate: call.accumulate ?? false,
    overlap: call.overlap,
  };
  busy = true;
  try {
    run(g);
    g.overlap?.();
  } finally {
    busy = false;
  }
}

function run(g: ResolvedGemm): void {
  const { m, n, k, batch } = g;
  if (m === 0 || n === 0 || batch === 0) return;
  if (k === 0) {
    if (!g.accumulate) zeroOut(g);
    return;
  }
  if (m * n * k <= smallGemm) return gemmSmall(g);
  const engine = engineChoice === 'auto' ? getEngine() : null;
  if (engine !== null && stridesNonNegative(g) && runOnEngine(engine, g)) return;
  gemmBlocked(g);
}

function stridesNonNegative(g: ResolvedGemm): boolean {
  return (
    g.a.rowStride >= 0 &&
    g.a.colStride >= 0 &&
    g.b.rowStride >= 0 &&
    g.b.colStride >= 0 &&
    g.aBatchStride >= 0 &&
    g.bBatchStride >= 0
  );
}

/** `out_t = 0` for every batch item (the product over an empty K). */
function zeroOut(g: ResolvedGemm): void {
  for (let t = 0; t < g.batch; t++) {
    for (let i = 0; i < g.m; i++) {
      const o = g.outOffset + t * g.outBatchStride + i * g.outRowStride;
      g.out.fill(0, o, o + g.n);
    }
  }
}

/** A {@link GemmCall} whose B is gathered (one source per batch item), with no overlap work. */
export type GatheredGemmCall = Omit<GemmCall, 'b' | 'bBatchStride' | 'overlap'> & {
  b: GatheredMatrix;
};

/**
 * Runs a {@link GatheredGemmCall} on the WebAssembly engine, where its pack tasks gather B. Returns
 * false, having written nothing, where that engine does not take the product (JavaScript engine,
 * product below the small threshold, or out of memory): the caller then builds B and calls
 * {@link gemm}.
 */
export function gemmGathered(call: GatheredGemmCall): boolean {
  refuseReentry();
  const { m, n, k } = call;
  const batch = call.batch ?? 1;
  const engine = engineChoice === 'auto' ? getEngine() : null;
  if (engine === null || m * n * k <= smallGemm || m === 0 || n === 0 || k === 0 || batch === 0) {
    return false;
  }
  if (call.a.rowStride < 0 || call.a.colStride < 0 || (call.aBatchStride ?? 0) < 0) return false;
  const outRowStride = call.outRowStride ?? n;
  busy = true;
  try {
    return runOnEngine(engine, {
      ...call,
      outRowStride,
      batch,
      aBatchStride: call.aBatchStride ?? 0,
      bBatchStride: 1,
      outBatchStride: call.outBatchStride ?? m * outRowStride,
      accumulate: call.accumulate ?? false,
      overlap: undefined,
    });
  } finally {
    busy = false;
  }
}
