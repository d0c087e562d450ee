// SpectralNorm: σ converges to the largest singular value of hand-built matrices, inference leaves the
// state alone, gradients flow through σ's weight only, jit and vmap, errors.
import {
  type Tensor,
  TensorError,
  filterJit,
  filterGrad,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  Conv1d,
  Linear,
  Module,
  SpectralNorm,
  State,
  inferenceMode,
  makeWithState,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

type Matrix = number[][];

const rotation = (angle: number): Matrix => [
  [Math.cos(angle), -Math.sin(angle)],
  [Math.sin(angle), Math.cos(angle)],
];

function matmul64(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
}

const transpose64 = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));

/** R(30°) diag(s1, s2) R(45°)ᵀ: singular values s1 and s2 by construction. */
function rotatedDiagonal(s1: number, s2: number): Matrix {
  const scaled = matmul64(rotation(Math.PI / 6), [
    [s1, 0],
    [0, s2],
  ]);
  return matmul64(scaled, transpose64(rotation(Math.PI / 4)));
}

/** The largest singular value of a matrix with two rows: sqrt of WWᵀ's largest eigenvalue, in closed form. */
function largestSingularValue(w: Matrix): number {
  const [[a, b], [, d]] = matmul64(w, transpose64(w)) as [[number, number], [number, number]];
  return Math.sqrt((a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b));
}

/** σ = uᵀ W v from the state's vectors, in float64. */
function sigmaOf(layer: SpectralNorm<Linear>, state: State, w: Matrix): number {
  const [u, v] = state.get(layer.uvIndex).map((t) => t.tolist() as number[]) as [
    number[],
    number[],
  ];
  return w.reduce((s, row, i) => s + u[i]! * row.reduce((t, x, j) => t + x * v[j]!, 0), 0);
}

function linearWith(weight: Matrix, bias: number[]): Linear {
  const layer = new Linear(weight[0]!.length, weight.length, { key: random.key(0) });
  return tree.treeAt((l: Linear) => [l.weight, l.bias], layer, [
    numpy.array(weight),
    numpy.array(bias),
  ]);
}

const wrap = makeWithState(SpectralNorm<Linear>);

describe.each(BACKENDS)('SpectralNorm on $name', (entry) => {
  useBackend(entry);

  test('σ converges to the largest singular value over calls that carry the state', () => {
    // Close singular values (3 and 2.9) converge slowly: the 15 initial iterations are not enough.
    const w = rotatedDiagonal(3, 2.9);
    expect(largestSingularValue(w)).toBeCloseTo(3, 12);
    const [layer, initial] = wrap(linearWith(w, [0, 0]), 'weight', { key: random.key(1) });
    expect(Math.abs(sigmaOf(layer, initial, w) - 3)).toBeGreaterThan(1e-4);
    let state = initial;
    const x = numpy.array([1, -2]);
    let y: Tensor = x;
    for (let i = 0; i < 300; i++) [y, state] = layer.call(x, state);
    expect(sigmaOf(layer, state, w)).toBeCloseTo(3, 4);
    // The output is the wrapped layer with W / 3.
    const expected = w.map((row) => (row[0]! * 1 + row[1]! * -2) / 3);
    expectClose(y, expected, 1e-4);
  });

  test('well-separated singular values: σ is right after construction and one call', () => {
    const w = rotatedDiagonal(3, 1);
    const [layer, state] = wrap(linearWith(w, [0.5, -0.5]), 'weight', { key: random.key(2) });
    expect(sigmaOf(layer, state, w)).toBeCloseTo(3, 5);
    const x = [0.25, 2];
    const [y, next] = layer.call(numpy.array(x), state);
    expect(sigmaOf(layer, next, w)).toBeCloseTo(3, 5);
    expectClose(
      y,
      w.map((row, i) => (row[0]! * x[0]! + row[1]! * x[1]!) / 3 + [0.5, -0.5][i]!),
      1e-5,
    );
  });

  test('a convolution weight is treated as the matrix [outChannels, rest]', () => {
    const conv = new Conv1d(2, 2, 2, { key: random.key(3), useBias: false });
    const [layer, state] = makeWithState(SpectralNorm<Conv1d>)(conv, 'weight', {
      key: random.key(4),
      numPowerIterations: 5,
    });
    const [u, v] = state.get(layer.uvIndex);
    expect([u.shape, v.shape]).toEqual([[2], [4]]);
    const w = (conv.weight.tolist() as number[][][]).map((o) => o.flat());
    const sigma = largestSingularValue(w);
    let s = state;
    for (let i = 0; i < 20; i++) s = layer.call(numpy.ones([2, 3]), s)[1];
    const x = numpy.array([
      [1, 0, 2],
      [-1, 1, 0.5],
    ]);
    expectClose(layer.call(x, s)[0], conv.call(x).div(sigma).tolist(), 1e-4);
  });

  test('inference uses the stored vectors and returns the state unchanged', () => {
    const w = rotatedDiagonal(3, 2.9);
    const [layer, state] = wrap(linearWith(w, [0, 0]), 'weight', { key: random.key(5) });
    const x = numpy.array([1, 1]);
    const [yFixed, same] = layer.call(x, state, { inference: true });
    expect(same).toBe(state);
    const evaluating = inferenceMode(layer);
    expect(evaluating.inference).toBe(true);
    const [yMode, alsoSame] = evaluating.call(x, state);
    expect(alsoSame).toBe(state);
    expectClose(yMode, yFixed.tolist(), 1e-6);
    // The call option overrides the field; in training the vectors move.
    const [, moved] = evaluating.call(x, state, { inference: false });
    expect(moved).not.toBe(state);
    expect(sigmaOf(layer, moved, w)).not.toBe(sigmaOf(layer, state, w));
  });

  test('gradients flow through σ with the vectors held fixed', () => {
    // Vectors far from converged (close singular values), so that their dependence on W would show.
    const linear = linearWith(rotatedDiagonal(3, 2.9), [0.1, 0.2]);
    const [layer, state] = wrap(linear, 'weight', { key: random.key(7) });
    const x = numpy.array([0.4, -1]);
    // In inference the vectors are constants: the gradients must match finite differences.
    checkLayerGrads(layer, [x], (l, xi) => numpy.tanh(l.call(xi, state, { inference: true })[0]));
    // In training they are updated first, then held fixed: the same gradients as inference with the
    // updated state.
    const next = layer.call(x, state)[1];
    const train = filterGrad((l: SpectralNorm<Linear>) => numpy.sum(l.call(x, state)[0]))(layer);
    const fixed = filterGrad((l: SpectralNorm<Linear>) =>
      numpy.sum(l.call(x, next, { inference: true })[0]),
    )(layer);
    expectClose(train.layer.weight, fixed.layer.weight.tolist(), 1e-5);
  });

  test('filterJit gives the eager output and state; vmap maps x with the state unbatched', () => {
    const [layer, state] = wrap(new Linear(3, 2, { key: random.key(8) }), 'weight', {
      key: random.key(9),
      numPowerIterations: 2,
    });
    const x = numpy.array([1, 2, -1]);
    const [y, next] = layer.call(x, state);
    const run = (l: SpectralNorm<Linear>, xi: Tensor, s: State) => l.call(xi, s);
    const [yJit, nextJit] = filterJit(run)(layer, x, state);
    expectClose(yJit, y.tolist(), 1e-5);
    expect(nextJit).toBeInstanceOf(State);
    expectClose(nextJit.get(layer.uvIndex)[0], next.get(layer.uvIndex)[0].tolist(), 1e-5);

    const xs = numpy.stack([x, x.mul(2), x.neg()]);
    const [ys, nextVmap] = vmap(layer.call, { inAxes: [0, null], outAxes: [0, null] })(xs, state);
    expect(ys.shape).toEqual([3, 2]);
    expectClose(ys.get(1), y.mul(2).sub(layer.layer.bias!).tolist(), 1e-5);
    expectClose(nextVmap.get(layer.uvIndex)[1], next.get(layer.uvIndex)[1].tolist(), 1e-5);
  });

  test('errors: missing or non-tensor weight, rank-1 weight, bad options, foreign state', () => {
    const linear = new Linear(3, 2, { key: random.key(10), useBias: false });
    const key = random.key(11);
    expect(() => new SpectralNorm(linear, 'kernel', { key })).toThrow(TensorError);
    expect(() => new SpectralNorm(linear, 'kernel', { key })).toThrow(
      /`weightName` 'kernel' is not a field of the Linear layer/,
    );
    expect(() => new SpectralNorm(linear, 'bias', { key })).toThrow(/must be a tensor, found null/);
    class Scale extends Module {
      weight = numpy.ones([3]);
      call(x: Tensor): Tensor {
        return x.mul(this.weight);
      }
    }
    expect(() => new SpectralNorm(new Scale(), 'weight', { key })).toThrow(
      /the weight 'weight' must have rank 2 or more, found float32\[3\]/,
    );
    expect(() => new SpectralNorm(linear, 'weight', {} as never)).toThrow(
      /`key` option is required/,
    );
    expect(() => new SpectralNorm(linear, 'weight', { key, numPowerIterations: -1 })).toThrow(
      /numPowerIterations/,
    );
    expect(() => new SpectralNorm(linear, 'weight', { key, numPowerIterations: 1.5 })).toThrow(
      /`numPowerIterations` must be a non-negative integer/,
    );
    expect(() => new SpectralNorm(linear, 'weight', { key, eps: -1 })).toThrow(/`eps`/);
    const [layer] = wrap(linear, 'weight', { key });
    const [, otherState] = wrap(linear, 'weight', { key });
    expect(() => layer.call(numpy.ones([3]), otherState)).toThrow(/no entry for the StateIndex/);
    const [own, state] = wrap(linear, 'weight', { key });
    expect(() => own.call(numpy.ones([4]), state)).toThrow(/Linear: expected `x` of shape \[3\]/);
  });
});
