// Adaptive pooling (Equinox's windows): shapes, values against a naive float64 reference and by hand,
// gradients, vmap, jit, and errors.
import { type Tensor, TensorError, jit, numpy, vmap } from '@equinox-ts/autodiff';
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
  AdaptivePool,
} from '../src/layers/pool-index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from './helpers/check-grads.js';
import { expectClose } from './helpers/layers.js';

type Kind = 'max' | 'avg';

const CLASSES = {
  avg: [AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d],
  max: [AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d],
} as const;

const make = (kind: Kind, target: number | number[], n: number): AdaptivePool =>
  new CLASSES[kind][n - 1]!(target);

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

/** Equinox's windows of a dimension of `size` cut into `target`: the `size % target` long ones first. */
function windows(size: number, target: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < target; i++) {
    const length = Math.floor(size / target) + (i < size % target ? 1 : 0);
    out.push([start, start + length]);
    start += length;
  }
  expect(start).toBe(size);
  return out;
}

/** Naive adaptive pooling in float64: every output is the max or mean of its box of the input. */
function referenceAdaptive(kind: Kind, x: Tensor, target: number[]): number[] {
  const [channels, ...spatial] = x.shape;
  const data = Array.from(x.dataSync() as Float32Array);
  const boxes = spatial.map((size, d) => windows(size, target[d]!));
  const values: number[] = [];
  const visit = (c: number, d: number, chosen: [number, number][]): void => {
    if (d === spatial.length) {
      const picked: number[] = [];
      const gather = (e: number, flat: number): void => {
        if (e === spatial.length) {
          picked.push(data[flat]!);
          return;
        }
        for (let i = chosen[e]![0]; i < chosen[e]![1]; i++) gather(e + 1, flat * spatial[e]! + i);
      };
      gather(0, c);
      values.push(
        kind === 'max' ? Math.max(...picked) : picked.reduce((a, b) => a + b, 0) / picked.length,
      );
      return;
    }
    for (const box of boxes[d]!) visit(c, d + 1, [...chosen, box]);
  };
  for (let c = 0; c < channels!; c++) visit(c, 0, []);
  return values;
}

describe.each(BACKENDS)('adaptive pooling on $name', (entry) => {
  useBackend(entry);
  const tol = Math.max(entry.rtol, 1e-5);

  const grid: [Kind, number[], number[]][] = [];
  for (const kind of ['max', 'avg'] as const) {
    for (const size of [1, 4, 5, 7]) for (let t = 1; t <= size; t++) grid.push([kind, [size], [t]]);
    grid.push([kind, [5, 7], [3, 3]], [kind, [4, 6], [4, 1]], [kind, [6, 3], [4, 2]]);
    grid.push([kind, [3, 5, 4], [2, 3, 3]], [kind, [2, 2, 3], [1, 2, 2]]);
  }
  test.each(grid)('%s on spatial %j to %j, against the naive reference', (kind, size, target) => {
    const x = distinct([2, ...size], size.length * 31 + size[0]!);
    const y = make(kind, target, size.length).call(x);
    expect(y.shape).toEqual([2, ...target]);
    expectClose(y, referenceAdaptive(kind, x, target), tol);
  });

  test('hand-derived values: Equinox windows, not PyTorch windows', () => {
    const x = numpy.array([[1, 9, 2, 8, 3]]);
    // 5 into 3: [1, 9], [2, 8], [3] (PyTorch would take [1, 9], [9, 2, 8], [8, 3]).
    expect(new AdaptiveMaxPool1d(3).call(x).tolist()).toEqual([[9, 8, 3]]);
    expect(new AdaptiveAvgPool1d(3).call(x).tolist()).toEqual([[5, 5, 3]]);
    expect(new AdaptiveAvgPool1d(5).call(x).tolist()).toEqual([[1, 9, 2, 8, 3]]);
    expect(new AdaptiveMaxPool1d(1).call(x).tolist()).toEqual([[9]]);
    const image = numpy.array([
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ]);
    // Rows and columns into [0, 1], [2].
    expect(new AdaptiveAvgPool2d(2).call(image).tolist()).toEqual([
      [
        [3, 4.5],
        [7.5, 9],
      ],
    ]);
    expect(new AdaptiveMaxPool2d([1, 2]).call(image).tolist()).toEqual([[[8, 9]]]);
    expect(new AdaptivePool(2, 2, numpy.sum).call(image).tolist()).toEqual([
      [
        [12, 9],
        [15, 9],
      ],
    ]);
    expect(
      new AdaptiveMaxPool3d([1, 1, 2]).call(numpy.arange(8).reshape([1, 2, 2, 2])).tolist(),
    ).toEqual([[[[6, 7]]]]);
    expect(new AdaptiveAvgPool3d(1).call(numpy.arange(8).reshape([1, 2, 2, 2])).tolist()).toEqual([
      [[[3.5]]],
    ]);
  });

  test('an integer target applies to every spatial dimension', () => {
    expect(new AdaptiveAvgPool3d(2).targetShape).toEqual([2, 2, 2]);
    expect(new AdaptiveMaxPool2d([3, 1]).targetShape).toEqual([3, 1]);
  });

  test.each([
    ['avg', [2, 5], [3]],
    ['avg', [1, 3, 5], [2, 3]],
    ['avg', [1, 2, 3, 3], [1, 2, 2]],
    ['max', [2, 5], [3]],
    ['max', [1, 3, 5], [2, 3]],
    ['max', [1, 2, 3, 3], [1, 2, 2]],
  ] as [Kind, number[], number[]][])(
    '%s gradients on %j to %j against finite differences',
    (kind, shape, target) => {
      const layer = make(kind, target, target.length);
      const x = kind === 'max' ? distinct(shape, 5) : randomTensor(shape, randomSource(5));
      checkGrads((input) => layer.call(input), [x]);
    },
  );

  test('vmap over a batch equals one call per example', () => {
    for (const layer of [new AdaptiveMaxPool2d([2, 3]), new AdaptiveAvgPool2d([3, 2])]) {
      const batch = distinct([3, 2, 5, 4], 9);
      const batched = vmap(layer.call)(batch);
      const each = numpy.stack([0, 1, 2].map((i) => layer.call(numpy.index(batch, i))));
      expect(batched.shape).toEqual([3, 2, ...layer.targetShape]);
      expectClose(batched, each.tolist(), tol);
    }
  });

  test('jit gives the same values as eager, with the layer as an argument', () => {
    const x = distinct([2, 5, 7], 13);
    for (const layer of [new AdaptiveMaxPool2d([2, 3]), new AdaptiveAvgPool2d(4)]) {
      const jitted = jit((m: AdaptivePool, input: Tensor) => m.call(input));
      expectClose(jitted(layer, x), layer.call(x).tolist(), tol);
      expectClose(jit(layer.call)(x), layer.call(x).tolist(), tol);
    }
  });
});

describe('adaptive pooling errors', () => {
  test('rank mismatch, with a vmap hint for a batch', () => {
    expect(() => new AdaptiveAvgPool2d(2).call(numpy.ones([4, 3, 5, 5]))).toThrow(
      /AdaptiveAvgPool2d.*expected `x` of shape \[\*, \*, \*\], found float32\[4, 3, 5, 5\].*batch with vmap/,
    );
    expect(() => new AdaptiveMaxPool1d(2).call(numpy.ones([5]))).toThrow(
      /AdaptiveMaxPool1d.*\[\*, \*\]/,
    );
  });

  test('a target larger than the input', () => {
    expect(() => new AdaptiveMaxPool2d([2, 6]).call(numpy.ones([1, 4, 5]))).toThrow(
      /`targetShape` \[2,6\] is larger than the input's spatial shape \[4,5\] in spatial dimension 1/,
    );
  });

  test('bad constructor arguments', () => {
    expect(() => new AdaptiveAvgPool2d(0)).toThrow(TensorError);
    expect(() => new AdaptiveAvgPool2d([2, 2, 2])).toThrow(
      /`targetShape` must be a positive integer or 2 of them/,
    );
    expect(() => new AdaptiveMaxPool1d(1.5)).toThrow(/`targetShape`.*found 1.5/);
    expect(() => new AdaptivePool(2, 0, numpy.mean)).toThrow(
      /`numSpatialDims` must be a positive integer/,
    );
    expect(() => new AdaptivePool(2, 1, 'mean' as never)).toThrow(/`operation` must be a function/);
  });
});
