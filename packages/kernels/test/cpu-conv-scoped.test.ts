// Convolutions inside a scratch scope (jit runs every replay in one) give the same results as outside.
// In a scope the GEMM engine keeps one copy of each ordinary array it reads; the convolution kernels
// rewrite their scratch buffers (columns, side-by-side gradients) between products, so a kept copy of one
// would be stale. Each case runs several products that reuse one buffer: chunks of images, groups, and
// the backward passes after the forward one.
import { cpu, type ConvOptions } from '../src/index.js';
import {
  DEFAULT_COLUMN_BUDGET,
  DEFAULT_IMAGE_LIMIT,
  setColumnBudget,
} from '../src/cpu/conv-chunks.js';
import { setGatheredColumns } from '../src/cpu/conv-forward.js';
import { SMALL_GEMM, setSmallGemm } from '../src/cpu/gemm.js';

/** Deterministic values in [-1, 1). */
function randoms(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  x: number[];
  w: number[];
  y: number[];
  options: ConvOptions;
}

const CASES: Case[] = [
  {
    name: 'VALID, one input channel',
    x: [6, 1, 10, 10],
    w: [4, 1, 3, 3],
    y: [6, 4, 8, 8],
    options: {},
  },
  { name: 'VALID, 8 channels', x: [5, 8, 7, 7], w: [6, 8, 3, 3], y: [5, 6, 5, 5], options: {} },
  {
    name: 'grouped',
    x: [4, 8, 6, 6],
    w: [8, 4, 3, 3],
    y: [4, 8, 4, 4],
    options: { groups: 2 },
  },
  {
    name: 'SAME, strided',
    x: [4, 3, 9, 8],
    w: [5, 3, 3, 3],
    y: [4, 5, 5, 4],
    options: { padding: 'SAME', strides: [2, 2] },
  },
];

/** The forward pass and both gradients, read back as plain arrays. */
function allThree(c: Case, inScope: boolean): Float32Array[] {
  const [x, w, dy] = [
    cpu.upload(randoms(size(c.x), 1), c.x),
    cpu.upload(randoms(size(c.w), 2), c.w),
    cpu.upload(randoms(size(c.y), 3), c.y),
  ];
  const run = () => {
    // Made inside the scope, the operands live in engine memory, as a replay's values do.
    const copy = (a: typeof x) => (inScope ? cpu.binary('add', a, cpu.full([], 0, 'float32')) : a);
    const [xs, ws, dys] = [copy(x), copy(w), copy(dy)];
    return [
      cpu.conv(xs, ws, c.options),
      cpu.convBackwardInput(dys, ws, c.x, c.options),
      cpu.convBackwardFilter(xs, dys, c.w, c.options),
    ].map((a) => Float32Array.from(cpu.readSync(a)));
  };
  return inScope ? cpu.scoped(run) : run();
}

describe('cpu conv inside a scratch scope agrees with outside', () => {
  beforeAll(() => setSmallGemm(0)); // every product on the engine, however small
  afterEach(() => {
    setGatheredColumns(true);
    setColumnBudget(DEFAULT_COLUMN_BUDGET, DEFAULT_IMAGE_LIMIT);
  });
  afterAll(() => setSmallGemm(SMALL_GEMM));

  for (const [label, gathered, budget] of [
    ['gathered columns', true, DEFAULT_COLUMN_BUDGET],
    ['built columns, one chunk', false, DEFAULT_COLUMN_BUDGET],
    ['built columns, a few images per chunk', false, 200],
  ] as const) {
    test.each(CASES)(`${label}: $name`, (c) => {
      setGatheredColumns(gathered);
      setColumnBudget(budget, DEFAULT_IMAGE_LIMIT);
      const outside = allThree(c, false);
      const inside = allThree(c, true);
      inside.forEach((values, i) => expect(values).toEqual(outside[i]));
    });
  }
});
