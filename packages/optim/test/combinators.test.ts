// partition / multiTransform and applyIfFinite, with trajectories worked out by hand (in the comments)
// from Optax's definitions.
import { type Tensor, TensorError, debug, filterJit, jit, numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  type ApplyIfFiniteState,
  type GradientTransformation,
  type PartitionState,
  applyIfFinite,
  multiTransform,
  partition,
  scale,
  sgd,
} from '../src/index.js';

const t = (...v: number[]) => numpy.array(v);

/** Runs `transform` over the given gradients from its initial state; returns each step's updates. */
function run<P>(transform: GradientTransformation, params: P, grads: P[]): P[] {
  let state = transform.init(params);
  return grads.map((g) => {
    const [updates, next] = transform.update(g, state, params);
    state = next;
    return updates;
  });
}

function expectClose(actual: Tensor | null, expected: number[], digits = 6): void {
  const values = actual!.tolist() as number[];
  expect(values.length).toBe(expected.length);
  values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

describe('partition (multiTransform)', () => {
  type P = { w: Tensor; b: Tensor };
  const params: P = { w: t(1, 2), b: t(1) };
  const grads: P[] = [
    { w: t(1, -1), b: t(5) },
    { w: t(1, -1), b: t(5) },
  ];

  test.each([
    ['partition', partition],
    ['multiTransform', multiTransform],
  ])(
    '%s: sgd with momentum for one label, frozen (scale(0)) for the other, over two steps',
    (_, make) => {
      // w: momentum 0.9, lr 0.1: m1 = [1, -1], u1 = [-0.1, 0.1]; m2 = g + 0.9 m1 = [1.9, -1.9],
      // u2 = [-0.19, 0.19]. b: always 0.
      const transform = make(
        { train: sgd(0.1, { momentum: 0.9 }), freeze: scale(0) },
        { w: 'train', b: 'freeze' },
      );
      const [u1, u2] = run(transform, params, grads);
      expectClose(u1!.w, [-0.1, 0.1]);
      expectClose(u1!.b, [0]);
      expectClose(u2!.w, [-0.19, 0.19]);
      expectClose(u2!.b, [0]);
      // Each group's state covers its own leaves only: the momentum trace has w, and null for b.
      const state = transform.init(params);
      expect(Object.keys(state.innerStates)).toEqual(['train', 'freeze']);
      expect(tree.leaves(state.innerStates.train)).toHaveLength(1);
      expect(tree.leaves(state.innerStates.freeze)).toHaveLength(0);
    },
  );

  test('labels as a prefix tree and as a function', () => {
    // Prefix: the whole encoder frozen, the decoder with plain sgd (lr 1): u = -g.
    const nested = { enc: { w: t(1), b: t(2) }, dec: { w: t(3) } };
    const g = { enc: { w: t(1), b: t(1) }, dec: { w: t(4) } };
    const byPrefix = partition(
      { frozen: scale(0), train: sgd(1) },
      { enc: 'frozen', dec: 'train' },
    );
    const [u] = run(byPrefix, nested, [g]);
    expectClose(u!.enc.w, [0]);
    expectClose(u!.enc.b, [0]);
    expectClose(u!.dec.w, [-4]);
    // A function of the params: biases get lr 0.5, the rest lr 1.
    const byName = partition({ bias: sgd(0.5), weight: sgd(1) }, (ps: unknown) =>
      tree.mapWithPath(
        (path: tree.KeyPath) => (tree.keystr(path).endsWith('.b') ? 'bias' : 'weight'),
        ps,
      ),
    );
    const [v] = run(byName, nested, [g]);
    expectClose(v!.enc.w, [-1]);
    expectClose(v!.enc.b, [-0.5]);
    expectClose(v!.dec.w, [-4]);
  });

  test('null leaves stay null; a transformation with no leaves still works', () => {
    const withNull = { w: t(1), frozen: null };
    const transform = partition({ a: sgd(1), unused: sgd(2) }, { w: 'a', frozen: null });
    const [u] = run(transform, withNull, [{ w: t(3), frozen: null }]);
    expectClose(u!.w, [-3]);
    expect(u!.frozen).toBeNull();
  });

  test('under filterJit, two steps equal the eager ones', () => {
    const transform = partition(
      { train: sgd(0.1, { momentum: 0.9 }), freeze: scale(0) },
      { w: 'train', b: 'freeze' },
    );
    const step = (g: P, s: PartitionState) => transform.update(g, s, params);
    const compiled = filterJit(step);
    let eager = transform.init(params);
    let fromJit = eager;
    for (const g of grads) {
      const [ue, se] = step(g, eager);
      const [uj, sj] = compiled(g, fromJit);
      expect(uj.w.tolist()).toEqual(ue.w.tolist());
      expect(uj.b.tolist()).toEqual(ue.b.tolist());
      [eager, fromJit] = [se, sj];
    }
  });

  test('errors: a label without a transformation, mismatched label trees, bad labels and transforms', () => {
    const transforms = { train: sgd(1), freeze: scale(0) };
    expect(() => partition(transforms, { w: 'train', b: 'other' }).init(params)).toThrow(
      TensorError,
    );
    expect(() => partition(transforms, { w: 'train', b: 'other' }).init(params)).toThrow(
      /partition: labels\.b is 'other', which has no transformation \(transforms has 'train', 'freeze'\)/,
    );
    expect(() => multiTransform(transforms, { w: 'train', c: 'freeze' }).init(params)).toThrow(
      /multiTransform: the labels must match the params' structure \(or a prefix of it\)/,
    );
    expect(() => partition(transforms, { w: 'train', b: 3 }).init(params)).toThrow(
      /partition: labels\.b must be a string, found 3/,
    );
    // A label function is checked at update too (it sees the updates).
    const flaky = partition(transforms, (p: unknown) =>
      tree.map((x: Tensor) => (x.shape[0] === 2 ? 'train' : 'missing'), p),
    );
    expect(() => flaky.init(params)).toThrow(/labels\.b is 'missing'/);
    expect(() => partition({ train: {} as GradientTransformation }, 'train')).toThrow(
      /partition: transforms\.train is not a GradientTransformation/,
    );
    const ok = partition(transforms, { w: 'train', b: 'freeze' });
    expect(() => ok.update(params, {} as PartitionState, params)).toThrow(
      /partition: expected the state made by this transformation's init/,
    );
  });
});

describe('applyIfFinite', () => {
  const params = { w: t(0) };
  const step = (transform: GradientTransformation<ApplyIfFiniteState>) => {
    let state = transform.init(params);
    return (g: number) => {
      const [updates, next] = transform.update({ w: t(g) }, state, params);
      state = next;
      return {
        update: updates.w.item(),
        count: state.notfiniteCount.item(),
        last: state.lastFinite.tolist(),
        total: state.totalNotfinite.item(),
      };
    };
  };

  test('skips non-finite steps, keeps the inner state, counts, and gives up after maxConsecutiveErrors', () => {
    // sgd(1) with momentum 0.5, maxConsecutiveErrors 2:
    // g = 1: m = 1, u = -1.  NaN: skipped (u = 0, m stays 1), count 1.  Infinity: skipped, count 2.
    // g = 2: m = 2 + 0.5 * 1 = 2.5, u = -2.5, count back to 0 (total stays 2).
    // NaN, NaN: skipped (counts 1, 2); a third NaN makes count 3 > 2: applied, so u = NaN.
    const next = step(applyIfFinite(sgd(1, { momentum: 0.5 }), 2));
    expect(next(1)).toEqual({ update: -1, count: 0, last: true, total: 0 });
    expect(next(NaN)).toEqual({ update: 0, count: 1, last: false, total: 1 });
    expect(next(Infinity)).toEqual({ update: 0, count: 2, last: false, total: 2 });
    expect(next(2)).toEqual({ update: -2.5, count: 0, last: true, total: 2 });
    expect(next(NaN)).toEqual({ update: 0, count: 1, last: false, total: 3 });
    expect(next(-Infinity)).toEqual({ update: 0, count: 2, last: false, total: 4 });
    const gaveUp = next(NaN);
    expect(gaveUp.update).toBeNaN();
    expect([gaveUp.count, gaveUp.last, gaveUp.total]).toEqual([3, false, 5]);
  });

  test('maxConsecutiveErrors 0 never skips; one bad leaf among several skips all', () => {
    const never = step(applyIfFinite(sgd(1), 0));
    expect(never(NaN).update).toBeNaN();
    const transform = applyIfFinite(sgd(1), 3);
    const p2 = { a: t(0, 0), b: t(0) };
    const [u] = transform.update({ a: t(1, 2), b: t(Infinity) }, transform.init(p2), p2);
    expect(u.a.tolist()).toEqual([0, 0]);
    expect(u.b.tolist()).toEqual([0]);
  });

  test('under jit: the same steps, traced once', () => {
    const transform = applyIfFinite(sgd(1, { momentum: 0.5 }), 1);
    const inner = debug.assertMaxTraces(
      (g: { w: Tensor }, s: ApplyIfFiniteState) => transform.update(g, s, params),
      1,
    );
    const compiled = jit(inner);
    let eager = transform.init(params);
    let fromJit = eager;
    for (const g of [1, NaN, 2, NaN, NaN, 3]) {
      const [ue, se] = transform.update({ w: t(g) }, eager, params);
      const [uj, sj] = compiled({ w: t(g) }, fromJit);
      expect(uj.w.tolist()).toEqual(ue.w.tolist());
      expect(sj.notfiniteCount.item()).toBe(se.notfiniteCount.item());
      expect(sj.totalNotfinite.item()).toBe(se.totalNotfinite.item());
      [eager, fromJit] = [se, sj];
    }
    expect(debug.getNumTraces(inner)).toBe(1);
  });

  test('bad arguments', () => {
    expect(() => applyIfFinite(sgd(1), -1)).toThrow(
      /applyIfFinite: `maxConsecutiveErrors` must be an integer >= 0, found -1/,
    );
    expect(() => applyIfFinite(sgd(1), 1.5)).toThrow(TensorError);
    expect(() => applyIfFinite({} as GradientTransformation, 1)).toThrow(
      /applyIfFinite: `inner` is not a GradientTransformation/,
    );
  });
});
