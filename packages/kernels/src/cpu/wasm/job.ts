/**
 * Runs a GEMM on the WebAssembly engine: copies operands into the engine's memory, writes a list of
 * tasks (pack A, pack B, multiply blocks), runs them on the calling thread and any workers, and copies
 * the results out. A gathered B (see gather.ts) is copied in as images, which its pack tasks pad and
 * gather from.
 */
import type { GatheredMatrix, MatrixView, ResolvedGemm } from './call.js';
import { type Engine } from './engine.js';
import { allocate, engineAddress, free, viewAddress } from './heap.js';
import { gatheredB, gatheredItemBytes, storedB, type BPlan } from './gather.js';
import { FN_BLOCK, FN_GATHER_BLOCK, FN_PACK_A } from './kernel.js';
import {
  CTL_DONE,
  CTL_GEN,
  CTL_NEXT,
  CTL_PACKED,
  CTL_PACKS,
  CTL_TASKS,
  CTL_TOTAL,
  GEN_MASK,
  INDEX_BITS,
  MAX_RECORDS,
  RECORD_WORDS,
  RECORDS_BASE,
  SCRATCH_BASE,
} from './layout.js';

/** Tuning knobs of the engine; see {@link tuning}. */
export interface Tuning {
  /** Rows (of C) per block task: a positive multiple of the kernel's `mr` (checked at each job). */
  mc: number;
  /** Columns (of C) per block task: a positive multiple of the kernel's `nr` (checked at each job). */
  nc: number;
  /** Elements a packing task copies, about. */
  packElements: number;
  /** Below this many flops (2mnk over the batch) a job runs on the calling thread alone. */
  parallelFlops: number;
  /** Bytes of job data a batch group may take before the batch is split into several jobs. */
  groupBytes: number;
}

/** The default {@link tuning}. */
export const DEFAULT_TUNING: Readonly<Tuning> = Object.freeze({
  mc: 128,
  nc: 256,
  packElements: 32768,
  parallelFlops: 1 << 21,
  groupBytes: 64 << 20,
});

/**
 * Tuning knobs, exported so tests and benchmarks can move them; `Object.assign(tuning, DEFAULT_TUNING)`
 * puts them back.
 */
export const tuning: Tuning = { ...DEFAULT_TUNING };

/**
 * Throws unless `mc` and `nc` are positive multiples of the register tile: a block task must start on a
 * panel boundary, since it addresses the packed panels by `ic * k` and `jc * k`.
 */
function checkTuning(mr: number, nr: number): void {
  const { mc, nc } = tuning;
  if (!(Number.isInteger(mc) && mc > 0 && mc % mr === 0)) {
    throw new Error(`gemm tuning: mc must be a positive multiple of mr = ${mr}, found ${mc}`);
  }
  if (!(Number.isInteger(nc) && nc > 0 && nc % nr === 0)) {
    throw new Error(`gemm tuning: nc must be a positive multiple of nr = ${nr}, found ${nc}`);
  }
}

let parallelJobs = 0;

/**
 * Counters for tests: jobs run on several threads, and tasks run by each thread (index 0 is the calling
 * thread), since the engine was created or since the last {@link resetEngineStats}.
 */
export function engineStats(e: Engine): { parallelJobs: number; threadTasks: number[] } {
  const threadTasks: number[] = [];
  for (let t = 0; t < e.threads; t++) threadTasks.push(Atomics.load(e.i32, CTL_TASKS + t));
  return { parallelJobs, threadTasks };
}

/** Zeroes the counters of {@link engineStats}; call only between jobs. */
export function resetEngineStats(e: Engine): void {
  parallelJobs = 0;
  for (let t = 0; t < e.threads; t++) Atomics.store(e.i32, CTL_TASKS + t, 0);
}

const align = (bytes: number) => (bytes + 63) & ~63;
const sum = (parts: { raw: number; copy: number }) => parts.raw + parts.copy;

/** Where one operand of a batch group lives in the engine's memory. */
interface Placed {
  /** Byte address of the first item's element (0, 0). */
  addr: number;
  /** Bytes between items (0 when broadcast). */
  itemStride: number;
  rowStride: number;
  colStride: number;
}

/**
 * Decides how to copy a `rows x cols` view for batch items `t0 .. t0 + count`: one `set()` of the span of
 * memory it covers when that span is dense enough, else an element gather into a packed copy.
 */
function planOperand(
  e: Engine,
  view: MatrixView,
  rows: number,
  cols: number,
  batchStride: number,
  t0: number,
  count: number,
) {
  const items = batchStride === 0 ? 1 : count;
  const start = view.offset + t0 * batchStride;
  const span =
    (items - 1) * batchStride + (rows - 1) * view.rowStride + (cols - 1) * view.colStride + 1;
  // In the engine's memory already, or (in a scratch scope) worth importing whole: read in place.
  const inEngine =
    viewAddress(view.data) !== undefined || 2 * span >= view.data.length
      ? engineAddress(e, view.data)
      : undefined;
  if (inEngine !== undefined) {
    const placed: Placed = {
      addr: inEngine + start * 4,
      itemStride: batchStride * 4,
      rowStride: view.rowStride * 4,
      colStride: view.colStride * 4,
    };
    return { bytes: 0, items, write: (): Placed => placed };
  }
  const dense = span <= 2 * items * rows * cols + 1024;
  const elements = dense ? span : items * rows * cols;
  return {
    bytes: align(elements * 4),
    items,
    write(f32: Float32Array, addr: number): Placed {
      if (dense) {
        f32.set(view.data.subarray(start, start + span), addr >> 2);
        return {
          addr,
          itemStride: batchStride * 4,
          rowStride: view.rowStride * 4,
          colStride: view.colStride * 4,
        };
      }
      let o = addr >> 2;
      for (let t = 0; t < items; t++) {
        for (let i = 0; i < rows; i++) {
          const row = start + t * batchStride + i * view.rowStride;
          if (view.colStride === 1) f32.set(view.data.subarray(row, row + cols), o);
          else for (let j = 0; j < cols; j++) f32[o + j] = view.data[row + j * view.colStride]!;
          o += cols;
        }
      }
      return {
        addr,
        itemStride: items === 1 ? 0 : rows * cols * 4,
        rowStride: cols * 4,
        colStride: 4,
      };
    },
  };
}

/** A GEMM whose B is stored or gathered. */
type EngineGemm = ResolvedGemm<MatrixView | GatheredMatrix>;

function isGathered(b: MatrixView | GatheredMatrix): b is GatheredMatrix {
  return 'rowOffsets' in b;
}

/** Records per batch item: packing tasks for A and B, and block tasks. */
function taskCounts(g: EngineGemm, mc: number, nc: number, mr: number, nr: number) {
  const aRows = mr * Math.max(1, Math.floor(tuning.packElements / (g.k * mr)));
  const bCols = nr * Math.max(1, Math.floor(tuning.packElements / (g.k * nr)));
  return {
    aRows,
    bCols,
    packA: Math.ceil(g.m / aRows),
    packB: Math.ceil(g.n / bCols),
    blocks: Math.ceil(g.m / mc) * Math.ceil(g.n / nc),
  };
}

/**
 * Runs `g` on the engine. Returns false, having written nothing, when one batch item does not fit
 * in the engine's memory (the caller then uses the JavaScript engine).
 */
export function runOnEngine(e: Engine, g: EngineGemm): boolean {
  const { m, n, k, batch } = g;
  const { mr, nr } = e.shape;
  checkTuning(mr, nr);
  const threads = e.threads;
  const parallel = threads > 1 && 2 * m * n * k * batch >= tuning.parallelFlops;

  // Smaller blocks when there are too few to keep every thread busy.
  let mc = tuning.mc;
  let nc = tuning.nc;
  if (parallel) {
    const blocks = () => batch * Math.ceil(m / mc) * Math.ceil(n / nc);
    // Halve, rounding up to whole panels so that blocks still start on panel boundaries.
    const half = (size: number, tile: number) => Math.ceil(size / 2 / tile) * tile;
    while (blocks() < 4 * threads && (mc > 4 * mr || nc > 4 * nr)) {
      if (nc >= mc && nc > 4 * nr) nc = half(nc, nr);
      else mc = half(mc, mr);
    }
  }
  const counts = taskCounts(g, mc, nc, mr, nr);
  const packedA = align(Math.ceil(m / mr) * mr * k * 4);
  const packedB = align(Math.ceil(n / nr) * nr * k * 4);
  const cBytes = m * n * 4;
  const b = g.b;
  const gathered = isGathered(b);
  const bItem = gathered ? sum(gatheredItemBytes(b)) : k * n * 4;
  const bBroadcast = !gathered && g.bBatchStride === 0;

  // How many batch items one job takes: bounded by memory and by the record area.
  const perItem =
    (g.aBatchStride === 0 ? 0 : m * k * 4 + packedA) + (bBroadcast ? 0 : bItem + packedB) + cBytes;
  const shared =
    (g.aBatchStride === 0 ? 2 * m * k * 4 + packedA : 0) +
    (bBroadcast ? 2 * k * n * 4 + packedB : 0);
  const perItemRecords = counts.packA + counts.packB + counts.blocks;
  let group = Math.max(1, Math.floor((tuning.groupBytes - shared) / perItem));
  group = Math.min(group, batch, Math.max(1, Math.floor(MAX_RECORDS / perItemRecords)));
  if (perItemRecords > MAX_RECORDS) return false;

  for (let t0 = 0; t0 < batch; t0 += group) {
    const count = Math.min(group, batch - t0);
    const planA = planOperand(e, g.a, m, k, g.aBatchStride, t0, count);
    const planB: BPlan = gathered
      ? gatheredB(b, t0, count, nr)
      : storedB(planOperand(e, b, k, n, g.bBatchStride, t0, count), k);
    const aPackBase = planA.bytes + planB.bytes;
    const bPackBase = aPackBase + planA.items * packedA;
    const cBase = bPackBase + planB.items * packedB;
    // C goes straight into the output when that lies in the engine's memory, row after row.
    const direct = directOutput(g, t0, count);
    const total = cBase + (direct === undefined ? align(count * cBytes) : 0);
    const base = allocate(e, total);
    if (base === 0) {
      if (t0 === 0) return false;
      throw new Error('gemm: the WebAssembly memory could not grow for a later batch group');
    }
    try {
      const f32 = e.f32;
      const A = planA.write(f32, base);
      const packB = planB.write(f32, e.i32, base + planA.bytes);
      const cAddr = direct ?? base + cBase;
      if (g.accumulate && direct === undefined) copyOut(g, f32, cAddr, t0, count, true);

      // Task records: every packing task first, then the blocks.
      const i32 = e.i32;
      let r = RECORDS_BASE >> 2;
      const record = (fn: number, ...args: number[]) => {
        i32[r] = fn;
        for (let q = 0; q < 8; q++) i32[r + 1 + q] = args[q] ?? 0;
        r += RECORD_WORDS;
      };
      for (let t = 0; t < planA.items; t++) {
        const src = A.addr + t * A.itemStride;
        const dst = base + aPackBase + t * packedA;
        for (let i = 0; i < m; i += counts.aRows) {
          const rows = Math.min(counts.aRows, m - i);
          record(
            FN_PACK_A,
            src + i * A.rowStride,
            A.rowStride,
            A.colStride,
            rows,
            k,
            dst + i * k * 4,
          );
        }
      }
      // A gathered item that fits one block is packed and multiplied by one task, on one thread, while
      // its panels are in that thread's cache; only A's packing comes first. Needs items to share out.
      const fused =
        planB.fusable === true && planA.items === 1 && m <= mc && n <= nc && count >= 4 * threads;
      for (let t = 0; t < (fused ? 0 : planB.items); t++) {
        const dst = base + bPackBase + t * packedB;
        const step = planB.columnsPerTask ?? counts.bCols;
        for (let j = 0; j < n; j += step) {
          const [fn, ...args] = packB(t, j, Math.min(step, n - j), dst + j * k * 4);
          record(fn!, ...args);
        }
      }
      const packs = (r - (RECORDS_BASE >> 2)) / RECORD_WORDS;
      const beta = g.accumulate ? 1 : 0;
      for (let t = 0; t < count; t++) {
        const pa = base + aPackBase + (planA.items === 1 ? 0 : t * packedA);
        const pb = base + bPackBase + (planB.items === 1 ? 0 : t * packedB);
        const c = cAddr + t * cBytes;
        if (fused) {
          const [, ...args] = packB(t, 0, n, pb);
          record(FN_GATHER_BLOCK, ...args, pa, c, m, beta);
          continue;
        }
        for (let ic = 0; ic < m; ic += mc) {
          for (let jc = 0; jc < n; jc += nc) {
            record(
              FN_BLOCK,
              pa + ic * k * 4,
              pb + jc * k * 4,
              c + (ic * n + jc) * 4,
              n * 4,
              Math.min(mc, m - ic),
              Math.min(nc, n - jc),
              k,
              beta,
            );
          }
        }
      }
      const tasks = (r - (RECORDS_BASE >> 2)) / RECORD_WORDS;
      if (parallel) {
        const overlap = g.overlap;
        g.overlap = undefined;
        parallelJobs++;
        runParallel(e, tasks, packs, overlap);
      } else {
        for (let i = 0; i < tasks; i++) runTask(e, i, SCRATCH_BASE);
        e.i32[CTL_TASKS] = e.i32[CTL_TASKS]! + tasks;
      }
      if (direct === undefined) copyOut(g, e.f32, cAddr, t0, count, false);
    } finally {
      free(e, base);
    }
  }
  return true;
}

/**
 * The byte address where C of items `t0 .. t0 + count` can be written in place: when the output is a
 * view of the engine's memory (see heap.ts) laid out as the blocks write C, one item after another.
 */
function directOutput(g: EngineGemm, t0: number, count: number): number | undefined {
  const address = viewAddress(g.out);
  if (address === undefined || g.outRowStride !== g.n) return undefined;
  if (count > 1 && g.outBatchStride !== g.m * g.n) return undefined;
  return g.out.byteOffset + (g.outOffset + t0 * g.outBatchStride) * 4;
}

/** Copies C of items `t0 .. t0 + count` from the engine to `out` (or, with `toEngine`, the other way). */
function copyOut(
  g: EngineGemm,
  f32: Float32Array,
  cAddr: number,
  t0: number,
  count: number,
  toEngine: boolean,
): void {
  const { m, n, out } = g;
  const c = cAddr >> 2;
  const cItem = m * n;
  if (g.outRowStride === n && (count === 1 || g.outBatchStride === m * n)) {
    const o = g.outOffset + t0 * g.outBatchStride;
    if (toEngine) f32.set(out.subarray(o, o + count * m * n), c);
    else out.set(f32.subarray(c, c + count * m * n), o);
    return;
  }
  for (let t = 0; t < count; t++) {
    for (let i = 0; i < m; i++) {
      const o = g.outOffset + (t0 + t) * g.outBatchStride + i * g.outRowStride;
      const s = c + t * cItem + i * n;
      if (toEngine) f32.set(out.subarray(o, o + n), s);
      else out.set(f32.subarray(s, s + n), o);
    }
  }
}

/** Runs task record `i` with the given scratch tile. */
function runTask(e: Engine, i: number, scratch: number): void {
  const w = e.i32;
  const r = (RECORDS_BASE >> 2) + i * RECORD_WORDS;
  e.functions[w[r]!]!(
    w[r + 1]!,
    w[r + 2]!,
    w[r + 3]!,
    w[r + 4]!,
    w[r + 5]!,
    w[r + 6]!,
    w[r + 7]!,
    w[r + 8]!,
    scratch,
  );
}

let generation = 0;
let mainCanWait: boolean | undefined;

/**
 * Publishes the job to the workers, runs `overlap` while they start, takes tasks on this thread too, and
 * returns when all are done.
 * The protocol (mirrored in worker-source.ts): a ticket carries the job's generation, so a worker still
 * looking at an old job can never take a task of a new one.
 */
function runParallel(e: Engine, total: number, packs: number, overlap?: () => void): void {
  const w = e.i32;
  generation = (generation + 1) | 0;
  const gen = generation & GEN_MASK;
  Atomics.store(w, CTL_NEXT, gen << INDEX_BITS);
  Atomics.store(w, CTL_PACKS, packs);
  Atomics.store(w, CTL_PACKED, 0);
  Atomics.store(w, CTL_DONE, 0);
  Atomics.store(w, CTL_TOTAL, total);
  Atomics.store(w, CTL_GEN, generation);
  Atomics.notify(w, CTL_GEN);
  try {
    overlap?.();
  } finally {
    // Even when `overlap` throws, the job must end before its memory can be reused.
    takeTasks(e, gen, SCRATCH_BASE);
    waitDone(w, total);
  }
}

function waitDone(w: Int32Array, total: number): void {
  for (let spins = 0; ; spins++) {
    const done = Atomics.load(w, CTL_DONE);
    if (done >= total) return;
    // Spin a little first: waking up costs more than the last task usually takes.
    if (spins < 2000) continue;
    if (mainCanWait !== false) {
      try {
        Atomics.wait(w, CTL_DONE, done, 50);
        mainCanWait = true;
      } catch {
        mainCanWait = false; // a browser's main thread may not block
      }
    }
  }
}

/**
 * The task loop every thread runs for job generation `gen` (see worker-source.ts for the twin); here
 * for the calling thread, thread 0, whose scratch tile and task counter come first.
 */
function takeTasks(e: Engine, gen: number, scratch: number): void {
  const w = e.i32;
  for (;;) {
    const ticket = Atomics.load(w, CTL_NEXT);
    if (ticket >>> INDEX_BITS !== gen) return;
    const i = ticket & ((1 << INDEX_BITS) - 1);
    const total = Atomics.load(w, CTL_TOTAL);
    if (i >= total) return;
    if (Atomics.compareExchange(w, CTL_NEXT, ticket, ticket + 1) !== ticket) continue;
    const packs = Atomics.load(w, CTL_PACKS);
    if (i >= packs) while (Atomics.load(w, CTL_PACKED) < packs);
    runTask(e, i, scratch);
    Atomics.add(w, CTL_TASKS, 1);
    if (i < packs) Atomics.add(w, CTL_PACKED, 1);
    if (Atomics.add(w, CTL_DONE, 1) + 1 === total) Atomics.notify(w, CTL_DONE);
  }
}
