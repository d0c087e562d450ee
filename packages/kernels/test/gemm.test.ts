// The GEMM engine against an independent float64 reference: WebAssembly SIMD path, forced JavaScript
// path, and with worker threads; plus the binary encoder and matmul's broadcasting and errors.
import { cpu } from '../src/cpu/backend.js';
import {
  activeGemmEngine,
  gemm,
  gemmGathered,
  setGemmEngine,
  setSmallGemm,
  SMALL_GEMM,
  type GatheredMatrix,
  type GemmCall,
} from '../src/cpu/gemm.js';
import { startThreads } from '../src/cpu/threads.js';
import { Bytes } from '../src/cpu/wasm/encoder.js';
import { getEngine } from '../src/cpu/wasm/engine.js';
import { DEFAULT_TUNING, engineStats, resetEngineStats, tuning } from '../src/cpu/wasm/job.js';
import { DEFAULT_SHAPE, gemmModuleBytes } from '../src/cpu/wasm/kernel.js';
import { KernelError } from '../src/errors.js';

/** A deterministic generator, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

type Layout = 'row' | 'col' | 'strided' | 'sparse';
const LAYOUTS: Layout[] = ['row', 'col', 'strided', 'sparse'];

/** Strides of a `rows x cols` view in each layout; 'sparse' spreads elements so the engine gathers. */
function strides(layout: Layout, rows: number, cols: number): [number, number] {
  switch (layout) {
    case 'row':
      return [cols + 1, 1];
    case 'col':
      return [1, rows + 2];
    case 'strided':
      return [2 * cols + 1, 2];
    case 'sparse':
      return [5 * cols + 3, 4];
  }
}

interface Case {
  m: number;
  n: number;
  k: number;
  batch?: number;
  aLayout?: Layout;
  bLayout?: Layout;
  /** Broadcast the operand over the batch (batch stride 0). */
  aBroadcast?: boolean;
  bBroadcast?: boolean;
  accumulate?: boolean;
  /** Extra elements between rows of the output. */
  outPad?: number;
}

/** Builds the call, runs it, and checks every output element and the untouched padding. */
function check(c: Case, seed = 1): void {
  const { m, n, k } = c;
  const batch = c.batch ?? 1;
  const rand = random(seed);
  const view = (rows: number, cols: number, layout: Layout, broadcast: boolean) => {
    const [rs, cs] = strides(layout, rows, cols);
    const span = rows === 0 || cols === 0 ? 0 : (rows - 1) * rs + (cols - 1) * cs + 1;
    const batchStride = broadcast ? 0 : span + 3;
    const offset = 5;
    const data = Float32Array.from(
      { length: offset + (broadcast ? 1 : batch) * (span + 3) + 2 },
      () => rand() * 2,
    );
    return { data, offset, rowStride: rs, colStride: cs, batchStride };
  };
  const a = view(m, k, c.aLayout ?? 'row', c.aBroadcast ?? false);
  const b = view(k, n, c.bLayout ?? 'row', c.bBroadcast ?? false);
  const outRowStride = n + (c.outPad ?? 0);
  const outBatchStride = m * outRowStride + 1;
  const outOffset = 2;
  const out = Float32Array.from({ length: outOffset + batch * outBatchStride + 3 }, () =>
    c.accumulate ? rand() : 7,
  );
  const before = out.slice();
  const call: GemmCall = {
    m,
    n,
    k,
    a,
    b,
    out,
    outOffset,
    outRowStride,
    batch,
    aBatchStride: a.batchStride,
    bBatchStride: b.batchStride,
    outBatchStride,
    accumulate: c.accumulate ?? false,
  };
  gemm(call);

  const written = new Uint8Array(out.length);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          sum +=
            a.data[a.offset + t * a.batchStride + i * a.rowStride + p * a.colStride]! *
            b.data[b.offset + t * b.batchStride + p * b.rowStride + j * b.colStride]!;
        }
        const o = outOffset + t * outBatchStride + i * outRowStride + j;
        const expected = (c.accumulate ? before[o]! : 0) + sum;
        written[o] = 1;
        const err = Math.abs(out[o]! - expected);
        if (!(err <= 1e-5 * (k + 1))) {
          throw new Error(
            `${JSON.stringify(c)}: out[t=${t}, ${i}, ${j}] = ${out[o]}, expected ${expected}`,
          );
        }
      }
    }
  }
  for (let o = 0; o < out.length; o++) {
    if (written[o] === 0 && !Object.is(out[o], before[o])) {
      throw new Error(`${JSON.stringify(c)}: wrote outside the output, at ${o}`);
    }
  }
}

/**
 * Runs `gemmGathered` with random images, padding and offset tables (columns in runs of `run`, so both
 * the vector and the gathering paths of `packGather` take part) and checks it against B built here.
 * Returns what `gemmGathered` returned; on false, the output must be untouched.
 */
function checkGathered(
  m: number,
  n: number,
  k: number,
  batch: number,
  run: number,
  accumulate = false,
  seed = 3,
) {
  const rand = random(seed);
  const shape = [2, 2, 3, 5] as const;
  const padded = [3, 4, 9] as const;
  const before = [1, 0, 2] as const;
  const image = shape[0] * shape[1] * shape[2] * shape[3];
  const plane = padded[0] * padded[1] * padded[2];
  const itemStride = image + 3; // not contiguous: images copied one by one
  const data = Float32Array.from({ length: 4 + batch * itemStride }, () => rand());
  // Column j: run j / run starts a row of the padded image; reach stays inside one channel.
  const colOffsets = Int32Array.from({ length: n }, (_, j) => {
    const start = (Math.floor(j / run) * 7) % (plane - run);
    return 4 * (start + (j % run));
  });
  const rowOffsets = Int32Array.from(
    { length: k },
    () => 4 * Math.floor((rand() + 0.5) * shape[0]) * plane,
  );
  const b: GatheredMatrix = {
    source: { data, offset: 4, itemStride, shape, padded, before },
    rowOffsets,
    colOffsets,
  };
  const a = Float32Array.from({ length: m * k }, () => rand());
  const out = new Float32Array(batch * m * n).fill(7);
  const ran = gemmGathered({
    m,
    n,
    k,
    a: { data: a, offset: 0, rowStride: k, colStride: 1 },
    b,
    batch,
    out,
    outOffset: 0,
    accumulate,
  });
  if (!ran) {
    expect(out.every((v) => v === 7)).toBe(true);
    return false;
  }
  for (let t = 0; t < batch; t++) {
    // The padded copy of image t, as the engine should make it.
    const copy = new Float32Array(shape[0] * plane);
    for (let c = 0; c < shape[0]; c++)
      for (let d = 0; d < shape[1]; d++)
        for (let h = 0; h < shape[2]; h++)
          for (let w = 0; w < shape[3]; w++) {
            const at =
              c * plane + ((d + before[0]) * padded[1] + h + before[1]) * padded[2] + w + before[2];
            copy[at] =
              data[4 + t * itemStride + ((c * shape[1] + d) * shape[2] + h) * shape[3] + w]!;
          }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++)
          sum += a[i * k + p]! * copy[(rowOffsets[p]! + colOffsets[j]!) / 4]!;
        const got = out[(t * m + i) * n + j]! - (accumulate ? 7 : 0);
        if (!(Math.abs(got - sum) <= 1e-5 * (k + 1))) {
          throw new Error(
            `gathered ${m}x${n}x${k}: out[${t}, ${i}, ${j}] = ${got}, expected ${sum}`,
          );
        }
      }
    }
  }
  return true;
}

/** Shapes around the 4x8 tile, the 256 K block, the 128x256 task blocks and the small-product cutoff. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 1, 5],
  [0, 3, 4],
  [3, 0, 4],
  [3, 4, 0],
  [5, 9, 3],
  [4, 8, 16],
  [13, 17, 19],
  [16, 16, 17],
  [100, 100, 1],
  [1, 1, 5000],
  [1, 300, 50],
  [300, 1, 50],
  [33, 65, 129],
  [64, 64, 64],
  [7, 3, 300],
  [100, 37, 300],
  [129, 257, 70],
  [2, 600, 5],
  [260, 3, 9],
  [31, 500, 17],
  [131, 263, 520],
];

function suite(): void {
  test('overlap runs exactly once on every path, and the product is unchanged', () => {
    const saved = { ...tuning };
    const cases: [number, number, number, number, number][] = [
      // m, n, k, batch, groupBytes (small: several batch groups)
      [0, 4, 4, 1, saved.groupBytes],
      [4, 4, 0, 1, saved.groupBytes],
      [4, 4, 4, 1, saved.groupBytes],
      [64, 96, 80, 3, saved.groupBytes],
      [64, 96, 80, 3, 1 << 14],
    ];
    try {
      for (const [m, n, k, batch, groupBytes] of cases) {
        tuning.groupBytes = groupBytes;
        const ones = new Float32Array(Math.max(m, n) * k).fill(1);
        const out = new Float32Array(batch * m * n).fill(NaN);
        let runs = 0;
        gemm({
          m,
          n,
          k,
          a: { data: ones, offset: 0, rowStride: k, colStride: 1 },
          b: { data: ones, offset: 0, rowStride: n, colStride: 1 },
          out,
          outOffset: 0,
          batch,
          overlap: () => runs++,
        });
        expect(runs).toBe(1);
        expect(out.every((v) => v === k)).toBe(true);
      }
    } finally {
      Object.assign(tuning, saved);
    }
  });

  test('an overlap that throws still lets the job finish before the error surfaces', () => {
    const ones = new Float32Array(64 * 64).fill(1);
    const view = { data: ones, offset: 0, rowStride: 64, colStride: 1 };
    const out = new Float32Array(64 * 64);
    const call = { m: 64, n: 64, k: 64, a: view, b: view, out, outOffset: 0 };
    const fail = () => {
      throw new Error('overlap failed');
    };
    expect(() => gemm({ ...call, overlap: fail })).toThrow('overlap failed');
    check({ m: 64, n: 64, k: 64 });
  });

  test('a gemm called from an overlap callback throws, and the engine stays usable', () => {
    const ones = new Float32Array(64 * 64).fill(1);
    const view = { data: ones, offset: 0, rowStride: 64, colStride: 1 };
    const call = {
      m: 64,
      n: 64,
      k: 64,
      a: view,
      b: view,
      out: new Float32Array(64 * 64),
      outOffset: 0,
    };
    const inner = { ...call, out: new Float32Array(64 * 64) };
    expect(() => gemm({ ...call, overlap: () => gemm(inner) })).toThrow(
      /gemm: called while another gemm is running/,
    );
    check({ m: 64, n: 64, k: 64 });
    gemm(inner); // and the flag was cleared
    expect(inner.out.every((v) => v === 64)).toBe(true);
  });

  test.each(SHAPES)('row-major %i x %i x %i', (m, n, k) => check({ m, n, k }));

  const smaller = SHAPES.filter(([m, n, k]) => m * n * k < 1e6);
  test.each(smaller)('every layout pair, %i x %i x %i', (m, n, k) => {
    for (const aLayout of LAYOUTS)
      for (const bLayout of LAYOUTS) check({ m, n, k, aLayout, bLayout });
  });

  test.each(SHAPES)('accumulate, padded output rows, %i x %i x %i', (m, n, k) => {
    check({ m, n, k, accumulate: true, outPad: 3 });
    check({ m, n, k, accumulate: true, aLayout: 'col', bLayout: 'strided' });
  });

  test.each([
    [3, 5, 7, 11],
    [4, 33, 20, 40],
    [2, 128, 130, 90],
    [50, 6, 6, 6],
    [0, 9, 9, 9],
  ])('batch of %i, %i x %i x %i, with each operand broadcast or not', (batch, m, n, k) => {
    for (const aBroadcast of [false, true]) {
      for (const bBroadcast of [false, true]) {
        check({ m, n, k, batch, aBroadcast, bBroadcast });
        check({
          m,
          n,
          k,
          batch,
          aBroadcast,
          bBroadcast,
          aLayout: 'col',
          bLayout: 'sparse',
          outPad: 2,
        });
        check({ m, n, k, batch, aBroadcast, bBroadcast, accumulate: true });
      }
    }
  });

  test('gathered B runs on the WebAssembly engine only, and agrees with B built in JavaScript', () => {
    const saved = { ...tuning };
    const wasm = activeGemmEngine() === 'wasm';
    try {
      expect(checkGathered(2, 3, 4, 2, 8)).toBe(false); // below the small-product threshold
      for (const [m, n, k, batch, run] of [
        [5, 41, 30, 3, 8], // panels partly contiguous, a partial last panel
        [9, 64, 50, 2, 16], // every panel contiguous
        [4, 37, 33, 2, 5], // runs shorter than a panel: every panel gathers
        [33, 300, 70, 2, 13], // several pack panels and blocks per item
      ] as const) {
        expect(checkGathered(m, n, k, batch, run)).toBe(wasm);
      }
      // Enough items for one task per item to pack and multiply it (on 1 or 2 threads), accumulating.
      expect(checkGathered(5, 41, 30, 9, 8)).toBe(wasm);
      expect(checkGathered(5, 41, 30, 9, 8, true)).toBe(wasm);
      tuning.mc = 4; // items taller than a block: packing and blocks are separate tasks again
      expect(checkGathered(5, 41, 30, 9, 8, true)).toBe(wasm);
      Object.assign(tuning, saved, { groupBytes: 1 << 14 }); // several batch groups
      expect(checkGathered(6, 40, 30, 7, 8)).toBe(wasm);
    } finally {
      Object.assign(tuning, saved);
    }
  });

  test('batches split into several jobs, by records and by memory', () => {
    const saved = { ...tuning };
    try {
      // Tiny tasks: 17 records per item, so 4000 items need more than one job's record area.
      Object.assign(tuning, { packElements: 4, mc: 8, nc: 8 });
      check({ m: 17, n: 17, k: 15, batch: 4000 });
      Object.assign(tuning, saved, { groupBytes: 1 << 14 });
      check({ m: 33, n: 20, k: 40, batch: 50 });
      check({ m: 33, n: 20, k: 40, batch: 50, bBroadcast: true, accumulate: true });
    } finally {
      Object.assign(tuning, saved);
    }
  });
}

describe('gemm, WebAssembly SIMD', () => {
  test('runs on WebAssembly in Node 20', () => {
    expect(activeGemmEngine()).toBe('wasm');
  });
  suite();
  test('products at the small-product cutoff take both paths', () => {
    check({ m: 16, n: 16, k: SMALL_GEMM / 256 });
    check({ m: 16, n: 16, k: SMALL_GEMM / 256 + 1 });
  });
  test('with the small-product threshold at 0 every product runs on the engine', () => {
    const previous = setSmallGemm(0);
    try {
      expect(previous).toBe(SMALL_GEMM);
      const engine = getEngine()!;
      resetEngineStats(engine);
      check({ m: 1, n: 1, k: 1 });
      check({ m: 3, n: 5, k: 7, batch: 2, accumulate: true });
      expect(engineStats(engine).threadTasks[0]).toBeGreaterThan(0);
    } finally {
      setSmallGemm(previous);
    }
  });
  test('block sizes that are not whole register tiles are refused, not miscomputed', () => {
    const { mr, nr } = DEFAULT_SHAPE;
    const big = { m: 100, n: 100, k: 100 };
    try {
      tuning.mc = 50;
      expect(() => check(big)).toThrow(`mc must be a positive multiple of mr = ${mr}, found 50`);
      Object.assign(tuning, DEFAULT_TUNING, { nc: nr + 4 });
      expect(() => check(big)).toThrow(
        `nc must be a positive multiple of nr = ${nr}, found ${nr + 4}`,
      );
      Object.assign(tuning, DEFAULT_TUNING, { mc: 0 });
      expect(() => check(big)).toThrow('mc must be a positive multiple');
    } finally {
      Object.assign(tuning, DEFAULT_TUNING);
    }
    check(big);
  });
  test('a register tile larger than the scratch tile is refused when generating the module', () => {
    const memory = { initial: 1, maximum: 1, shared: false };
    expect(() => gemmModuleBytes({ mr: 8, nr: 16, kc: 256, unroll: 1 }, memory)).toThrow(
      /needs 512 bytes of scratch, more than the 256/,
    );
    expect(gemmModuleBytes(DEFAULT_SHAPE, memory).length).toBeGreaterThan(0);
  });
});

describe('gemm, forced plain JavaScript', () => {
  beforeAll(() => setGemmEngine('js'));
  afterAll(() => setGemmEngine('auto'));
  test('the switch takes effect', () => {
    expect(activeGemmEngine()).toBe('js');
  });
  suite();
});

describe('gemm, with worker threads', () => {
  const saved = tuning.parallelFlops;
  beforeAll(async () => {
    expect(await startThreads(2)).toBe(2);
    tuning.parallelFlops = 0; // every product goes through the pool
  });
  afterAll(() => {
    tuning.parallelFlops = saved;
  });
  suite();
});

describe('binary encoder', () => {
  const bytes = (f: (b: Bytes) => void) => {
    const b = new Bytes();
    f(b);
    return Array.from(b.toArray());
  };
  test('unsigned LEB128', () => {
    expect(bytes((b) => b.u32(0))).toEqual([0]);
    expect(bytes((b) => b.u32(127))).toEqual([127]);
    expect(bytes((b) => b.u32(128))).toEqual([0x80, 1]);
    expect(bytes((b) => b.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(bytes((b) => b.u32(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });
  test('signed LEB128', () => {
    expect(bytes((b) => b.i32(0))).toEqual([0]);
    expect(bytes((b) => b.i32(63))).toEqual([63]);
    expect(bytes((b) => b.i32(64))).toEqual([0xc0, 0]);
    expect(bytes((b) => b.i32(-1))).toEqual([0x7f]);
    expect(bytes((b) => b.i32(-64))).toEqual([0x40]);
    expect(bytes((b) => b.i32(-65))).toEqual([0xbf, 0x7f]);
    expect(bytes((b) => b.i32(-123456))).toEqual([0xc0, 0xbb, 0x78]);
  });
  test('a buffer grows past its first allocation', () => {
    const b = new Bytes();
    for (let i = 0; i < 1000; i++) b.byte(i);
    expect(b.length).toBe(1000);
    expect(b.toArray()[999]).toBe(999 & 0xff);
  });
});

describe('matmul on CpuArray', () => {
  const upload = (shape: number[], seed: number) => {
    const rand = random(seed);
    return cpu.upload(Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, rand), shape);
  };
  test('broadcast batch dimensions and transposes agree with per-item products', () => {
    const a = upload([2, 1, 3, 4], 1);
    const b = upload([3, 5, 4], 2); // used transposed: [3, 4, 5]
    const c = cpu.matmul(a, b, { transposeB: true });
    expect(c.shape).toEqual([2, 3, 3, 5]);
    const ad = cpu.readSync(a);
    const bd = cpu.readSync(b);
    const cd = cpu.readSync(c);
    for (let s = 0; s < 2; s++) {
      for (let t = 0; t < 3; t++) {
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 5; j++) {
            let sum = 0;
            for (let p = 0; p < 4; p++) sum += ad[s * 12 + i * 4 + p]! * bd[t * 20 + j * 4 + p]!;
            expect(cd[((s * 3 + t) * 3 + i) * 5 + j]).toBeCloseTo(sum, 5);
          }
        }
      }
    }
  });
  test('empty dimensions', () => {
    expect(cpu.matmul(upload([0, 3], 1), upload([3, 2], 2)).shape).toEqual([0, 2]);
    expect(cpu.readSync(cpu.matmul(upload([2, 0], 1), upload([0, 3], 2)))).toEqual(
      new Float32Array(6),
    );
    expect(cpu.matmul(upload([0, 2, 3], 1), upload([3, 2], 2)).shape).toEqual([0, 2, 2]);
  });
  test('errors name the problem', () => {
    expect(() => cpu.matmul(upload([3, 4], 1), upload([5, 2], 2))).toThrow(
      new KernelError('matmul', 'inner dimensions differ: [3, 4] @ [5, 2] (4 != 5)'),
    );
    expect(() => cpu.matmul(upload([4], 1), upload([4, 2], 2))).toThrow(/`a` must have rank 2/);
    expect(() => cpu.matmul(upload([2, 3, 4], 1), upload([3, 4, 2], 2))).toThrow(
      /batch dimensions cannot be broadcast together: \[2, 3, 4\] @ \[3, 4, 2\]/,
    );
    const ints = cpu.upload(new Int32Array(4), [2, 2]);
    expect(() => cpu.matmul(upload([2, 2], 1), ints)).toThrow(/`b` must be float32, found int32/);
  });
});
