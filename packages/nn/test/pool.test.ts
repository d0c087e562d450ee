// MaxPool/AvgPool 1d-3d and the general Pool: output shapes over a grid of arguments, values against a
// naive float64 reference and hand-derived cases, gradients, vmap, jit, and errors.
import { type Tensor, TensorError, jit, numpy, vmap } from '@equinox-ts/autodiff';
import {
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  Pool,
  type PoolOptions,
} from '../src/layers/pool-index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from './helpers/check-grads.js';
import { expectClose } from './helpers/layers.js';

type Kind = 'max' | 'avg';
type Pairs = [number, number][];

const CLASSES = {
  max: [MaxPool1d, MaxPool2d, MaxPool3d],
  avg: [AvgPool1d, AvgPool2d, AvgPool3d],
} as const;

const make = (kind: Kind, n: number, kernel: number | number[], options: PoolOptions = {}): Pool =>
  new CLASSES[kind][n - 1]!(kernel, options);

/** Distinct values (a shuffled 0.1-spaced ramp), so no window has a tie. */
function distinct(shape: number[], seed: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const rand = randomSource(seed);
  const values = Array.from({ length: size }, (_, i) => i * 0.1 - size * 0.05);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(((rand() + 1) / 2) * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return numpy.array(Float32Array.from(values), { shape });
}

/** Output size of one dimension, written from the definition (floor, or ceil with useCeil). */
function outSize(
  size: number,
  k: number,
  s: number,
  [lo, hi]: [number, number],
  ceil: boolean,
): number {
  const span = (size + lo + hi - k) / s;
  return (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
}

/**
 * Naive pooling in float64: every output position looks at its window of the padded input; padded
 * positions are skipped by max and count as zeros for avg (whose divisor is the kernel's size).
 */
function referencePool(
  kind: Kind,
  x: Tensor,
  kernel: number[],
  stride: number[],
  padding: Pairs,
  ceil: boolean,
): { shape: number[]; values: number[] } {
  const [channels, ...spatial] = x.shape;
  const data = Array.from(x.dataSync() as Float32Array);
  const outs = spatial.map((size, d) => outSize(size, kernel[d]!, stride[d]!, padding[d]!, ceil));
  const windowSize = kernel.reduce((a, b) => a * b, 1);
  const values: number[] = [];
  const forEachIndex = (shape: number[], visit: (index: number[]) => void): void => {
    const total = shape.reduce((a, b) => a * b, 1);
    for (let flat = 0; flat < total; flat++) {
      const index: number[] = [];
      let rest = flat;
      for (let d = shape.length - 1; d >= 0; d--) {
        index.unshift(rest % shape[d]!);
        rest = Math.floor(rest / shape[d]!);
      }
      visit(index);
    }
  };
  for (let c = 0; c < channels!; c++) {
    forEachIndex(outs, (o) => {
      let acc = kind === 'max' ? -Infinity : 0;
      forEachIndex(kernel, (w) => {
        const pos = o.map((oi, d) => oi * stride[d]! - padding[d]![0] + w[d]!);
        if (pos.some((p, d) => p < 0 || p >= spatial[d]!)) return;
        const flat = pos.reduce((f, p, d) => f * spatial[d]! + p, c);
        acc = kind === 'max' ? Math.max(acc, data[flat]!) : acc + data[flat]!;
      });
      values.push(kind === 'max' ? acc : acc / windowSize);
    });
  }
  return { shape: [channels!, ...outs], values };
}

/** Whether Equinox accepts the configuration: no padding above the kernel, before or after useCeil. */
function accepted(
  size: number[],
  kernel: number[],
  stride: number[],
  padding: Pairs,
  ceil: boolean,
): boolean {
  return size.every((n, d) => {
    const [lo, hi] = padding[d]!;
    const k = kernel[d]!;
    if (n + lo + hi < k || Math.max(lo, hi) > k) return false;
    const extra = ceil && (n + lo + hi - k) % stride[d]! !== 0 ? stride[d]! : 0;
    return hi + extra <= k;
  });
}

const pairsOf = (padding: number | number[] | Pairs, n: number): Pairs =>
  typeof padding === 'number'
    ? Array.from({ length: n }, () => [padding, padding] as [number, number])
    : padding.map((p) => (typeof p === 'number' ? [p, p] : p));

/** As expectClose, where infinities (windows of padding alone) must match exactly. */
function expectValues(actual: Tensor, expected: number[], tol: number): void {
  const got = Array.from(actual.dataSync() as Float32Array);
  expect(got.map((v) => Number.isFinite(v))).toEqual(expected.map((v) => Number.isFinite(v)));
  expect(got.filter((v) => !Number.isFinite(v))).toEqual(
    expected.filter((v) => !Number.isFinite(v)),
  );
  expectClose(numpy.array(got.filter(Number.isFinite)), expected.filter(Number.isFinite), tol);
}

describe.each(BACKENDS)('pooling on $name', (entry) => {
  useBackend(entry);
  const tol = Math.max(entry.rtol, 1e-5);

  describe('shapes and values over a grid, against the naive reference', () => {
    const cases: [Kind, number, number, number, number | Pairs, boolean][] = [];
    for (const kind of ['max', 'avg'] as const)
      for (const k of [1, 2, 3])
        for (const s of [1, 2, 3])
          for (const p of [0, 1, [[2, 0]] as Pairs])
            for (const ceil of [false, true]) cases.push([kind, 1, k, s, p, ceil]);
    test.each(cases)(
      '%s %sd kernel %s stride %s padding %j useCeil %s',
      (kind, n, k, s, p, ceil) => {
        const x = distinct([2, 7], k * 10 + s);
        const padding = pairsOf(p, n);
        const run = (): Tensor =>
          make(kind, n, k, { stride: s, padding: p, useCeil: ceil }).call(x);
        if (!accepted([7], [k], [s], padding, ceil)) {
          expect(run).toThrow(TensorError);
          return;
        }
        const want = referencePool(kind, x, [k], [s], padding, ceil);
        const y = run();
        expect(y.shape).toEqual(want.shape);
        expectValues(y, want.values, tol);
      },
    );

    const multi: [
      Kind,
      number,
      number[],
      number[],
      number | number[] | Pairs,
      boolean,
      number[],
    ][] = [
      ['max', 2, [2, 2], [2, 2], 0, false, [5, 6]],
      ['max', 2, [3, 2], [2, 1], [1, 0], true, [5, 4]],
      [
        'avg',
        2,
        [2, 3],
        [2, 2],
        [
          [1, 0],
          [1, 2],
        ],
        false,
        [4, 5],
      ],
      ['avg', 2, [2, 2], [3, 2], 1, true, [6, 4]],
      ['max', 2, [1, 3], [1, 3], [0, 1], true, [3, 7]],
      ['avg', 2, [3, 3], [1, 1], 1, false, [3, 3]],
      ['max', 3, [2, 2, 2], [1, 2, 2], 0, false, [3, 4, 4]],
      [
        'max',
        3,
        [2, 1, 2],
        [2, 1, 2],
        [
          [1, 0],
          [0, 0],
          [0, 0],
        ],
        true,
        [3, 2, 5],
      ],
      [
        'avg',
        3,
        [2, 2, 2],
        [2, 2, 2],
        [
          [0, 0],
          [1, 0],
          [1, 0],
        ],
        true,
        [3, 4, 3],
      ],
      ['avg', 3, [1, 2, 3], [1, 1, 2], [0, 1, 1], false, [2, 3, 5]],
    ];
    test.each(multi)(
      '%s %sd kernel %j stride %j padding %j useCeil %s on %j',
      (kind, n, k, s, p, ceil, size) => {
        const x = distinct([2, ...size], size[0]!);
        const padding = pairsOf(p, n);
        expect(accepted(size, k, s, padding, ceil)).toBe(true);
        const want = referencePool(kind, x, k, s, padding, ceil);
        const y = make(kind, n, k, { stride: s, padding: p, useCeil: ceil }).call(x);
        expect(y.shape).toEqual(want.shape);
        expectValues(y, want.values, tol);
      },
    );
  });

  test('hand-derived values', () => {
    const x = numpy.array([[1, 3, 2, 5, 4]]);
    // Windows [1,3], [2,5], and with useCeil [4, pad]: max ignores the padding, avg counts it as 0.
    expect(new MaxPool1d(2, { stride: 2 }).call(x).tolist()).toEqual([[3, 5]]);
    expect(new MaxPool1d(2, { stride: 2, useCeil: true }).call(x).tolist()).toEqual([[3, 5, 4]]);
    expect(new AvgPool1d(2, { stride: 2, useCeil: true }).call(x).tolist()).toEqual([[2, 3.5, 2]]);
    // Padding 1 on both sides: [0 | 1 3 2 5 4 | 0] in windows of 3 every 2.
    expectClose(new AvgPool1d(3, { stride: 2, padding: 1 }).call(x), [[4 / 3, 10 / 3, 3]]);
    expect(new MaxPool1d(3, { stride: 2, padding: 1 }).call(x.neg()).tolist()).toEqual([
      [-1, -2, -4],
    ]);
    const image = numpy.array([
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ]);
    expect(new MaxPool2d(2).call(image).tolist()).toEqual([
      [
        [5, 6],
        [8, 9],
      ],
    ]);
    expect(new AvgPool2d([1, 3]).call(image).tolist()).toEqual([[[2], [5], [8]]]);
    expect(new MaxPool2d(2, { stride: 2, useCeil: true }).call(image).tolist()).toEqual([
      [
        [5, 6],
        [8, 9],
      ],
    ]);
    expect(new AvgPool2d(2, { stride: 2, useCeil: true }).call(image).tolist()).toEqual([
      [
        [3, 2.25],
        [3.75, 2.25],
      ],
    ]);
    expect(new Pool('sum', 2, 2, { stride: 2, useCeil: true }).call(image).tolist()).toEqual([
      [
        [12, 9],
        [15, 9],
      ],
    ]);
    expect(new Pool('min', 1, 3).call(x).tolist()).toEqual([[1, 2, 2]]);
  });

  test('defaults are stride 1, padding 0 and no ceil (Equinox)', () => {
    const layer = new MaxPool2d(3);
    expect(layer.kernelSize).toEqual([3, 3]);
    expect(layer.stride).toEqual([1, 1]);
    expect(layer.padding).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(layer.useCeil).toBe(false);
    expect(layer.call(numpy.ones([1, 5, 6])).shape).toEqual([1, 3, 4]);
    expect(new AvgPool3d([1, 2, 3], { padding: [1, 0, 2] }).padding).toEqual([
      [1, 1],
      [0, 0],
      [2, 2],
    ]);
  });

  describe('gradients against finite differences', () => {
    test.each([
      ['avg', 1, 3, { stride: 2, padding: 1, useCeil: true }, [2, 6]],
      [
        'avg',
        2,
        [2, 3],
        {
          stride: [1, 2],
          padding: [
            [1, 0],
            [0, 1],
          ],
        },
        [1, 3, 4],
      ],
      ['avg', 3, 2, { stride: 2, useCeil: true }, [1, 3, 2, 3]],
      ['max', 1, 3, { stride: 2, padding: 1, useCeil: true }, [2, 6]],
      [
        'max',
        2,
        [2, 3],
        {
          stride: [1, 2],
          padding: [
            [1, 0],
            [0, 1],
          ],
        },
        [1, 3, 4],
      ],
      ['max', 3, 2, { stride: 2, useCeil: true }, [1, 3, 2, 3]],
    ] as [Kind, number, number | number[], PoolOptions, number[]][])(
      '%s %sd kernel %j %j',
      (kind, n, k, options, shape) => {
        const layer = make(kind, n, k, options);
        const x = kind === 'max' ? distinct(shape, 3) : randomTensor(shape, randomSource(3));
        checkGrads((input) => layer.call(input), [x], { order: kind === 'avg' ? 2 : 1 });
      },
    );
  });

  test('vmap over a batch equals one call per example', () => {
    for (const layer of [
      new MaxPool2d(2, { stride: 2, useCeil: true }),
      new AvgPool2d([2, 1], { padding: 1 }),
    ]) {
      const batch = distinct([3, 2, 3, 5], 7);
      const batched = vmap(layer.call)(batch);
      const each = numpy.stack([0, 1, 2].map((i) => layer.call(numpy.index(batch, i))));
      expect(batched.shape).toEqual(each.shape);
      expectClose(batched, each.tolist(), tol);
    }
  });

  test('jit gives the same values as eager, with the layer as an argument', () => {
    const x = distinct([2, 5, 4], 11);
    for (const layer of [
      new MaxPool2d(3, { padding: 1, stride: 2 }),
      new AvgPool2d(2, { useCeil: true, stride: 2 }),
    ]) {
      const jitted = jit((m: Pool, input: Tensor) => m.call(input));
      expectClose(jitted(layer, x), layer.call(x).tolist(), tol);
      expectClose(jit(layer.call)(x), layer.call(x).tolist(), tol);
    }
  });
});

describe('pooling errors', () => {
  const x = numpy.ones([2, 4, 4]);

  test('rank mismatch, with a vmap hint for a batch', () => {
    expect(() => new MaxPool2d(2).call(numpy.ones([8, 2, 4, 4]))).toThrow(
      /MaxPool2d.*expected `x` of shape \[\*, \*, \*\], found float32\[8, 2, 4, 4\].*batch with vmap/,
    );
    expect(() => new AvgPool1d(2).call(x)).toThrow(/AvgPool1d.*\[\*, \*\]/);
  });

  test('a kernel larger than the padded input', () => {
    expect(() => new MaxPool2d([5, 2]).call(x)).toThrow(
      /kernel size 5 is larger than the padded input in spatial dimension 0 \(4 \+ padding 0 \+ 0 = 4\)/,
    );
    expect(
      new MaxPool2d([5, 2], {
        padding: [
          [1, 0],
          [0, 0],
        ],
      }).call(x).shape,
    ).toEqual([2, 1, 3]);
  });

  test('padding larger than the kernel, also after useCeil added the stride (Equinox rule)', () => {
    expect(() => new MaxPool1d(2, { padding: 3 })).toThrow(
      /padding must be at most the kernel size.*\[3, 3\].*kernel size 2/,
    );
    expect(() => new AvgPool1d(2, { stride: 3, useCeil: true }).call(numpy.ones([1, 4]))).toThrow(
      /padding \[0, 3\] after `useCeil` added `stride` for kernel size 2/,
    );
  });

  test('bad constructor arguments', () => {
    expect(() => new MaxPool2d(0)).toThrow(
      /MaxPool2d.*`kernelSize` must be a positive integer or 2 of them.*found 0/,
    );
    expect(() => new MaxPool2d([2, 2, 2])).toThrow(/`kernelSize`.*found \[2,2,2\]/);
    expect(() => new AvgPool1d(1.5)).toThrow(/`kernelSize`/);
    expect(() => new AvgPool2d(2, { stride: [1, 0] })).toThrow(
      /AvgPool2d.*`stride`.*found \[1,0\]/,
    );
    expect(() => new AvgPool2d(2, { padding: -1 })).toThrow(
      /`padding` must be a non-negative integer.*found -1/,
    );
    expect(() => new AvgPool2d(2, { padding: [1, [0, 1]] as never })).toThrow(/`padding`/);
    expect(
      () =>
        new AvgPool2d(2, {
          padding: [
            [0, 1, 2],
            [0, 0],
          ] as never,
        }),
    ).toThrow(/`padding`/);
    expect(() => new MaxPool3d(2, { useCeil: 'yes' as never })).toThrow(
      /`useCeil` must be a boolean/,
    );
    expect(() => new Pool('mean' as never, 2, 2)).toThrow(
      /`op` must be 'max', 'min', 'sum' or 'avg'/,
    );
    expect(() => new Pool('max', 4, 2)).toThrow(/`numSpatialDims` must be 1, 2 or 3/);
    expect(() => new MaxPool1d(2, { padding: 1 })).not.toThrow();
  });
});
