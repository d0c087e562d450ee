// WeightNorm: g's initialisation, the effective weight against a float64 reference, outputs equal to the
// wrapped layer with that weight, gradients, transformations, errors.
import { type Tensor, TensorError, filterJit, numpy, random, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { Conv1d, Linear, WeightNorm } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

type Matrix = number[][];

/** The Euclidean norm of each row (axis 0), column (axis 1) or of the whole matrix (null), in float64. */
function referenceNorms(w: Matrix, axis: 0 | 1 | null): Matrix {
  const cols = w[0]!.length;
  const sq = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));
  if (axis === 0) return w.map((row) => [sq(row)]);
  if (axis === 1) return [Array.from({ length: cols }, (_, j) => sq(w.map((row) => row[j]!)))];
  return [[sq(w.flat())]];
}

/** g * v / ||v||, with g and the norms broadcast as numpy would, in float64. */
function referenceWeight(v: Matrix, g: Matrix, norms: Matrix): Matrix {
  const at = (m: Matrix, i: number, j: number) =>
    m[m.length === 1 ? 0 : i]![m[0]!.length === 1 ? 0 : j]!;
  return v.map((row, i) => row.map((x, j) => (at(g, i, j) * x) / at(norms, i, j)));
}

/** A Linear(3, 2) with a chosen weight and bias. */
function linearWith(weight: Matrix, bias: number[]): Linear {
  const layer = new Linear(3, 2, { key: random.key(0) });
  return tree.treeAt((l: Linear) => [l.weight, l.bias], layer, [
    numpy.array(weight),
    numpy.array(bias),
  ]);
}

const V: Matrix = [
  [3, 4, 0],
  [1, 2, 2],
];

describe.each(BACKENDS)('WeightNorm on $name', (entry) => {
  useBackend(entry);
  const tol = Math.max(entry.rtol, 1e-5);

  test.each([
    { axis: 0, gShape: [2, 1], norms: [[5], [3]] },
    { axis: 1, gShape: [1, 3], norms: [[Math.sqrt(10), Math.sqrt(20), 2]] },
    { axis: -1, gShape: [1, 3], norms: [[Math.sqrt(10), Math.sqrt(20), 2]] },
    { axis: null, gShape: [1, 1], norms: [[Math.sqrt(34)]] },
  ] as const)('g starts as the norm over every axis but $axis', ({ axis, gShape, norms }) => {
    const layer = new WeightNorm(linearWith(V, [0, 0]), { axis });
    expect(layer.g.shape).toEqual(gShape);
    expectClose(layer.g, norms, tol);
    expect(referenceNorms(V, axis === -1 ? 1 : axis)).toEqual(norms);
    // With g = ||v|| the effective weight is v itself.
    expectClose(layer.weight(), V, tol);
    expect(layer.weightName).toBe('weight');
  });

  test.each([0, 1, null] as const)(
    'with a changed g, the weight is g v / ||v|| and the output is the wrapped layer with it (axis %p)',
    (axis) => {
      const wrapped = new WeightNorm(linearWith(V, [0.5, -1]), { axis });
      const g: Matrix =
        axis === 0 ? [[2], [6]] : axis === 1 ? [[1, -2, 0.5]] : [[Math.sqrt(34) * 2]];
      const layer = tree.treeAt((l: WeightNorm<Linear>) => l.g, wrapped, numpy.array(g));
      const expected = referenceWeight(V, g, referenceNorms(V, axis));
      expectClose(layer.weight(), expected, tol);
      // The stored direction is unchanged.
      expect(layer.layer.weight.tolist()).toEqual(V);

      const x = [0.5, -1, 2];
      const y = expected.map((row, i) => row.reduce((s, w, j) => s + w * x[j]!, 0) + [0.5, -1][i]!);
      expectClose(layer.call(numpy.array(x)), y, tol);
      const byHand = tree.treeAt((l: Linear) => l.weight, layer.layer, numpy.array(expected));
      expectClose(layer.call(numpy.array(x)), byHand.call(numpy.array(x)).tolist(), tol);
    },
  );

  test('a hand case: rows scaled to norms 2 and 6', () => {
    const layer = tree.treeAt(
      (l: WeightNorm<Linear>) => l.g,
      new WeightNorm(linearWith(V, [0, 0])),
      numpy.array([[2], [6]]),
    );
    expectClose(layer.weight(), [
      [1.2, 1.6, 0],
      [2, 4, 4],
    ]);
  });

  test('a convolution: the norm is over input channels and kernel, per output channel', () => {
    const conv = new Conv1d(2, 3, 2, { key: random.key(1) });
    const layer = new WeightNorm(conv);
    expect(layer.g.shape).toEqual([3, 1, 1]);
    const w = conv.weight.tolist() as number[][][];
    const norms = w.map((o) => Math.sqrt(o.flat().reduce((s, x) => s + x * x, 0)));
    expectClose(
      layer.g,
      norms.map((n) => [[n]]),
      tol,
    );
    const x = numpy.array([
      [1, 2, 3],
      [0, -1, 1],
    ]);
    expectClose(layer.call(x), conv.call(x).tolist(), 1e-5);
  });

  test('gradients with respect to g, v, the bias and x match finite differences', () => {
    const base = new WeightNorm(new Linear(3, 2, { key: random.key(2) }));
    const layer = tree.treeAt((l: WeightNorm<Linear>) => l.g, base, numpy.array([[0.7], [1.5]]));
    const run = (l: WeightNorm<Linear>, x: Tensor) => numpy.tanh(l.call(x));
    checkLayerGrads(layer, [numpy.array([0.3, -0.8, 1.1])], run);
    const columns = new WeightNorm(new Linear(3, 2, { key: random.key(3) }), { axis: 1 });
    checkLayerGrads(columns, [numpy.array([1, 0.5, -0.5])], run);
  });

  test('vmap batches the wrapped layer, and filterJit gives the eager values', () => {
    const layer = new WeightNorm(new Linear(3, 2, { key: random.key(4) }));
    const xs = numpy.array([
      [1, 2, 3],
      [-1, 0, 1],
    ]);
    const batched = vmap(layer.call)(xs);
    expect(batched.shape).toEqual([2, 2]);
    expectClose(batched.get(1), layer.call(numpy.array([-1, 0, 1])).tolist(), 1e-5);
    const jitted = filterJit((l: WeightNorm<Linear>, x: Tensor) => l.call(x))(layer, xs.get(0));
    expectClose(jitted, layer.call(xs.get(0)).tolist(), 1e-5);
  });

  test('errors: a missing or non-tensor weight field, a bad axis', () => {
    const linear = new Linear(3, 2, { key: random.key(5), useBias: false });
    expect(() => new WeightNorm(linear, { weightName: 'kernel' })).toThrow(TensorError);
    expect(() => new WeightNorm(linear, { weightName: 'kernel' })).toThrow(
      /`weightName` 'kernel' is not a field of the Linear layer \(its fields: weight, bias/,
    );
    expect(() => new WeightNorm(linear, { weightName: 'bias' })).toThrow(
      /the field 'bias' of the Linear layer must be a tensor, found null/,
    );
    expect(() => new WeightNorm(linear, { weightName: 3 as never })).toThrow(
      /`weightName` must be a string/,
    );
    for (const axis of [2, -3, 0.5, '0']) {
      expect(() => new WeightNorm(linear, { axis: axis as never })).toThrow(
        /`axis` must be null or an integer in \[-2, 1\] for a weight of rank 2/,
      );
    }
    expect(() => new WeightNorm(null as never)).toThrow(/`layer` must be a layer/);
  });
});
