// The CPU backend's WebAssembly SIMD elementwise path gives the same elements as its JavaScript loops
// (which the conformance suite checks against float64 references), on every op it translates, in every
// layout it takes, and leaves everything else to the loops.
import {
  BINARY_OPS,
  CpuBackend,
  UNARY_OPS,
  type BackendArray,
  type DType,
  type FusedProgram,
} from '../src/index.js';
import {
  SIMD_MIN_ELEMENTS,
  setSimdMinElements,
  simdLaunches,
} from '../src/cpu/simd-elementwise.js';
import { gemm } from '../src/cpu/gemm.js';
import { getEngine } from '../src/cpu/wasm/engine.js';
import { simdStep } from '../src/cpu/wasm/simd-ops.js';
import { prng, randInt } from './reference/random.js';

const be = new CpuBackend();
const rng = prng(11);

const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, 2.5, -2.5, 1e-30, 3e38, -3e38];
const INT_SPECIALS = [0, 1, -1, 7, -7, 46341, 2147483647, -2147483648];

/** `n` elements of `dtype`: the special values first, then random ones. */
function values(dtype: DType, n: number): number[] {
  const specials = dtype === 'float32' ? FLOAT_SPECIALS : dtype === 'int32' ? INT_SPECIALS : [0, 1];
  return Array.from({ length: n }, (_, i) => {
    if (i < specials.length) return specials[i]!;
    if (dtype === 'bool') return rng() < 0.5 ? 1 : 0;
    if (dtype === 'int32')
      return rng() < 0.8 ? randInt(rng, -1000, 1000) : randInt(rng, -2147483648, 2147483647);
    return (rng() - 0.5) * 20;
  });
}

function upload(dtype: DType, shape: number[], data?: number[]): BackendArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const Typed = { float32: Float32Array, int32: Int32Array, bool: Uint8Array }[dtype];
  return be.upload(new Typed(data ?? values(dtype, n)), shape);
}

/** Runs `f` with the JavaScript loops only, then with the SIMD path for any size. */
function bothPaths(f: () => BackendArray): { js: number[]; simd: number[]; launches: number } {
  const previous = setSimdMinElements(Infinity);
  try {
    const js = Array.from(be.readSync(f()));
    setSimdMinElements(0);
    const before = simdLaunches();
    const simd = Array.from(be.readSync(f()));
    return { js, simd, launches: simdLaunches() - before };
  } finally {
    setSimdMinElements(previous);
  }
}

/** Equal element for element, -0 apart from +0 and NaN equal to NaN (NaN payloads may differ). */
function expectSame(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  const bad = got.flatMap((g, i) => (Object.is(g, want[i]) ? [] : [`[${i}] ${g} != ${want[i]}`]));
  expect(bad.slice(0, 5)).toEqual([]);
}

const unaryCases = Object.entries(UNARY_OPS).flatMap(([op, spec]) =>
  Object.keys(spec.js).map((dtype) => [op, dtype as DType] as const),
);
const binaryCases = Object.entries(BINARY_OPS).flatMap(([op, spec]) =>
  Object.keys(spec.js).map((dtype) => [op, dtype as DType] as const),
);

test('the engine is available here (the SIMD path is not silently skipped)', () => {
  expect(getEngine()).not.toBeNull();
});

describe("every translated op gives the JavaScript loop's elements; the others stay in JavaScript", () => {
  // 1027 elements: not a multiple of the four lanes.
  it.each(unaryCases)('%s on %s', (op, dtype) => {
    const x = upload(dtype, [1027]);
    const { js, simd, launches } = bothPaths(() => be.unary(op as never, x));
    expectSame(simd, js);
    expect(launches).toBe(simdStep(op, [dtype]) === undefined ? 0 : 1);
  });

  it.each(binaryCases)('%s on %s', (op, dtype) => {
    const a = upload(dtype, [1027]);
    // Every special value against every other, then random pairs.
    const specials = values(dtype, 16).slice(0, dtype === 'bool' ? 2 : 13);
    const pairs = specials.flatMap((x) => specials.map((y) => [x, y] as const));
    const bData = values(dtype, 1027);
    const aData = Array.from(be.readSync(a));
    pairs.forEach(([x, y], i) => {
      aData[i] = x;
      bData[i] = y;
    });
    const [a2, b2] = [upload(dtype, [1027], aData), upload(dtype, [1027], bData)];
    const { js, simd, launches } = bothPaths(() => be.binary(op as never, a2, b2));
    expectSame(simd, js);
    expect(launches).toBe(simdStep(op, [dtype, dtype]) === undefined ? 0 : 1);
  });

  it.each([
    ['float32', 'int32'],
    ['float32', 'bool'],
    ['int32', 'float32'],
    ['int32', 'bool'],
    ['bool', 'float32'],
    ['bool', 'int32'],
  ] as const)('cast from %s to %s', (from, to) => {
    const x = upload(from, [1027]);
    const { js, simd, launches } = bothPaths(() => be.cast(x, to));
    expectSame(simd, js);
    expect(launches).toBe(1);
  });

  it('where, with a bool condition and the branches of each dtype', () => {
    const cond = upload('bool', [1027]);
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const [a, b] = [upload(dtype, [1027]), upload(dtype, [1027])];
      const { js, simd, launches } = bothPaths(() => be.where(cond, a, b));
      expectSame(simd, js);
      expect(launches).toBe(1);
    }
  });
});

describe('layouts', () => {
  const x = upload('float32', [37, 45]);
  // Each case uploads its operands once and returns the kernel call to run on both paths.
  const cases: [string, () => () => BackendArray][] = [
    [
      'a row broadcast (a bias add)',
      () => {
        const bias = upload('float32', [45]);
        return () => be.binary('add', x, bias);
      },
    ],
    [
      'a column broadcast',
      () => {
        const col = upload('float32', [37, 1]);
        return () => be.binary('sub', x, col);
      },
    ],
    [
      'a scalar',
      () => {
        const s = upload('float32', []);
        return () => be.binary('mul', s, x);
      },
    ],
    [
      'rows of a wider array (a slice: unit inner stride, outer stride 60)',
      () => {
        const rows = be.slice(upload('float32', [37, 60]), [0, 10], [37, 55], [1, 1]);
        const bias = upload('float32', [45]);
        return () => be.binary('add', rows, bias);
      },
    ],
    [
      'a column of a strided array',
      () => {
        const col = be.slice(upload('float32', [74, 3]), [0, 1], [74, 2], [2, 1]);
        return () => be.binary('div', x, col);
      },
    ],
    [
      'bool in and out: a comparison of broadcast operands',
      () => {
        const col = upload('float32', [37, 1]);
        return () => be.binary('le', x, col);
      },
    ],
    [
      'a broadcast bool condition',
      () => {
        const [cond, s] = [upload('bool', [45]), upload('float32', [])];
        return () => be.where(cond, x, s);
      },
    ],
    [
      'a length that is not a multiple of four lanes',
      () => {
        const y = upload('float32', [5, 2, 3]);
        return () => be.unary('neg', y);
      },
    ],
  ];
  it.each(cases)('%s', (_name, make) => {
    const { js, simd, launches } = bothPaths(make());
    expectSame(simd, js);
    expect(launches).toBe(1);
  });

  it('leaves layouts it does not take to the JavaScript loop, with the same results', () => {
    const strided = be.slice(upload('float32', [64]), [0], [64], [2]);
    const [a3, b3] = [upload('float32', [4, 1, 5]), upload('float32', [3, 1])];
    const transposed = be.transpose(upload('float32', [45, 37]), [1, 0]);
    const [narrow, row3] = [upload('float32', [50, 3]), upload('float32', [3])];
    const fallbacks: (() => BackendArray)[] = [
      // A stride-2 inner dimension.
      () => be.unary('neg', strided),
      // Broadcasting that collapses to three dimensions.
      () => be.binary('add', a3, b3),
      // A transposed operand.
      () => be.binary('add', x, transposed),
      // Rows shorter than four lanes.
      () => be.binary('add', narrow, row3),
    ];
    for (const f of fallbacks) {
      const { js, simd, launches } = bothPaths(f);
      expectSame(simd, js);
      expect(launches).toBe(0);
    }
  });
});

describe('fused programs', () => {
  it('an SGD update and a ReLU backward pass run as one kernel each', () => {
    const w = upload('float32', [3000]);
    const g = upload('float32', [3000]);
    const lr = be.full([], 0.01, 'float32');
    const sgd: FusedProgram = {
      steps: [
        { op: 'mul', args: [1, 2] },
        { op: 'sub', args: [0, 3] },
      ],
    };
    const relu: FusedProgram = {
      steps: [
        { op: 'le', args: [0, 2] },
        { op: 'where', args: [3, 2, 1] },
      ],
    };
    for (const [program, inputs] of [
      [sgd, [w, g, lr]],
      [relu, [w, g, be.full([], 0, 'float32')]],
    ] as const) {
      const { js, simd, launches } = bothPaths(() => be.fused(program, inputs));
      expectSame(simd, js);
      expect(launches).toBe(1);
    }
  });

  it('a program with a step it cannot translate runs in JavaScript', () => {
    const x = upload('float32', [3000]);
    const program: FusedProgram = {
      steps: [
        { op: 'exp', args: [0] },
        { op: 'add', args: [1, 0] },
      ],
    };
    const { js, simd, launches } = bothPaths(() => be.fused(program, [x]));
    expectSame(simd, js);
    expect(launches).toBe(0);
  });
});

test('by default only results of SIMD_MIN_ELEMENTS elements and more take the SIMD path', () => {
  expect(setSimdMinElements(SIMD_MIN_ELEMENTS)).toBe(SIMD_MIN_ELEMENTS);
  const small = upload('float32', [SIMD_MIN_ELEMENTS - 1]);
  const large = upload('float32', [SIMD_MIN_ELEMENTS]);
  const before = simdLaunches();
  be.unary('neg', small);
  expect(simdLaunches()).toBe(before);
  be.unary('neg', large);
  expect(simdLaunches()).toBe(before + 1);
});

test('an elementwise kernel run while a matrix product holds the engine stays in JavaScript', () => {
  const [m, n, k] = [64, 64, 64];
  const a = Float32Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
  const b = Float32Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
  const want = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++) want[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  const x = upload('float32', [4096]);
  const out = new Float32Array(m * n);
  let sum: number[] = [];
  const before = simdLaunches();
  gemm({
    m,
    n,
    k,
    a: { data: a, offset: 0, rowStride: k, colStride: 1 },
    b: { data: b, offset: 0, rowStride: n, colStride: 1 },
    out,
    outOffset: 0,
    overlap: () => (sum = Array.from(be.readSync(be.binary('add', x, x)))),
  });
  expect(simdLaunches()).toBe(before);
  expect(Array.from(out)).toEqual(Array.from(want));
  expectSame(
    sum,
    Array.from(be.readSync(x), (v) => Math.fround(v + v)),
  );
});
