import {
  Tensor,
  applyUpdates,
  filterGrad,
  filterValueAndGrad,
  filterVjp,
  isArray,
  isArrayLike,
  isInexactArray,
  numpy,
} from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe.each(BACKENDS)('filtered transformations on $name', (entry) => {
  useBackend(entry);

  const model = () => ({
    layers: [
      {
        weight: numpy.array([
          [1, 2],
          [3, 4],
        ]),
        bias: numpy.array([0.5, -0.5]),
        activation: 'tanh',
      },
      { weight: numpy.array([[1], [-1]]), bias: numpy.array([0]), useBias: false },
    ],
    scale: 2,
    fn: Math.sqrt,
    steps: numpy.array([7], { dtype: 'int32' }),
    mask: numpy.array([true, false]),
  });
  type Model = ReturnType<typeof model>;
  const forward = (m: Model, x: Tensor) => {
    let h = numpy.tanh(numpy.matmul(x, m.layers[0]!.weight).add(m.layers[0]!.bias));
    h = numpy.matmul(h, m.layers[1]!.weight);
    return h.mul(m.scale).sum();
  };

  test('predicates', () => {
    expect([isArray(numpy.zeros([1])), isArray(numpy.arange(2)), isArray(1), isArray('a')]).toEqual(
      [true, true, false, false],
    );
    expect([
      isInexactArray(numpy.zeros([1])),
      isInexactArray(numpy.arange(2)),
      isInexactArray(numpy.array([true])),
    ]).toEqual([true, false, false]);
    expect([
      isArrayLike(numpy.arange(2)),
      isArrayLike(2),
      isArrayLike(true),
      isArrayLike('2'),
      isArrayLike(null),
    ]).toEqual([true, true, true, false, false]);
  });

  test('filterGrad differentiates float tensor leaves only, and matches grad on those leaves', () => {
    const m = model();
    const x = numpy.array([[0.1, -0.2]]);
    const g = filterGrad(forward)(m, x);
    // Non-array leaves and int/bool tensors come back as null; the structure is the model's.
    expect(g.layers[0]!.activation).toBeNull();
    expect(g.layers[1]!.useBias).toBeNull();
    expect(g.scale).toBeNull();
    expect(g.fn).toBeNull();
    expect(g.steps).toBeNull();
    expect(g.mask).toBeNull();
    // Hand-derived: y = 2 * sum(tanh(x W0 + b0) W1); dy/db0 = 2 * W1^T * (1 - tanh^2(z)).
    const z = [0.1 * 1 - 0.2 * 3 + 0.5, 0.1 * 2 - 0.2 * 4 - 0.5];
    const dz = [2 * 1 * (1 - Math.tanh(z[0]!) ** 2), 2 * -1 * (1 - Math.tanh(z[1]!) ** 2)];
    const db0 = g.layers[0]!.bias.dataSync();
    expect(db0[0]).toBeCloseTo(dz[0]!, 5);
    expect(db0[1]).toBeCloseTo(dz[1]!, 5);
    const dW0 = g.layers[0]!.weight.tolist() as number[][];
    expect(dW0[1]![0]).toBeCloseTo(-0.2 * dz[0]!, 5);
    expect(g.layers[1]!.bias.tolist()).toEqual([0]); // unused leaf: zero gradient, not null
  });

  test('filterValueAndGrad with hasAux; the model is not changed', () => {
    const m = model();
    const x = numpy.array([[0.1, -0.2]]);
    const [[value, aux], g] = filterValueAndGrad(
      (mm: Model, xx: Tensor) => [forward(mm, xx), { label: mm.layers[0]!.activation }],
      { hasAux: true },
    )(m, x);
    expect(value.item()).toBeCloseTo(forward(m, x).item(), 6);
    expect(aux).toEqual({ label: 'tanh' });
    expect(g.scale).toBeNull();
    expect(m.layers[0]!.activation).toBe('tanh');
    const [grads, aux2] = filterGrad((mm: Model) => [mm.layers[1]!.bias.sum(), 5], {
      hasAux: true,
    })(m);
    expect(grads.layers[1]!.bias.tolist()).toEqual([1]);
    expect(aux2).toBe(5);
  });

  test('filterVjp passes non-array leaves through and returns null for them', () => {
    const f = (p: { w: Tensor; n: number; tag: string }, x: Tensor) => ({
      y: p.w.mul(x).mul(p.n),
      tag: p.tag,
    });
    const [out, vjpFn] = filterVjp(
      f,
      { w: numpy.array([1, 2]), n: 3, tag: 't' },
      numpy.array([4, 5]),
    );
    expect(out.y.tolist()).toEqual([12, 30]);
    expect(out.tag).toBe('t');
    const [dp, dx] = vjpFn({ y: numpy.array([1, 1]), tag: null });
    expect(dp.w.tolist()).toEqual([12, 15]);
    expect(dp.n).toBeNull();
    expect(dp.tag).toBeNull();
    expect(dx.tolist()).toEqual([3, 6]);
  });

  test('applyUpdates adds updates, skips nulls, and rejects mismatched trees', () => {
    const m = model();
    const g = filterGrad(forward)(m, numpy.array([[0.1, -0.2]]));
    const lr = -0.1;
    const updates = {
      ...g,
      layers: g.layers.map((l: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(l).map(([k, v]) => [k, v instanceof Tensor ? v.mul(lr) : v]),
        ),
      ),
    };
    const next = applyUpdates(m, updates);
    expect(next.scale).toBe(2);
    expect(next.fn).toBe(Math.sqrt);
    expect(next.steps).toBe(m.steps);
    const expected = m.layers[0]!.bias.add(g.layers[0]!.bias.mul(lr)).dataSync();
    expect(Array.from(next.layers[0]!.bias.dataSync())).toEqual(Array.from(expected));
    expect(() => applyUpdates({ w: numpy.zeros([1]) }, { v: numpy.zeros([1]) })).toThrow(
      /^applyUpdates: argument updates must have the structure of argument model/,
    );
    expect(() => applyUpdates({ w: numpy.zeros([2]) }, { w: numpy.zeros([2, 2]) })).toThrow(
      "applyUpdates: updates.w: expected a tensor of shape [2] like the model's leaf (float32[2]), " +
        'found a tensor of float32[2, 2]',
    );
    expect(() => applyUpdates({ w: numpy.zeros([2]) }, { w: 'x' })).toThrow(
      `applyUpdates: updates.w: expected a tensor of shape [2] like the model's leaf (float32[2]), ` +
        'found the string "x"',
    );
    expect(() => applyUpdates({ w: 'x' }, { w: numpy.zeros([1]) })).toThrow(
      'applyUpdates: updates.w is an update, but the model has the string "x" there, which cannot be added to',
    );
    const scalarModel = applyUpdates({ scale: 2 }, { scale: numpy.array(0.5) });
    expect(scalarModel.scale).toBeInstanceOf(Tensor);
    expect((scalarModel.scale as unknown as Tensor).item()).toBe(2.5);
  });
});
