// Internals of the CPU convolution and pooling kernels: the chunking of the column matrix (whole images,
// runs of lines), im2col/col2im, the pointwise and grouped paths, and the tiled pooling paths, each
// checked against plain float64 loops written here.
import fc from 'fast-check';
import { cpu, KernelError, resolveConv, resolvePool } from '../src/index.js';
import type { ConvOptions, PoolOp, PoolOptions } from '../src/index.js';
import { CpuArray } from '../src/cpu/array.js';
import {
  chunks,
  setColumnBudget,
  DEFAULT_COLUMN_BUDGET,
  DEFAULT_IMAGE_LIMIT,
} from '../src/cpu/conv-chunks.js';
import { prefersFlip } from '../src/cpu/conv-flip.js';
import { isPointwise, setGatheredColumns } from '../src/cpu/conv-forward.js';
import { conv3, window3 } from '../src/cpu/conv-geometry.js';
import { col2im, im2col } from '../src/cpu/im2col.js';
import { im2colTaps, isTapMajor, tapMajorFilter } from '../src/cpu/im2col-taps.js';
import { isTiling } from '../src/cpu/pool-window.js';
import { startThreads } from '../src/cpu/threads.js';
import { setSmallGemm, SMALL_GEMM } from '../src/cpu/gemm.js';
import { DEFAULT_TUNING, tuning } from '../src/cpu/wasm/job.js';

/** Deterministic values in [-1, 1). */
function randoms(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A filled array made by upload only, so these tests need no other kernel. */
function full(shape: number[], value: number, dtype: 'float32' | 'int32' | 'bool') {
  const n = shape.reduce((a, b) => a * b, 1);
  const data =
    dtype === 'float32'
      ? new Float32Array(n)
      : dtype === 'int32'
        ? new Int32Array(n)
        : new Uint8Array(n);
  return cpu.upload(data.fill(value), shape);
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const flat = (shape: readonly number[], index: readonly number[]) =>
  index.reduce((f, i, d) => f * shape[d]! + i, 0);

function* indices(shape: readonly number[]): Generator<number[]> {
  const n = size(shape);
  for (let f = 0; f < n; f++) {
    const index = new Array<number>(shape.length);
    for (let d = shape.length - 1, r = f; d >= 0; d--) {
      index[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    yield index;
  }
}

const add = (a: Float64Array, i: number, v: number) => (a[i] = a[i]! + v);

interface Reference {
  y: Float64Array;
  dx: Float64Array;
  dw: Float64Array;
  /** Sums of absolute products, to scale the tolerance of each element. */
  yAbs: Float64Array;
  dxAbs: Float64Array;
  dwAbs: Float64Array;
}

/** Convolution and both gradients, by visiting every (output, tap) pair once, in float64. */
function referenceConv(
  xShape: number[],
  x: Float32Array,
  wShape: number[],
  w: Float32Array,
  dy: Float32Array,
  options: ConvOptions,
): Reference {
  const g = resolveConv('reference', xShape, wShape, options);
  const yShape = [g.batch, g.outChannels, ...g.outSpatial];
  const r: Reference = {
    y: new Float64Array(size(yShape)),
    dx: new Float64Array(x.length),
    dw: new Float64Array(w.length),
    yAbs: new Float64Array(size(yShape)),
    dxAbs: new Float64Array(x.length),
    dwAbs: new Float64Array(w.length),
  };
  const cinG = g.inChannels / g.groups;
  const coutG = g.outChannels / g.groups;
  for (const o of indices(yShape)) {
    const [n, co] = o as [number, number];
    const yi = flat(yShape, o);
    const group = Math.floor(co / coutG);
    for (const t of indices([cinG, ...g.window])) {
      const spatial = t
        .slice(1)
        .map((k, d) => o[2 + d]! * g.strides[d]! - g.padLo[d]! + k * g.dilation[d]!);
      if (spatial.some((i, d) => i < 0 || i >= g.inSpatial[d]!)) continue;
      const xi = flat(xShape, [n, group * cinG + t[0]!, ...spatial]);
      const wi = flat(wShape, [co, ...t]);
      add(r.y, yi, x[xi]! * w[wi]!);
      add(r.yAbs, yi, Math.abs(x[xi]! * w[wi]!));
      add(r.dx, xi, dy[yi]! * w[wi]!);
      add(r.dxAbs, xi, Math.abs(dy[yi]! * w[wi]!));
      add(r.dw, wi, x[xi]! * dy[yi]!);
      add(r.dwAbs, wi, Math.abs(x[xi]! * dy[yi]!));
    }
  }
  return r;
}

function expectClose(label: string, got: ArrayLike<number>, want: Float64Array, abs: Float64Array) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tolerance = 1e-5 * abs[i]! + 1e-6;
    if (got[i] !== want[i] && !(Math.abs(got[i]! - want[i]!) <= tolerance)) {
      throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]} (tolerance ${tolerance})`);
    }
  }
}

interface ConvCase {
  name: string;
  x: number[];
  w: number[];
  options: ConvOptions;
}

const convCases: ConvCase[] = [
  {
    name: '1-D strided dilated SAME',
    x: [2, 3, 11],
    w: [4, 3, 3],
    options: { strides: [2], padding: 'SAME', dilation: [2] },
  },
  {
    name: '2-D grouped, explicit uneven padding',
    x: [3, 4, 7, 6],
    w: [6, 2, 3, 2],
    options: {
      groups: 2,
      strides: [2, 1],
      padding: [
        [1, 2],
        [0, 1],
      ],
      dilation: [1, 2],
    },
  },
  { name: '2-D 3x3 SAME', x: [4, 5, 6, 7], w: [3, 5, 3, 3], options: { padding: 'SAME' } },
  {
    name: '2-D strided SAME (odd total padding)',
    x: [2, 3, 8, 9],
    w: [4, 3, 4, 3],
    options: { strides: [3, 2], padding: 'SAME' },
  },
  {
    name: '3-D SAME strided',
    x: [2, 2, 5, 4, 6],
    w: [3, 2, 2, 3, 2],
    options: { padding: 'SAME', strides: [1, 2, 2] },
  },
  {
    name: '3-D grouped dilated',
    x: [1, 4, 6, 5, 5],
    w: [4, 2, 2, 2, 2],
    options: { groups: 2, dilation: [2, 1, 2] },
  },
  {
    name: 'flipped input gradient, 2-D',
    x: [2, 8, 5, 6],
    w: [4, 8, 3, 3],
    options: { padding: 'SAME' },
  },
  {
    name: 'flipped input gradient, grouped, dilated, uneven',
    x: [2, 16, 6, 5],
    w: [6, 8, 4, 3],
    options: { groups: 2, dilation: [2, 1], padding: 'SAME' },
  },
  {
    name: 'flipped input gradient, 3-D',
    x: [1, 8, 3, 4, 5],
    w: [2, 8, 3, 3, 3],
    options: { padding: 'SAME' },
  },
  {
    name: 'flipped input gradient, 1-D explicit',
    x: [2, 8, 7],
    w: [3, 8, 4],
    options: { padding: [[1, 2]] },
  },
  {
    name: 'pointwise grouped (no im2col)',
    x: [3, 4, 5, 5],
    w: [6, 2, 1, 1],
    options: { groups: 2 },
  },
  {
    name: 'pointwise strided (im2col)',
    x: [2, 3, 6, 6],
    w: [4, 3, 1, 1],
    options: { strides: [2, 2] },
  },
  {
    name: 'pointwise padded (im2col)',
    x: [2, 3, 4, 4],
    w: [2, 3, 1, 1],
    options: {
      padding: [
        [1, 0],
        [0, 1],
      ],
    },
  },
  {
    name: 'depthwise with multiplier',
    x: [2, 4, 6, 6],
    w: [8, 1, 3, 3],
    options: { groups: 4, padding: 'SAME' },
  },
  {
    name: 'padding wider than the kernel',
    x: [2, 2, 3],
    w: [3, 2, 2],
    options: { padding: [[4, 3]] },
  },
  {
    name: 'stride larger than the kernel',
    x: [2, 2, 9, 9],
    w: [2, 2, 2, 2],
    options: { strides: [4, 3] },
  },
];

function runConv(c: ConvCase, seed: number) {
  const x = randoms(size(c.x), seed);
  const w = randoms(size(c.w), seed + 1);
  const g = resolveConv('test', c.x, c.w, c.options);
  const yShape = [g.batch, g.outChannels, ...g.outSpatial];
  const dy = randoms(size(yShape), seed + 2);
  const xa = cpu.upload(x, c.x);
  const wa = cpu.upload(w, c.w);
  const dya = cpu.upload(dy, yShape);
  const y = cpu.conv(xa, wa, c.options);
  const dx = cpu.convBackwardInput(dya, wa, c.x, c.options);
  const dw = cpu.convBackwardFilter(xa, dya, c.w, c.options);
  expect(y.shape).toEqual(yShape);
  expect(dx.shape).toEqual(c.x);
  expect(dw.shape).toEqual(c.w);
  const ref = referenceConv(c.x, x, c.w, w, dy, c.options);
  expectClose('y', cpu.readSync(y), ref.y, ref.yAbs);
  expectClose('dx', cpu.readSync(dx), ref.dx, ref.dxAbs);
  expectClose('dw', cpu.readSync(dw), ref.dw, ref.dwAbs);
}

/** Random convolutions (any rank, grouping, stride, dilation, padding, budget) against the reference. */
function randomGeometries(numRuns: number): void {
  const dims = fc.integer({ min: 1, max: 3 });
  const arbitrary = dims.chain((nd) =>
    fc.record({
      nd: fc.constant(nd),
      batch: fc.integer({ min: 1, max: 3 }),
      groups: fc.integer({ min: 1, max: 3 }),
      cinG: fc.constantFrom(1, 2, 3, 8),
      coutG: fc.integer({ min: 1, max: 3 }),
      spatial: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: nd, maxLength: nd }),
      kernel: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: nd, maxLength: nd }),
      strides: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: nd, maxLength: nd }),
      dilation: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: nd, maxLength: nd }),
      padding: fc.oneof(
        fc.constant<'SAME'>('SAME'),
        fc.constant<'VALID'>('VALID'),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
          minLength: nd,
          maxLength: nd,
        }),
      ),
      budget: fc.integer({ min: 1, max: 300 }),
    }),
  );
  fc.assert(
    fc.property(arbitrary, (p) => {
      setColumnBudget(p.budget, p.budget);
      runConv(
        {
          name: 'random',
          x: [p.batch, p.groups * p.cinG, ...p.spatial],
          w: [p.groups * p.coutG, p.cinG, ...p.kernel],
          options: {
            groups: p.groups,
            strides: p.strides,
            dilation: p.dilation,
            padding: p.padding,
          },
        },
        p.budget,
      );
    }),
    { numRuns },
  );
}

describe('cpu conv: every path against float64 loops', () => {
  afterEach(() => setColumnBudget(DEFAULT_COLUMN_BUDGET, DEFAULT_IMAGE_LIMIT));

  // 'default' takes all images in one chunk; 'images' forces a few images per chunk; 'lines' forces
  // runs of output lines inside one image (a budget of 1 gives one line per chunk).
  const budgets: Record<string, [number, number]> = {
    default: [DEFAULT_COLUMN_BUDGET, DEFAULT_IMAGE_LIMIT],
    images: [400, DEFAULT_IMAGE_LIMIT],
    lines: [1, 1],
  };
  for (const [budgetName, budget] of Object.entries(budgets)) {
    test.each(convCases)(`$name, budget ${budgetName}`, (c) => {
      setColumnBudget(...budget);
      runConv(c, 7);
    });
  }

  test('the pointwise path is taken exactly when im2col would copy the image', () => {
    const geometry = (c: ConvCase) => conv3(resolveConv('test', c.x, c.w, c.options));
    const pointwise = convCases.filter((c) => isPointwise(geometry(c))).map((c) => c.name);
    expect(pointwise).toEqual(['pointwise grouped (no im2col)']);
  });

  test('the flipped input gradient is taken for stride-1 SAME-like convolutions with 8+ channels', () => {
    const geometry = (c: ConvCase) => conv3(resolveConv('test', c.x, c.w, c.options));
    const flipped = convCases.filter((c) => prefersFlip(geometry(c))).map((c) => c.name);
    expect(flipped).toEqual(
      convCases.filter((c) => c.name.startsWith('flipped')).map((c) => c.name),
    );
  });

  test('random geometries agree with the reference (small budgets)', () => randomGeometries(150));
});

describe('cpu conv: gathered columns (every GEMM on the engine)', () => {
  const saved = { ...tuning };
  beforeAll(() => setSmallGemm(0));
  afterEach(() => {
    Object.assign(tuning, saved);
    setColumnBudget(DEFAULT_COLUMN_BUDGET, DEFAULT_IMAGE_LIMIT);
    setGatheredColumns(true);
  });
  afterAll(() => setSmallGemm(SMALL_GEMM));

  test.each(convCases)('$name', (c) => runConv(c, 13));

  // Several batch groups (a few images per job), and the built columns in chunks, for comparison.
  test.each(convCases)('$name: agrees with built columns, batch split into jobs', (c) => {
    const x = cpu.upload(randoms(size(c.x), 5), c.x);
    const w = cpu.upload(randoms(size(c.w), 6), c.w);
    tuning.groupBytes = 1 << 13;
    const gathered = cpu.readSync(cpu.conv(x, w, c.options)) as Float32Array;
    setGatheredColumns(false);
    setColumnBudget(400, DEFAULT_IMAGE_LIMIT);
    const built = cpu.readSync(cpu.conv(x, w, c.options)) as Float32Array;
    const abs = Float64Array.from(built, (v) => 10 * Math.abs(v) + 10);
    expectClose('y', gathered, Float64Array.from(built), abs);
  });

  test('odd image sizes, wide padding, 1-D to 3-D: random geometries', () => randomGeometries(60));

  test.each([DEFAULT_TUNING.groupBytes, 1 << 13])(
    'a batch of 9, one task per image, group bytes %d',
    (groupBytes) => {
      tuning.groupBytes = groupBytes;
      runConv({ name: 'nine', x: [9, 3, 7, 5], w: [4, 3, 3, 2], options: { padding: 'SAME' } }, 17);
    },
  );

  test('the switch returns the previous setting', () => {
    expect(setGatheredColumns(false)).toBe(true);
    expect(setGatheredColumns(true)).toBe(false);
  });
});

describe('cpu conv: chunks', () => {
  afterEach(() => setColumnBudget(DEFAULT_COLUMN_BUDGET, DEFAULT_IMAGE_LIMIT));
  const g = conv3(resolveConv('test', [5, 2, 6, 7], [3, 2, 3, 3], { padding: 'SAME' }));

  test('a budget that fits the batch gives one chunk', () => {
    expect(chunks(g, g.kG)).toEqual([{ n0: 0, images: 5, line0: 0, line1: 6, positions: 42 }]);
  });

  test('a smaller budget gives whole images, as many as fit', () => {
    setColumnBudget(2 * 18 * 42 + 5);
    expect(chunks(g, g.kG).map((c) => [c.n0, c.images])).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
    ]);
  });

  test('an image past the budget but under the split size stays whole, one per chunk', () => {
    setColumnBudget(100);
    expect(chunks(g, g.kG).map((c) => [c.n0, c.images, c.line0, c.line1])).toEqual(
      [0, 1, 2, 3, 4].map((n) => [n, 1, 0, 6]),
    );
  });

  test('a split size under one image gives runs of lines covering each image once', () => {
    setColumnBudget(18 * 7 * 4, 18 * 7 * 4);
    const list = chunks(g, g.kG);
    expect(list.map((c) => [c.n0, c.line0, c.line1])).toEqual(
      [0, 1, 2, 3, 4].flatMap((n) => [
        [n, 0, 4],
        [n, 4, 6],
      ]),
    );
    expect(list.every((c) => c.positions === (c.line1 - c.line0) * 7)).toBe(true);
  });
});

describe('cpu conv: im2col and col2im', () => {
  test('col2im is the transpose of im2col, on any run of lines', () => {
    const c = conv3(
      resolveConv('test', [1, 3, 4, 7, 6], [2, 3, 2, 3, 2], {
        padding: [
          [1, 0],
          [2, 1],
          [0, 3],
        ],
        strides: [1, 2, 1],
        dilation: [2, 1, 2],
      }),
    );
    const lines = c.outD * c.outH;
    const x = randoms(c.cinG * c.inSize, 3);
    for (const [line0, line1] of [
      [0, lines],
      [1, lines - 1],
      [2, 3],
    ] as const) {
      const width = (line1 - line0) * c.outW;
      const cols = new Float32Array(c.kG * width).fill(NaN);
      im2col(c, x, 0, line0, line1, { data: cols, offset: 0, rowStride: width });
      expect(cols.every((v) => !Number.isNaN(v))).toBe(true); // every element written
      const probe = randoms(cols.length, 4);
      const back = new Float32Array(x.length);
      col2im(c, { data: probe, offset: 0, rowStride: width }, line0, line1, back, 0);
      let left = 0;
      let right = 0;
      for (let i = 0; i < cols.length; i++) left += cols[i]! * probe[i]!;
      for (let i = 0; i < x.length; i++) right += x[i]! * back[i]!;
      expect(left).toBeCloseTo(right, 4);
    }
  });

  test('tap-major columns are the channel-major columns with rows reordered', () => {
    const c = conv3(
      resolveConv('test', [1, 3, 4, 5, 6], [2, 3, 2, 3, 2], {
        padding: 'SAME',
        dilation: [2, 1, 3],
      }),
    );
    expect(isTapMajor(c)).toBe(true);
    const P = c.outSize;
    const x = randoms(c.cinG * c.inSize, 8);
    const channelMajor = new Float32Array(c.kG * P);
    im2col(c, x, 0, 0, c.outD * c.outH, { data: channelMajor, offset: 0, rowStride: P });
    // Staged in the same buffer (copyWithin) and from a separate array (set): the same matrix.
    const staged = new Float32Array(x.length + c.kG * P).fill(NaN);
    staged.set(x);
    im2colTaps(c, staged, 0, staged, x.length);
    const separate = new Float32Array(c.kG * P).fill(NaN);
    im2colTaps(c, x, 0, separate, 0);
    for (let ch = 0; ch < c.cinG; ch++) {
      for (let t = 0; t < c.kSize; t++) {
        const want = Array.from(
          channelMajor.subarray((ch * c.kSize + t) * P, (ch * c.kSize + t + 1) * P),
        );
        const row = (t * c.cinG + ch) * P;
        expect(Array.from(staged.subarray(x.length + row, x.length + row + P))).toEqual(want);
        expect(Array.from(separate.subarray(row, row + P))).toEqual(want);
      }
    }
    const w = randoms(c.outChannels * c.kG, 9);
    expect(tapMajorFilter(c, tapMajorFilter(c, w), true)).toEqual(w);
  });

  test('im2col writes a block at an offset and row stride, leaving the rest alone', () => {
    const c = conv3(resolveConv('test', [1, 1, 3, 3], [1, 1, 2, 2], { padding: 'SAME' }));
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const cols = new Float32Array(4 * 20).fill(-1);
    im2col(c, x, 0, 0, 3, { data: cols, offset: 1, rowStride: 20 });
    const rows = [0, 1, 2, 3].map((r) => Array.from(cols.subarray(20 * r, 20 * r + 11)));
    // SAME with a 2x2 kernel pads one after: row (kh, kw) holds x[oh + kh, ow + kw].
    expect(rows[0]).toEqual([-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1]);
    expect(rows[1]).toEqual([-1, 2, 3, 0, 5, 6, 0, 8, 9, 0, -1]);
    expect(rows[2]).toEqual([-1, 4, 5, 6, 7, 8, 9, 0, 0, 0, -1]);
    expect(rows[3]).toEqual([-1, 5, 6, 0, 8, 9, 0, 0, 0, 0, -1]);
  });
});

describe('cpu conv: strided inputs, empty dimensions, errors', () => {
  test('non-contiguous views read correctly', () => {
    // x is the transpose (last two axes) of a [2, 3, 5, 4] buffer; w is every other filter of a larger one.
    const base = randoms(2 * 3 * 5 * 4, 11);
    const x = new CpuArray(cpu, 'float32', [2, 3, 4, 5], base, [60, 20, 1, 4]);
    const wBase = randoms(8 * 3 * 2 * 2, 12);
    const w = new CpuArray(cpu, 'float32', [4, 3, 2, 2], wBase, [24, 4, 2, 1], 12);
    const xDense = cpu.readSync(x) as Float32Array;
    const wDense = cpu.readSync(w) as Float32Array;
    const options: ConvOptions = { padding: 'SAME' };
    const dy = new Float32Array(2 * 4 * 4 * 5).fill(1);
    const ref = referenceConv([2, 3, 4, 5], xDense, [4, 3, 2, 2], wDense, dy, options);
    expectClose('y', cpu.readSync(cpu.conv(x, w, options)), ref.y, ref.yAbs);
    const dyView = new CpuArray(cpu, 'float32', [2, 4, 4, 5], new Float32Array([1]), [0, 0, 0, 0]);
    expectClose(
      'dx',
      cpu.readSync(cpu.convBackwardInput(dyView, w, [2, 3, 4, 5], options)),
      ref.dx,
      ref.dxAbs,
    );
    expectClose(
      'dw',
      cpu.readSync(cpu.convBackwardFilter(x, dyView, [4, 3, 2, 2], options)),
      ref.dw,
      ref.dwAbs,
    );
  });

  test.each([
    ['no images', [0, 2, 5, 5], [3, 2, 3, 3], [0, 3, 5, 5]],
    ['no input channels', [2, 0, 5, 5], [3, 0, 3, 3], [2, 3, 5, 5]],
    ['no output channels', [2, 2, 5, 5], [0, 2, 3, 3], [2, 0, 5, 5]],
    ['no output positions', [2, 2, 2, 5], [3, 2, 3, 3], [2, 3, 0, 3]],
  ])('%s', (_name, xShape, wShape, yShape) => {
    const x = full(xShape, 1, 'float32');
    const w = full(wShape, 1, 'float32');
    const dy = full(yShape, 1, 'float32');
    const options: ConvOptions = { padding: xShape[2] === 2 ? 'VALID' : 'SAME' };
    const y = cpu.conv(x, w, options);
    expect(y.shape).toEqual(yShape);
    expect(cpu.readSync(y).every((v) => v === 0)).toBe(true);
    const dx = cpu.convBackwardInput(dy, w, xShape, options);
    expect(dx.shape).toEqual(xShape);
    expect(cpu.readSync(dx).every((v) => v === 0)).toBe(true);
    const dw = cpu.convBackwardFilter(x, dy, wShape, options);
    expect(dw.shape).toEqual(wShape);
    expect(cpu.readSync(dw).every((v) => v === 0)).toBe(true);
  });

  test('bad arguments name the kernel, the argument, and what was expected', () => {
    const x = full([1, 2, 5, 5], 1, 'float32');
    const w = full([3, 2, 3, 3], 1, 'float32');
    const dy = full([1, 3, 3, 3], 1, 'float32');
    expect(() => cpu.conv(full([1, 2, 5, 5], 1, 'int32'), w)).toThrow(
      'conv: `x` must be float32, found int32',
    );
    expect(() => cpu.conv(x, full([3, 4, 3, 3], 1, 'float32'))).toThrow(
      "conv: filter's input channels must be C_in / groups = 2, found 4",
    );
    expect(() => cpu.convBackwardInput(dy, w, [1, 2, 5, 5], { padding: 'SAME' })).toThrow(
      "convBackwardInput: `dy` must have the forward output's shape [1, 3, 5, 5], found [1, 3, 3, 3]",
    );
    expect(() => cpu.convBackwardInput(dy, w, [1, 2, -5, 5])).toThrow(KernelError);
    expect(() => cpu.convBackwardFilter(x, full([1, 3, 3, 3], 1, 'bool'), [3, 2, 3, 3])).toThrow(
      'convBackwardFilter: `dy` must be float32, found bool',
    );
    expect(() => cpu.convBackwardFilter(x, dy, [3, 1, 3, 3])).toThrow(
      /^convBackwardFilter: filter's input/,
    );
  });
});

/** Pooling in float64 by visiting every window tap; max takes the first largest in-bounds element. */
function referencePool(
  op: PoolOp,
  xShape: number[],
  x: Float32Array,
  dy: Float32Array,
  options: PoolOptions,
) {
  const g = resolvePool('reference', xShape, options);
  const yShape = [xShape[0]!, xShape[1]!, ...g.outSpatial];
  const y = new Float64Array(size(yShape));
  const dx = new Float64Array(x.length);
  const windowSize = size(g.window);
  for (const o of indices(yShape)) {
    const yi = flat(yShape, o);
    let best = -1;
    let sum = 0;
    for (const t of indices(g.window)) {
      const spatial = t.map((k, d) => o[2 + d]! * g.strides[d]! - g.padLo[d]! + k);
      if (spatial.some((i, d) => i < 0 || i >= g.inSpatial[d]!)) continue;
      const xi = flat(xShape, [o[0]!, o[1]!, ...spatial]);
      sum += x[xi]!;
      if (best < 0 || x[xi]! > x[best]!) best = xi;
      if (op === 'avg') add(dx, xi, dy[yi]! / windowSize);
    }
    if (op === 'avg') y[yi] = sum / windowSize;
    else {
      y[yi] = best < 0 ? -Infinity : x[best]!;
      if (best >= 0) add(dx, best, dy[yi]!);
    }
  }
  return { y, dx, yShape };
}

describe('cpu pool: every path against float64 loops', () => {
  const cases: [string, number[], PoolOptions, boolean][] = [
    ['2x2 tiling', [2, 3, 6, 8], { window: [2, 2] }, true],
    ['3x2 tiling', [2, 2, 6, 8], { window: [3, 2] }, true],
    ['2x2 stride 2 with a remainder', [1, 2, 5, 7], { window: [2, 2] }, false],
    [
      '3x3 stride 2 SAME',
      [2, 2, 7, 6],
      { window: [3, 3], strides: [2, 2], padding: 'SAME' },
      false,
    ],
    [
      'explicit padding wider than the window',
      [1, 2, 4, 4],
      {
        window: [2, 2],
        strides: [1, 1],
        padding: [
          [3, 1],
          [0, 2],
        ],
      },
      false,
    ],
    ['1-D overlapping', [2, 3, 9], { window: [3], strides: [1] }, false],
    ['3-D', [1, 2, 4, 5, 6], { window: [2, 2, 3], strides: [2, 1, 2], padding: 'SAME' }, false],
    ['3-D with 2-D tiling', [2, 2, 3, 4, 4], { window: [1, 2, 2] }, true],
  ];
  describe.each(['max', 'avg'] as const)('%s', (op) => {
    test.each(cases)('%s', (_name, xShape, options, tiling) => {
      expect(isTiling(window3(resolvePool('test', xShape, options)))).toBe(tiling);
      // Values from a small set, so that windows have ties for max to break.
      const x = randoms(size(xShape), 5).map((v) => Math.round(v * 3));
      const ref = referencePool(op, xShape, x, randoms(size(xShape), 6), options);
      const dy = randoms(size(ref.yShape), 6);
      const { dx } = referencePool(op, xShape, x, dy, options);
      const xa = cpu.upload(x, xShape);
      const y = cpu.pool(op, xa, options);
      expect(y.shape).toEqual(ref.yShape);
      const ones = new Float64Array(ref.y.length).fill(1);
      expectClose('y', cpu.readSync(y), ref.y, ones);
      const dxa = cpu.poolBackward(op, cpu.upload(dy, ref.yShape), xa, options);
      expect(dxa.shape).toEqual(xShape);
      expectClose('dx', cpu.readSync(dxa), dx, new Float64Array(dx.length).fill(1));
    });
  });

  test('max propagates NaN and routes its gradient to the NaN', () => {
    const x = cpu.upload(new Float32Array([1, NaN, 3, 2, 5, 4, 7, NaN]), [1, 1, 2, 4]);
    const options = { window: [2, 2] };
    expect(Array.from(cpu.readSync(cpu.pool('max', x, options)))).toEqual([NaN, NaN]);
    const dy = cpu.upload(new Float32Array([1, 2]), [1, 1, 1, 2]);
    expect(Array.from(cpu.readSync(cpu.poolBackward('max', dy, x, options)))).toEqual([
      0, 1, 0, 0, 0, 0, 0, 2,
    ]);
    const general = { window: [2, 2], strides: [1, 2] };
    expect(Array.from(cpu.readSync(cpu.poolBackward('max', dy, x, general)))).toEqual([
      0, 1, 0, 0, 0, 0, 0, 2,
    ]);
  });

  test('empty inputs and errors', () => {
    const x = full([0, 3, 4, 4], 1, 'float32');
    expect(cpu.pool('max', x, { window: [2, 2] }).shape).toEqual([0, 3, 2, 2]);
    const small = full([1, 1, 1, 4], 1, 'float32');
    const y = cpu.pool('avg', small, { window: [2, 2] });
    expect(y.shape).toEqual([1, 1, 0, 2]);
    expect(Array.from(cpu.readSync(cpu.poolBackward('avg', y, small, { window: [2, 2] })))).toEqual(
      [0, 0, 0, 0],
    );
    expect(() => cpu.pool('min' as PoolOp, small, { window: [1, 1] })).toThrow(
      "pool: `op` must be 'max' or 'avg', found \"min\"",
    );
    expect(() => cpu.pool('max', full([1, 1, 2, 2], 1, 'int32'), { window: [1, 1] })).toThrow(
      'pool: `x` must be float32, found int32',
    );
    expect(() =>
      cpu.poolBackward('max', full([1, 1, 2, 2], 1, 'float32'), small, { window: [1, 2] }),
    ).toThrow(
      "poolBackward: `dy` must have the forward output's shape [1, 1, 1, 2], found [1, 1, 2, 2]",
    );
  });
});

describe('cpu conv: with worker threads', () => {
  const saved = tuning.parallelFlops;
  beforeAll(async () => {
    expect(await startThreads(2)).toBe(2);
    tuning.parallelFlops = 0; // every GEMM goes through the pool, building the next columns meanwhile
  });
  afterAll(() => {
    tuning.parallelFlops = saved;
    setColumnBudget(DEFAULT_COLUMN_BUDGET, DEFAULT_IMAGE_LIMIT);
  });
  test.each(convCases)('$name, a few images per chunk', (c) => {
    setColumnBudget(400, DEFAULT_IMAGE_LIMIT);
    runConv(c, 11);
  });
  test('a batch of 9 with gathered columns: one task per image packs and multiplies it', () => {
    const previous = setSmallGemm(0);
    try {
      runConv({ name: 'nine', x: [9, 3, 7, 5], w: [4, 3, 3, 2], options: { padding: 'SAME' } }, 18);
    } finally {
      setSmallGemm(previous);
    }
  });
  test.each(convCases)('$name, gathered columns in several jobs', (c) => {
    const previous = setSmallGemm(0);
    const groupBytes = tuning.groupBytes;
    tuning.groupBytes = 1 << 13;
    try {
      runConv(c, 12);
    } finally {
      tuning.groupBytes = groupBytes;
      setSmallGemm(previous);
    }
  });
});
