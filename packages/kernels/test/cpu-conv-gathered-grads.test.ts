// The convolution gradients that run on the WebAssembly engine without building columns in JavaScript:
// the filter gradient of an ungrouped convolution from gathered, transposed columns (runs of images
// summed in one product each), and the input gradient of a stride-1 convolution as the flipped forward
// convolution. Checked against float64 loops by the definition, on one thread and on two, and with the
// batch split into several engine jobs.
import { cpu, resolveConv, type ConvOptions } from '../src/index.js';
import { prefersFlipOnEngine } from '../src/cpu/conv-flip.js';
import { setGatheredColumns } from '../src/cpu/conv-forward.js';
import { conv3 } from '../src/cpu/conv-geometry.js';
import { SMALL_GEMM, setSmallGemm } from '../src/cpu/gemm.js';
import { startThreads } from '../src/cpu/threads.js';
import { tuning } from '../src/cpu/wasm/job.js';
import { convBackwardFilterRef, convBackwardInputRef } from './reference/conv.js';
import type { Ref } from './reference/ndarray.js';

interface Case {
  name: string;
  x: number[];
  w: number[];
  options: ConvOptions;
}

const CASES: Case[] = [
  {
    name: 'MNIST second layer, VALID, batch 8',
    x: [8, 16, 12, 12],
    w: [32, 16, 5, 5],
    options: {},
  },
  { name: 'batch 9 (three runs of three)', x: [9, 8, 7, 6], w: [4, 8, 3, 3], options: {} },
  { name: 'batch 7 (one run)', x: [7, 8, 6, 6], w: [3, 8, 3, 2], options: {} },
  {
    name: 'one image',
    x: [1, 10, 9, 8],
    w: [6, 10, 4, 3],
    options: {
      padding: [
        [1, 2],
        [0, 1],
      ],
    },
  },
  { name: 'one input channel', x: [4, 1, 12, 12], w: [5, 1, 5, 5], options: {} },
  {
    name: '3-D dilated',
    x: [2, 8, 5, 6, 7],
    w: [3, 8, 2, 3, 2],
    options: { dilation: [2, 1, 2], padding: 'SAME' },
  },
  {
    name: '1-D, padding past the reach',
    x: [3, 8, 9],
    w: [4, 8, 3],
    options: { padding: [[3, 1]] },
  },
  { name: 'strided (no flip)', x: [4, 8, 9, 9], w: [5, 8, 3, 3], options: { strides: [2, 2] } },
  { name: 'grouped (columns built)', x: [2, 16, 6, 6], w: [6, 8, 3, 3], options: { groups: 2 } },
];

/** Deterministic values in [-1, 1). */
function randoms(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const ref = (shape: readonly number[], data: ArrayLike<number>, abs = false): Ref => ({
  shape,
  dtype: 'float32',
  data: Float64Array.from(data, (v) => (abs ? Math.abs(v) : v)),
});

/** Expects float32 results within 1e-5 of the float64 reference, relative to the sum of |terms|. */
function expectClose(label: string, got: ArrayLike<number>, want: Ref, magnitude: Ref): void {
  expect(got.length).toBe(want.data.length);
  for (let i = 0; i < got.length; i++) {
    const tolerance = 1e-5 * magnitude.data[i]! + 1e-6;
    if (!(Math.abs(got[i]! - want.data[i]!) <= tolerance)) {
      throw new Error(
        `${label}[${i}]: got ${got[i]}, want ${want.data[i]} (tolerance ${tolerance})`,
      );
    }
  }
}

function checkGradients(c: Case, seed: number): void {
  const g = resolveConv('test', c.x, c.w, c.options);
  const yShape = [g.batch, g.outChannels, ...g.outSpatial];
  const [x, w, dy] = [
    randoms(size(c.x), seed),
    randoms(size(c.w), seed + 1),
    randoms(size(yShape), seed + 2),
  ];
  const [xa, wa, dya] = [cpu.upload(x, c.x), cpu.upload(w, c.w), cpu.upload(dy, yShape)];
  const dx = cpu.readSync(cpu.convBackwardInput(dya, wa, c.x, c.options));
  const dw = cpu.readSync(cpu.convBackwardFilter(xa, dya, c.w, c.options));
  expectClose(
    'dx',
    dx,
    convBackwardInputRef(ref(yShape, dy), ref(c.w, w), c.x, c.options),
    convBackwardInputRef(ref(yShape, dy, true), ref(c.w, w, true), c.x, c.options),
  );
  expectClose(
    'dw',
    dw,
    convBackwardFilterRef(ref(c.x, x), ref(yShape, dy), c.w, c.options),
    convBackwardFilterRef(ref(c.x, x, true), ref(yShape, dy, true), c.w, c.options),
  );
}

describe('cpu conv gradients on the engine, without columns built in JavaScript', () => {
  const saved = { ...tuning };
  // Every product goes to the engine, however small.
  beforeAll(() => setSmallGemm(0));
  afterEach(() => {
    Object.assign(tuning, saved);
    setGatheredColumns(true);
  });
  afterAll(() => setSmallGemm(SMALL_GEMM));

  test.each(CASES)('$name', (c) => checkGradients(c, 3));

  test.each(CASES)('$name: the batch split into several engine jobs', (c) => {
    tuning.groupBytes = 1 << 13;
    checkGradients(c, 5);
  });

  test.each(CASES)('$name: with the columns built in JavaScript instead', (c) => {
    setGatheredColumns(false);
    checkGradients(c, 7);
  });

  test('the flipped input gradient is taken for stride-1 convolutions within its bounds', () => {
    const flips = (c: Case) => prefersFlipOnEngine(conv3(resolveConv('test', c.x, c.w, c.options)));
    expect(CASES.filter(flips).map((c) => c.name)).toEqual([
      'MNIST second layer, VALID, batch 8',
      'batch 9 (three runs of three)',
      'batch 7 (one run)',
      'one image',
      '3-D dilated',
      'grouped (columns built)',
    ]);
    setGatheredColumns(false);
    expect(CASES.some(flips)).toBe(false);
  });

  test('on two threads', async () => {
    expect(await startThreads(2)).toBe(2);
    for (const c of CASES) checkGradients(c, 11);
  });
});
