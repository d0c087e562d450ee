// The worker pool: start-up, idempotence, that every thread takes tasks (per-thread task counters), and
// that jobs split across threads give exactly the single-thread results, through many back-to-back jobs
// and a growth of the shared memory.
import { gemm, gemmGathered, type GatheredGemmCall, type GemmCall } from '../src/cpu/gemm.js';
import { startThreads, threadCount } from '../src/cpu/threads.js';
import { getEngine } from '../src/cpu/wasm/engine.js';
import { engineStats, resetEngineStats, tuning } from '../src/cpu/wasm/job.js';

function filled(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** A row-major product `m x k @ k x n` over `batch` items, as a call writing to a fresh output. */
function call(m: number, n: number, k: number, batch = 1, seed = 1): GemmCall {
  return {
    m,
    n,
    k,
    a: { data: filled(batch * m * k, seed), offset: 0, rowStride: k, colStride: 1 },
    b: { data: filled(batch * k * n, seed + 1), offset: 0, rowStride: n, colStride: 1 },
    out: new Float32Array(batch * m * n),
    outOffset: 0,
    batch,
    aBatchStride: m * k,
    bBatchStride: k * n,
  };
}

/** The result of `c` on the calling thread alone. */
function singleThreaded(c: GemmCall): Float32Array {
  const saved = tuning.parallelFlops;
  tuning.parallelFlops = Infinity;
  try {
    const copy = { ...c, out: new Float32Array(c.out.length) };
    gemm(copy);
    return copy.out;
  } finally {
    tuning.parallelFlops = saved;
  }
}

/** The first index where two arrays differ (or -1): a fast exact check for large outputs. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/**
 * A product with a gathered B over `batch` images `[3, 6, 10]` padded to `[1, 8, 12]`: a 3x3 'SAME'
 * convolution's columns, as conv-gather.ts describes them.
 */
function gatheredCall(m: number, batch: number, seed = 1): GatheredGemmCall {
  const plane = 8 * 12;
  const rowOffsets = Int32Array.from({ length: 27 }, (_, p) => {
    const [c, kh, kw] = [Math.floor(p / 9), Math.floor(p / 3) % 3, p % 3];
    return 4 * (c * plane + kh * 12 + kw);
  });
  const colOffsets = Int32Array.from(
    { length: 60 },
    (_, q) => 4 * (Math.floor(q / 10) * 12 + (q % 10)),
  );
  return {
    m,
    n: 60,
    k: 27,
    a: { data: filled(m * 27, seed), offset: 0, rowStride: 27, colStride: 1 },
    b: {
      source: {
        data: filled(batch * 180, seed + 1),
        offset: 0,
        itemStride: 180,
        shape: [3, 1, 6, 10],
        padded: [1, 8, 12],
        before: [0, 1, 1],
      },
      rowOffsets,
      colOffsets,
    },
    out: new Float32Array(batch * m * 60),
    outOffset: 0,
    batch,
  };
}

describe('worker threads', () => {
  const saved = tuning.parallelFlops;
  afterAll(() => {
    tuning.parallelFlops = saved;
  });

  test('start once and report the thread count, the caller included', async () => {
    expect(threadCount()).toBe(1);
    const first = startThreads(2);
    expect(startThreads(4)).toBe(first); // idempotent: the first call's promise
    expect(await first).toBe(2);
    expect(await startThreads()).toBe(2);
    expect(threadCount()).toBe(2);
    expect(getEngine()?.shared).toBe(true);
  });

  test('the worker takes tasks alongside the calling thread', () => {
    tuning.parallelFlops = 0;
    const engine = getEngine()!;
    // 256 x 512 x 256 with 2 threads: 16 block tasks of 64 x 128, plus packing tasks.
    const c = call(256, 512, 256);
    const expected = singleThreaded(c);
    resetEngineStats(engine);
    // The overlap runs on the calling thread once the job is published: wait (boundedly) until the worker
    // has started on it, so the check does not depend on how fast the worker wakes up.
    const deadline = Date.now() + 5000;
    c.overlap = () => {
      while (engineStats(engine).threadTasks[1] === 0 && Date.now() < deadline);
    };
    gemm(c);
    expect(c.out).toEqual(expected);
    const { parallelJobs, threadTasks } = engineStats(engine);
    expect(parallelJobs).toBe(1);
    expect(threadTasks).toHaveLength(2);
    expect(threadTasks[1]).toBeGreaterThan(0);
    // Many jobs in a row, without the wait: more than one thread takes tasks overall.
    resetEngineStats(engine);
    for (let round = 0; round < 20; round++) gemm(call(256, 512, 256, 1, round));
    const after = engineStats(engine);
    expect(after.parallelJobs).toBe(20);
    expect(after.threadTasks.filter((t) => t > 0).length).toBeGreaterThan(1);
  });

  test('a gemm from the overlap callback of a parallel job throws, and the pool keeps working', () => {
    tuning.parallelFlops = 0;
    const c = call(64, 64, 64);
    const expected = singleThreaded(c);
    c.overlap = () => gemm(call(8, 8, 8));
    expect(() => gemm(c)).toThrow(/gemm: called while another gemm is running/);
    const d = call(64, 64, 64);
    gemm(d);
    expect(d.out).toEqual(expected);
  });

  test('gathered B: workers take its tasks, and threaded results equal single-thread ones exactly', () => {
    const engine = getEngine()!;
    // 64 items: one task per item packs and multiplies it; 2 items: packing and blocks apart.
    for (const batch of [64, 2]) {
      tuning.parallelFlops = Infinity;
      const single = gatheredCall(64, batch);
      expect(gemmGathered(single)).toBe(true);
      tuning.parallelFlops = 0;
      resetEngineStats(engine);
      for (let round = 0; round < 20; round++) {
        const threaded = gatheredCall(64, batch);
        expect(gemmGathered(threaded)).toBe(true);
        expect(firstDifference(threaded.out, single.out)).toBe(-1);
      }
      expect(engineStats(engine).parallelJobs).toBe(20);
      // The larger jobs last long enough (about 0.4 ms each) for the worker to join in.
      if (batch === 64) {
        expect(engineStats(engine).threadTasks.filter((t) => t > 0).length).toBeGreaterThan(1);
      }
    }
  });

  test('threaded results equal single-thread results exactly', () => {
    tuning.parallelFlops = 0;
    for (const [m, n, k, batch] of [
      [64, 64, 64, 1],
      [257, 129, 300, 1],
      [5, 700, 33, 1],
      [31, 17, 23, 12],
      [128, 256, 256, 3],
    ] as const) {
      const c = call(m, n, k, batch);
      const expected = singleThreaded(c);
      gemm(c);
      expect(c.out).toEqual(expected);
    }
  });

  test('many back-to-back jobs all complete correctly', () => {
    tuning.parallelFlops = 0;
    const cases = [call(20, 24, 16), call(9, 40, 33), call(48, 8, 12, 5)];
    const expected = cases.map(singleThreaded);
    for (let round = 0; round < 300; round++) {
      const i = round % cases.length;
      const c = cases[i]!;
      c.out.fill(NaN);
      gemm(c);
      expect(c.out).toEqual(expected[i]);
    }
  });

  test('the shared memory grows and the workers keep working on it', () => {
    tuning.parallelFlops = 0;
    const engine = getEngine()!;
    const before = engine.memory.buffer.byteLength;
    const c = call(2048, 2048, 32); // about 17 MB of job data, more than the initial memory
    gemm(c);
    expect(engine.memory.buffer.byteLength).toBeGreaterThan(before);
    // Spot-check entries against a float64 dot product.
    for (const [i, j] of [
      [0, 0],
      [2047, 2047],
      [700, 3],
      [3, 1901],
    ] as const) {
      let sum = 0;
      for (let p = 0; p < 32; p++) sum += c.a.data[i * 32 + p]! * c.b.data[p * 2048 + j]!;
      expect(c.out[i * 2048 + j]).toBeCloseTo(sum, 4);
    }
    // And a job after the growth, on every thread.
    const d = call(200, 300, 100, 2, 7);
    const expected = singleThreaded(d);
    gemm(d);
    expect(d.out).toEqual(expected);
  });
});
