import { TensorError, grad, nn, numpy, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

/** float64 softmax over the last axis of rows. */
function softmaxRows(rows: number[][]): number[][] {
  return rows.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

function expectCloseNested(actual: unknown, expected: number[][], tol = 1e-6): void {
  const a = actual as number[][];
  expected.forEach((row, i) =>
    row.forEach((v, j) => {
      if (!(Math.abs(a[i]![j]! - v) <= tol * Math.max(1, Math.abs(v))))
        throw new Error(`[${i}][${j}]: ${a[i]![j]} != ${v}`);
    }),
  );
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rows = [
    [0.5, -1, 2, 0],
    [3, 3, -2, 1],
  ];

  test('softmax and logSoftmax match float64 along the last axis and along axis 0', () => {
    const x = numpy.array(rows);
    expectCloseNested(nn.softmax(x).tolist(), softmaxRows(rows));
    expectCloseNested(
      nn.logSoftmax(x).tolist(),
      softmaxRows(rows).map((r) => r.map(Math.log)),
    );
    const columns = rows[0]!.map((_, j) => rows.map((r) => r[j]!));
    const byColumn = softmaxRows(columns);
    expectCloseNested(
      nn.softmax(x, { axis: 0 }).tolist(),
      rows.map((r, i) => r.map((_, j) => byColumn[j]![i]!)),
    );
    // Over both axes, everything sums to one.
    expect(
      nn
        .softmax(x, { axis: [0, 1] })
        .sum()
        .item(),
    ).toBeCloseTo(1, 6);
  });

  test('axis null normalises over all axes, as logsumexp and JAX; absent means the last', () => {
    const x = numpy.array(rows);
    const flat = softmaxRows([rows.flat()])[0]!;
    const expected = rows.map((r, i) => r.map((_, j) => flat[i * r.length + j]!));
    expectCloseNested(nn.softmax(x, { axis: null }).tolist(), expected);
    expectCloseNested(
      nn.logSoftmax(x, { axis: null }).tolist(),
      expected.map((r) => r.map(Math.log)),
    );
    // logSoftmax over all axes is x minus logsumexp over all axes.
    expectCloseNested(
      nn.logSoftmax(x, { axis: null }).tolist(),
      numpy.subtract(x, nn.logsumexp(x)).tolist() as number[][],
    );
    expectCloseNested(nn.softmax(x, {}).tolist(), softmaxRows(rows));
    expectCloseNested(nn.softmax(x, { axis: undefined }).tolist(), softmaxRows(rows));
  });

  test('logsumexp matches float64, with axis, keepdims and weights', () => {
    const x = numpy.array(rows);
    const lse = (r: number[], b = r.map(() => 1)) =>
      Math.log(r.reduce((s, v, i) => s + b[i]! * Math.exp(v), 0));
    expect(nn.logsumexp(x).item()).toBeCloseTo(lse(rows.flat()), 5);
    expectCloseNested(
      [nn.logsumexp(x, { axis: 1 }).tolist() as number[]],
      [rows.map((r) => lse(r))],
    );
    expect(nn.logsumexp(x, { axis: -1, keepdims: true }).shape).toEqual([2, 1]);
    expect(nn.logsumexp(x, { axis: 0 }).shape).toEqual([4]);
    const b = [2, 0, 0.5, 1];
    expectCloseNested(
      [nn.logsumexp(x, { axis: 1, b: numpy.array(b) }).tolist() as number[]],
      [rows.map((r) => lse(r, b))],
    );
  });

  test('large inputs (1000) stay finite', () => {
    const big = numpy.array([
      [1000, 1000, 999],
      [-1000, -1000, -1000],
    ]);
    expectCloseNested(
      nn.softmax(big).tolist(),
      softmaxRows([
        [0, 0, -1],
        [0, 0, 0],
      ]),
    );
    expectCloseNested(
      nn.logSoftmax(big).tolist(),
      softmaxRows([
        [0, 0, -1],
        [0, 0, 0],
      ]).map((r) => r.map(Math.log)),
    );
    expectCloseNested(
      [nn.logsumexp(big, { axis: 1 }).tolist() as number[]],
      [[1000 + Math.log(2 + Math.exp(-1)), -1000 + Math.log(3)]],
    );
    expect(nn.logsumexp(numpy.array([1000, 1000])).item()).toBe(
      Math.fround(1000 + Math.fround(Math.LN2)),
    );
    const weights = numpy.array([1, 2, 3]);
    for (const f of [
      nn.softmax,
      nn.logSoftmax,
      (t: Tensor) => nn.logsumexp(t, { axis: 1, keepdims: true }),
    ]) {
      const g = grad((t: Tensor) => f(t).mul(weights).sum())(big);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    }
  });

  test('infinite entries: logsumexp of -Infinity rows is -Infinity, +Infinity gives +Infinity', () => {
    expect(
      nn
        .logsumexp(
          numpy.array([
            [-Infinity, -Infinity],
            [Infinity, 0],
          ]),
          { axis: 1 },
        )
        .tolist(),
    ).toEqual([-Infinity, Infinity]);
    expect(nn.softmax(numpy.array([-Infinity, 0])).tolist()).toEqual([0, 1]);
    // Entries with weight 0 take no part, not even in the maximum.
    expect(nn.logsumexp(numpy.array([1000, 0]), { b: numpy.array([0, 1]) }).item()).toBe(0);
  });

  test('the gradient of logsumexp is softmax, and the max shift cancels even with ties', () => {
    // Ties at the maximum: the max's gradient is split between them, and must still cancel.
    const x = numpy.array([
      [2, 2, -1],
      [1000, 1000, 1000],
    ]);
    const g = grad((t: Tensor) => nn.logsumexp(t, { axis: 1 }).sum())(x);
    expectCloseNested(
      g.tolist(),
      softmaxRows([
        [2, 2, -1],
        [0, 0, 0],
      ]),
    );
    // softmax's rows sum to one, so the gradient of their sum vanishes.
    const h = grad((t: Tensor) =>
      nn
        .softmax(t)
        .mul(numpy.array([[1, 1, 1]]))
        .sum(),
    )(x);
    expect(Array.from(h.dataSync()).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  test.each([
    ['softmax', (t: Tensor) => nn.softmax(t)],
    ['softmax over axis 0', (t: Tensor) => nn.softmax(t, { axis: 0 })],
    ['logSoftmax', (t: Tensor) => nn.logSoftmax(t)],
    ['logSoftmax over all axes', (t: Tensor) => nn.logSoftmax(t, { axis: null })],
    ['logsumexp over all', (t: Tensor) => nn.logsumexp(t)],
    [
      'logsumexp over axis 1, keepdims',
      (t: Tensor) => nn.logsumexp(t, { axis: 1, keepdims: true }),
    ],
    [
      'logsumexp with weights',
      (t: Tensor) => nn.logsumexp(t, { axis: 0, b: numpy.array([[0.5], [2], [1]]) }),
    ],
  ])('%s: gradients by finite differences, to second order', (_name, f) => {
    checkGrads(f, [randomTensor([3, 4], randomSource(4), 2)], { order: 2 });
  });

  test('empty axes and bad axes throw TensorErrors', () => {
    expect(() => nn.softmax(numpy.zeros([2, 0]))).toThrow(TensorError);
    expect(() => nn.softmax(numpy.zeros([2, 0]))).toThrow(
      /^softmax: cannot reduce over an empty axis of float32\[2, 0\]/,
    );
    expect(() => nn.logsumexp(numpy.zeros([2]), { axis: 1 })).toThrow(
      /^logsumexp: axis 1 is out of range for a tensor of rank 1/,
    );
  });
});
