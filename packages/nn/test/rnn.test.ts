// GRUCell and LSTMCell: shapes and initialisation, the gate equations in float64, a loop over a
// sequence, gradients, vmap/jit, and errors.
import {
  type Tensor,
  TensorError,
  filterJit,
  filterValueAndGrad,
  jit,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { GRUCell, LSTMCell } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

type Matrix = number[][];
const list = (t: Tensor) => t.tolist() as number[];
const rows = (t: Tensor) => t.tolist() as Matrix;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const matvec = (w: Matrix, x: number[]) =>
  w.map((row) => row.reduce((s, wij, j) => s + wij * x[j]!, 0));
const normal = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

/** One GRU step in float64, gate by gate (reset, update, candidate). */
function gruStep(cell: GRUCell, x: number[], h: number[]): number[] {
  const n = cell.hiddenSize;
  const wi = matvec(rows(cell.weightIh), x);
  const wh = matvec(rows(cell.weightHh), h);
  const b = cell.bias ? list(cell.bias) : new Array<number>(3 * n).fill(0);
  const bn = cell.biasN ? list(cell.biasN) : new Array<number>(n).fill(0);
  return h.map((hj, j) => {
    const r = sigmoid(wi[j]! + b[j]! + wh[j]!);
    const z = sigmoid(wi[n + j]! + b[n + j]! + wh[n + j]!);
    const candidate = Math.tanh(wi[2 * n + j]! + b[2 * n + j]! + r * (wh[2 * n + j]! + bn[j]!));
    return (1 - z) * candidate + z * hj;
  });
}

/** One LSTM step in float64: gates input, forget, cell candidate, output, in that order. */
function lstmStep(cell: LSTMCell, x: number[], [h, c]: [number[], number[]]): [number[], number[]] {
  const n = cell.hiddenSize;
  const wi = matvec(rows(cell.weightIh), x);
  const wh = matvec(rows(cell.weightHh), h);
  const b = cell.bias ? list(cell.bias) : new Array<number>(4 * n).fill(0);
  const pre = (gate: number, j: number) => wi[gate * n + j]! + wh[gate * n + j]! + b[gate * n + j]!;
  const newC = c.map(
    (cj, j) => sigmoid(pre(1, j)) * cj + sigmoid(pre(0, j)) * Math.tanh(pre(2, j)),
  );
  const newH = newC.map((cj, j) => sigmoid(pre(3, j)) * Math.tanh(cj));
  return [newH, newC];
}

function expectWithin(t: Tensor, limit: number): void {
  for (const v of t.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(limit);
}

describe.each(BACKENDS)('recurrent cells on $name', (entry) => {
  useBackend(entry);

  test('GRUCell: parameter shapes, uniform ±1/sqrt(hiddenSize) initialisation, output shapes', () => {
    for (const [inputSize, hiddenSize] of [
      [1, 1],
      [3, 2],
      [2, 5],
    ] as const) {
      const cell = new GRUCell(inputSize, hiddenSize, {
        key: random.key(inputSize * 7 + hiddenSize),
      });
      expect(cell.weightIh.shape).toEqual([3 * hiddenSize, inputSize]);
      expect(cell.weightHh.shape).toEqual([3 * hiddenSize, hiddenSize]);
      expect(cell.bias!.shape).toEqual([3 * hiddenSize]);
      expect(cell.biasN!.shape).toEqual([hiddenSize]);
      for (const t of [cell.weightIh, cell.weightHh, cell.bias!, cell.biasN!])
        expectWithin(t, 1 / Math.sqrt(hiddenSize));
      expect(cell.call(numpy.ones([inputSize]), numpy.zeros([hiddenSize])).shape).toEqual([
        hiddenSize,
      ]);
    }
    // Equinox's keys: weightIh from split(key, 4)[0] and so on.
    const key = random.key(3);
    const cell = new GRUCell(3, 4, { key });
    const keys = random.split(key, 4);
    expect(list(cell.biasN!)).toEqual(
      list(random.uniform(keys.get(3), [4], { minval: -0.5, maxval: 0.5 })),
    );
    const noBias = new GRUCell(3, 2, { key, useBias: false });
    expect([noBias.bias, noBias.biasN]).toEqual([null, null]);
    expect(tree.leaves(noBias)).toHaveLength(2);
  });

  test('GRUCell: values match the gate equations in float64', () => {
    for (const useBias of [true, false]) {
      const cell = new GRUCell(3, 2, { key: random.key(1), useBias });
      const x = normal(2, [3]);
      const h = normal(3, [2]);
      expectClose(cell.call(x, h), gruStep(cell, list(x), list(h)), 1e-5);
    }
    // A hand case: zero weights give r = z = 1/2 and n = tanh(bias[2] + r * biasN) = tanh(0.5 + 3.5),
    // so h' = (n + h) / 2.
    const zeroed = tree.treeAt(
      (c: GRUCell) => [c.weightIh, c.weightHh, c.bias!, c.biasN!],
      new GRUCell(1, 1, { key: random.key(0) }),
      [numpy.zeros([3, 1]), numpy.zeros([3, 1]), numpy.array([0, 0, 0.5]), numpy.array([7])],
    );
    expectClose(zeroed.call(numpy.array([1]), numpy.array([0.25])), [(Math.tanh(4) + 0.25) / 2]);
  });

  test('LSTMCell: parameter shapes, initialisation, output shapes', () => {
    for (const [inputSize, hiddenSize] of [
      [1, 1],
      [3, 2],
      [2, 5],
    ] as const) {
      const cell = new LSTMCell(inputSize, hiddenSize, { key: random.key(inputSize + hiddenSize) });
      expect(cell.weightIh.shape).toEqual([4 * hiddenSize, inputSize]);
      expect(cell.weightHh.shape).toEqual([4 * hiddenSize, hiddenSize]);
      expect(cell.bias!.shape).toEqual([4 * hiddenSize]);
      for (const t of [cell.weightIh, cell.weightHh, cell.bias!])
        expectWithin(t, 1 / Math.sqrt(hiddenSize));
      const [h, c] = cell.call(numpy.ones([inputSize]), [
        numpy.zeros([hiddenSize]),
        numpy.zeros([hiddenSize]),
      ]);
      expect([h.shape, c.shape]).toEqual([[hiddenSize], [hiddenSize]]);
    }
    const key = random.key(4);
    const keys = random.split(key, 3);
    expect(list(new LSTMCell(2, 4, { key }).bias!)).toEqual(
      list(random.uniform(keys.get(2), [16], { minval: -0.5, maxval: 0.5 })),
    );
    const noBias = new LSTMCell(3, 2, { key, useBias: false });
    expect(noBias.bias).toBeNull();
    expect(tree.leaves(noBias)).toHaveLength(2);
  });

  test('LSTMCell: values match the gate equations in float64', () => {
    for (const useBias of [true, false]) {
      const cell = new LSTMCell(3, 2, { key: random.key(5), useBias });
      const x = normal(6, [3]);
      const h = normal(7, [2]);
      const c = normal(8, [2]);
      const [hOut, cOut] = cell.call(x, [h, c]);
      const [hRef, cRef] = lstmStep(cell, list(x), [list(h), list(c)]);
      expectClose(hOut, hRef, 1e-5);
      expectClose(cOut, cRef, 1e-5);
    }
    // A hand case: only the forget gate's bias is large, so c' ≈ c and h' = sigmoid(0) tanh(c').
    const n = 1;
    const forgetful = tree.treeAt(
      (cell: LSTMCell) => [cell.weightIh, cell.weightHh, cell.bias!],
      new LSTMCell(1, n, { key: random.key(0) }),
      [numpy.zeros([4, 1]), numpy.zeros([4, 1]), numpy.array([0, 30, 0, 0])],
    );
    const [h, c] = forgetful.call(numpy.array([1]), [numpy.array([0]), numpy.array([0.8])]);
    expectClose(c, [0.8], 1e-6);
    expectClose(h, [0.5 * Math.tanh(0.8)], 1e-6);
  });

  test('a loop of GRUCell over a sequence equals the float64 recurrence, and its gradients are right', () => {
    const cell = new GRUCell(2, 3, { key: random.key(9) });
    const xs = normal(10, [4, 2]);
    const run = (c: GRUCell, inputs: Tensor): Tensor => {
      let hidden = numpy.zeros([c.hiddenSize]);
      for (let t = 0; t < inputs.shape[0]!; t++) hidden = c.call(inputs.get(t), hidden);
      return hidden;
    };
    let expected = [0, 0, 0];
    for (const x of rows(xs)) expected = gruStep(cell, x, expected);
    expectClose(run(cell, xs), expected, 1e-5);
    expectClose(jit(run)(cell, xs), expected, 1e-5);
    checkLayerGrads(cell, [xs], (c, inputs) => run(c, inputs).sum());
    const [, grads] = filterValueAndGrad((c: GRUCell) => run(c, xs).sum())(cell);
    expect(grads).toBeInstanceOf(GRUCell);
    expect(grads.weightHh.shape).toEqual([9, 3]);
  });

  test('gradients of one step match finite differences', () => {
    const gru = new GRUCell(2, 3, { key: random.key(11) });
    checkLayerGrads(gru, [normal(1, [2]), normal(2, [3])], (c, x, h) =>
      c.call(x, h).square().sum(),
    );
    const noBias = new GRUCell(2, 2, { key: random.key(12), useBias: false });
    checkLayerGrads(noBias, [normal(3, [2]), normal(4, [2])], (c, x, h) => c.call(x, h).sum());
    const lstm = new LSTMCell(2, 3, { key: random.key(13) });
    checkLayerGrads(lstm, [normal(5, [2]), normal(6, [3]), normal(7, [3])], (c, x, h, s) => {
      const [hOut, cOut] = c.call(x, [h, s]);
      return hOut.square().sum().add(cOut.mul(0.5).sum());
    });
  });

  test('vmap over a batch equals per-example calls; jit and filterJit equal eager', () => {
    const gru = new GRUCell(3, 2, { key: random.key(14) });
    const xs = normal(1, [4, 3]);
    const hs = normal(2, [4, 2]);
    const batched = vmap(gru.call)(xs, hs);
    for (let b = 0; b < 4; b++)
      expectClose(batched.get(b), list(gru.call(xs.get(b), hs.get(b))), 1e-6);
    expectClose(jit(gru.call)(xs.get(0), hs.get(0)), list(gru.call(xs.get(0), hs.get(0))), 1e-6);

    const lstm = new LSTMCell(3, 2, { key: random.key(15) });
    const cs = normal(3, [4, 2]);
    const step = (x: Tensor, h: Tensor, c: Tensor) => lstm.call(x, [h, c]);
    const [hB, cB] = vmap(step)(xs, hs, cs);
    for (let b = 0; b < 4; b++) {
      const [h, c] = step(xs.get(b), hs.get(b), cs.get(b));
      expectClose(hB.get(b), list(h), 1e-6);
      expectClose(cB.get(b), list(c), 1e-6);
    }
    const [hJ, cJ] = filterJit((m: LSTMCell, x: Tensor, h: Tensor, c: Tensor) => m.call(x, [h, c]))(
      lstm,
      xs.get(1),
      hs.get(1),
      cs.get(1),
    );
    const [hE, cE] = step(xs.get(1), hs.get(1), cs.get(1));
    expectClose(hJ, list(hE), 1e-6);
    expectClose(cJ, list(cE), 1e-6);
  });

  test('errors name the argument and what was expected', () => {
    const key = random.key(0);
    expect(() => new GRUCell(0, 2, { key })).toThrow(
      'GRUCell: `inputSize` must be a positive integer, found 0',
    );
    expect(() => new GRUCell(2, 1.5, { key })).toThrow(/`hiddenSize` must be a positive integer/);
    expect(() => new LSTMCell(-1, 2, { key })).toThrow(/LSTMCell: `inputSize`/);
    const gru = new GRUCell(3, 2, { key });
    expect(() => gru.call(numpy.ones([2]), numpy.zeros([2]))).toThrow(
      'GRUCell: expected `input` of shape [3], found float32[2]',
    );
    expect(() => gru.call(numpy.ones([3]), numpy.zeros([3]))).toThrow(
      /expected `hidden` of shape \[2\]/,
    );
    expect(() => gru.call(numpy.ones([5, 3]), numpy.zeros([2]))).toThrow(/batch with vmap/);
    const lstm = new LSTMCell(3, 2, { key });
    const zero = numpy.zeros([2]);
    expect(() => lstm.call(numpy.ones([3]), zero as unknown as [Tensor, Tensor])).toThrow(
      TensorError,
    );
    expect(() => lstm.call(numpy.ones([3]), zero as unknown as [Tensor, Tensor])).toThrow(
      'LSTMCell: expected `hidden` to be a pair [h, c] of [2] tensors, found float32[2]',
    );
    expect(() => lstm.call(numpy.ones([3]), [zero] as unknown as [Tensor, Tensor])).toThrow(
      /an array of length 1/,
    );
    expect(() => lstm.call(numpy.ones([3]), [zero, numpy.zeros([3])])).toThrow(
      /expected `hidden\[1\] \(c\)` of shape \[2\], found float32\[3\]/,
    );
    expect(() => lstm.call(numpy.ones([4]), [zero, zero])).toThrow(
      /expected `input` of shape \[3\]/,
    );
  });
});
