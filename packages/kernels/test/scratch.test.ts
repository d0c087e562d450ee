// Scratch scopes: inside `cpu.scoped`, arrays live in the WebAssembly engine's memory and the WebAssembly
// kernels use them in place; when the scope ends, the arrays still alive move to ordinary typed arrays
// with the same elements, and every block of engine memory goes back.
import { CpuBackend, type BackendArray } from '../src/index.js';
import type { CpuArray } from '../src/cpu/array.js';
import { scratchBlocks, setScratchEnabled } from '../src/cpu/buffers.js';
import {
  setSimdMinElements,
  simdLaunches,
  SIMD_MIN_ELEMENTS,
} from '../src/cpu/simd-elementwise.js';
import { getEngine } from '../src/cpu/wasm/engine.js';
import {
  allocate,
  blockSize,
  engineAddress,
  free,
  heapStats,
  viewAddress,
} from '../src/cpu/wasm/heap.js';
import { prng } from './reference/random.js';

const be = new CpuBackend();
const engine = getEngine()!;
const rng = prng(3);

const inEngine = (x: BackendArray): boolean => viewAddress((x as CpuArray).data) !== undefined;
/** Elements in the engine's (shared) memory, whether or not their block is still handed out. */
const onSharedMemory = (x: BackendArray): boolean =>
  (x as CpuArray).data.buffer instanceof SharedArrayBuffer;
const upload = (shape: number[]): BackendArray =>
  be.upload(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1),
    shape,
  );
const values = (x: BackendArray): number[] => Array.from(be.readSync(x));

/** The first few indices where two long lists differ (a readable failure, unlike a huge diff). */
function differences(got: readonly number[], want: readonly number[]): string[] {
  if (got.length !== want.length) return [`lengths ${got.length} != ${want.length}`];
  const bad: string[] = [];
  for (let i = 0; i < got.length && bad.length < 5; i++)
    if (!Object.is(got[i], want[i])) bad.push(`[${i}] ${got[i]} != ${want[i]}`);
  return bad;
}
const expectSame = (got: number[][], want: number[][]): void =>
  expect(got.map((g, k) => differences(g, want[k]!))).toEqual(want.map(() => []));

/** A small training-step-like chain: matmul, bias add, ReLU, and a product with a transposed operand. */
function chain(x: BackendArray, w: BackendArray, b: BackendArray): BackendArray[] {
  const h = be.binary('add', be.matmul(x, w), b);
  const relu = be.where(
    be.binary('le', h, be.full([], 0, 'float32')),
    be.full([], 0, 'float32'),
    h,
  );
  const back = be.matmul(x, relu, { transposeA: true });
  const update = be.fused(
    {
      steps: [
        { op: 'mul', args: [1, 2] },
        { op: 'sub', args: [0, 3] },
      ],
    },
    [w, back, be.full([], 0.01, 'float32')],
  );
  be.release(h);
  return [relu, update, be.reshape(update, [update.size])];
}

test('the engine has a shared memory here (scratch scopes are not silently off)', () => {
  expect(engine.shared).toBe(true);
});

test('inside a scope results live in engine memory, and leave it with the same elements', () => {
  const [x, w, b] = [upload([64, 96]), upload([96, 80]), upload([80])];
  const want = chain(x, w, b).map(values);
  const before = heapStats(engine).liveBlocks;
  const launches = simdLaunches();
  let inside: boolean[] = [];
  const got = be.scoped(() => {
    const out = chain(x, w, b);
    inside = out.map(inEngine);
    return out;
  });
  expect(inside).toEqual([true, true, true]);
  expect(simdLaunches()).toBeGreaterThan(launches);
  expect(got.map(inEngine)).toEqual([false, false, false]);
  expect(heapStats(engine).liveBlocks).toBe(before);
  expect(scratchBlocks()).toBe(0);
  // Later scopes reuse the blocks; the results that left keep their elements.
  be.scoped(() => chain(x, w, b).map((y) => be.unary('neg', y)));
  expectSame(got.map(values), want);
});

test('a released array gives its block back at once; a view keeps it until the scope ends', () => {
  const x = upload([4096]);
  be.scoped(() => {
    const a = be.unary('neg', x);
    const address = viewAddress((a as CpuArray).data);
    be.release(a);
    expect(viewAddress((be.unary('abs', x) as CpuArray).data)).toBe(address);

    const c = be.unary('neg', x);
    const view = be.reshape(c, [64, 64]);
    be.release(c);
    const d = be.unary('abs', x);
    expect(viewAddress((d as CpuArray).data)).not.toBe(viewAddress((c as CpuArray).data));
    expect(values(view)).toEqual(values(be.unary('neg', x)));
  });
  expect(scratchBlocks()).toBe(0);
});

test('views of an array that outlives the scope keep reading the same elements', () => {
  const x = upload([32, 128]);
  const [base, row, transposed] = be.scoped(() => {
    const y = be.unary('neg', x);
    return [y, be.slice(y, [3, 0], [4, 128], [1, 1]), be.transpose(y, [1, 0])];
  });
  const want = values(be.unary('neg', x));
  expect([base, row, transposed].map(onSharedMemory)).toEqual([false, false, false]);
  expect(values(base)).toEqual(want);
  expect(values(row)).toEqual(want.slice(3 * 128, 4 * 128));
  expect(values(transposed)[1]).toBe(want[128]);
  // They share one copy, which none of them may hand back for reuse alone.
  expect((row as CpuArray).data).toBe((base as CpuArray).data);
  be.release(base);
  expect(values(row)).toEqual(want.slice(3 * 128, 4 * 128));
});

test('a scope that throws still gives every block back', () => {
  const x = upload([4096]);
  const before = heapStats(engine).liveBlocks;
  expect(() =>
    be.scoped(() => {
      be.unary('neg', x);
      be.binary('add', x, upload([3]));
    }),
  ).toThrow(/add/);
  expect(heapStats(engine).liveBlocks).toBe(before);
  expect(scratchBlocks()).toBe(0);
});

test('scopes nest: the outermost one ends the scratch', () => {
  const x = upload([4096]);
  const inner = be.scoped(() => {
    const y = be.scoped(() => be.unary('neg', x));
    expect(inEngine(y)).toBe(true);
    return y;
  });
  expect(onSharedMemory(inner)).toBe(false);
  expect(values(inner)).toEqual(values(be.unary('neg', x)));
});

test('every SIMD layout reads its operands in place, with the same results', () => {
  const previous = setSimdMinElements(0);
  try {
    // Every operand large enough to get a block (1024 elements and more).
    const [x, row, col] = [upload([1024, 1100]), upload([1100]), upload([1024, 1])];
    const ops = (a: BackendArray, r: BackendArray, c: BackendArray) => [
      be.binary('add', a, r),
      be.binary('mul', a, c),
      be.binary('sub', be.slice(a, [0, 8], [1024, 40], [1, 1]), be.full([], 2, 'float32')),
      be.binary('ge', a, r),
    ];
    const want = ops(x, row, col).map(values);
    const got = be.scoped(() => {
      // Copies made inside the scope, so every operand is in engine memory.
      const copy = (y: BackendArray) => be.unary('neg', be.unary('neg', y));
      const operands = [copy(x), copy(row), copy(col)] as const;
      expect(operands.map(inEngine)).toEqual([true, true, true]);
      return ops(...operands);
    });
    expectSame(got.map(values), want);
  } finally {
    setSimdMinElements(previous);
  }
});

test('blocks stay valid when the memory grows under them', () => {
  const x = upload([4096]);
  const want = values(be.unary('neg', x));
  be.scoped(() => {
    const y = be.unary('neg', x);
    const pages = engine.memory.buffer.byteLength;
    const big = allocate(engine, 64 << 20); // more than the memory had free
    expect(engine.memory.buffer.byteLength).toBeGreaterThan(pages);
    expect(values(y)).toEqual(want);
    free(engine, big);
  });
});

test('the heap hands out 16-byte aligned blocks with spare bytes, and reuses given-back ones', () => {
  for (const bytes of [1, 4096, 5000, 1 << 20, (1 << 20) + 1]) {
    const size = blockSize(bytes);
    expect(size).toBeGreaterThanOrEqual(bytes + 16);
    expect(size % 16).toBe(0);
    expect(size).toBeLessThanOrEqual(Math.max(4096, (bytes + 16) * 1.125 + 16));
  }
  const a = allocate(engine, 10000);
  expect(a % 16).toBe(0);
  free(engine, a);
  expect(allocate(engine, 10000)).toBe(a);
  free(engine, a);
  expect(() => free(engine, a)).toThrow(/no live block/);
  // Past the maximum memory: 0, nothing taken.
  const before = heapStats(engine);
  expect(allocate(engine, 4 * 2 ** 30)).toBe(0);
  expect(heapStats(engine)).toEqual(before);
  expect(SIMD_MIN_ELEMENTS).toBeGreaterThan(0);
});

test('repeated scopes reuse the same blocks: engine memory stays flat', () => {
  const [x, w, b] = [upload([64, 96]), upload([96, 80]), upload([80])];
  let params = w;
  const step = () => {
    const [relu, update] = be.scoped(() => chain(x, params, b));
    be.release(relu!);
    params = update!;
  };
  for (let i = 0; i < 5; i++) step();
  const after = heapStats(engine);
  for (let i = 0; i < 200; i++) step();
  expect(heapStats(engine)).toEqual(after);
});

test('inside a scope an ordinary array that kernels read is copied into engine memory once', () => {
  const [x, w] = [upload([64, 96]), upload([96, 80])];
  const data = (w as CpuArray).data;
  const want = values(be.matmul(x, w));
  expect(engineAddress(engine, data)).toBeUndefined(); // outside a scope: no copy
  const before = heapStats(engine).liveBlocks;
  be.scoped(() => {
    const first = be.matmul(x, w);
    const address = engineAddress(engine, data);
    expect(address).toBeDefined();
    const blocks = heapStats(engine).liveBlocks;
    const second = be.matmul(x, w);
    expect(engineAddress(engine, data)).toBe(address);
    expect(heapStats(engine).liveBlocks).toBe(blocks + 1); // the second result only
    expect(values(first)).toEqual(want);
    expect(values(second)).toEqual(want);
  });
  expect(heapStats(engine).liveBlocks).toBe(before);
  expect(engineAddress(engine, data)).toBeUndefined();
});

test('an array whose elements are reused for a new result in a scope is not read from a stale copy', () => {
  // With scratch blocks off, new results reuse released ordinary arrays, as without shared memory.
  const previous = setScratchEnabled(false);
  try {
    const [x, w] = [upload([64, 96]), upload([96, 80])];
    const wantFirst = values(be.matmul(x, be.unary('neg', w)));
    const wantSecond = values(be.matmul(x, be.unary('abs', w)));
    const [first, second] = be.scoped(() => {
      const a = be.unary('neg', w);
      const p = be.matmul(x, a); // copies a's elements into engine memory
      const reused = (a as CpuArray).data;
      be.release(a);
      const b = be.unary('abs', w); // takes a's released elements
      expect((b as CpuArray).data).toBe(reused);
      return [p, be.matmul(x, b)];
    });
    expect(values(first)).toEqual(wantFirst);
    expect(values(second)).toEqual(wantSecond);
  } finally {
    setScratchEnabled(previous);
  }
});
