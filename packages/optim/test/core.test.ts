// The core: chain, identity, scale, scaleByLearningRate, scaleBySchedule, trace, ema, masked,
// addDecayedWeights and sgd, with trajectories worked out by hand from Optax's update equations.
import {
  type Tensor,
  TensorError,
  applyUpdates,
  filterGrad,
  filterJit,
  numpy,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  type EmptyState,
  type GradientTransformation,
  addDecayedWeights,
  chain,
  ema,
  identity,
  masked,
  scale,
  scaleByLearningRate,
  scaleBySchedule,
  sgd,
  trace,
} from '../src/index.js';

type P = { w: Tensor };
const p = (...v: number[]): P => ({ w: numpy.array(v) });

/** Runs `steps` updates with the given gradients; returns every step's updates as plain arrays. */
function run(t: GradientTransformation, params: P, grads: number[][]): number[][] {
  let state = t.init(params);
  let current = params;
  return grads.map((g) => {
    const [updates, next] = t.update(p(...g), state, current);
    state = next;
    current = applyUpdates(current, updates);
    return updates.w.tolist() as number[];
  });
}

function expectRows(actual: number[][], expected: number[][], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, digits)),
  );
}

describe('core transformations', () => {
  test('scale, identity and chain', () => {
    expectRows(run(scale(-2), p(0), [[1], [3]]), [[-2], [-6]]);
    expectRows(run(identity(), p(0), [[1.5]]), [[1.5]]);
    // chain applies in order: (g * 2) then + 0.5 * params (params start at 1, then move).
    const t = chain(scale(2), addDecayedWeights(0.5));
    // step 1: 2*1 + 0.5*1 = 2.5; params -> 3.5; step 2: 2*1 + 0.5*3.5 = 3.75
    expectRows(run(t, p(1), [[1], [1]]), [[2.5], [3.75]]);
    expect(() => chain({} as GradientTransformation)).toThrow(
      /chain: argument 0 is not a GradientTransformation/,
    );
    expect(() => chain(scale(1)).update(p(1), [] as unknown as [EmptyState], p(1))).toThrow(
      /chain: expected the state made by this chain's init/,
    );
  });

  test('scaleByLearningRate: constant and schedule; scaleBySchedule counts from 0', () => {
    expectRows(run(scaleByLearningRate(0.1), p(0), [[1], [2]]), [[-0.1], [-0.2]]);
    expectRows(run(scaleByLearningRate(0.1, { flipSign: false }), p(0), [[1]]), [[0.1]]);
    // Schedule 1/(count+1): counts 0, 1, 2.
    const decaying = (count: Tensor) => numpy.array(1).div(count.add(1));
    expectRows(run(scaleByLearningRate(decaying), p(0), [[1], [1], [1]]), [[-1], [-0.5], [-1 / 3]]);
    expectRows(
      run(
        scaleBySchedule((c) => c.mul(2)),
        p(0),
        [[1], [1], [1]],
      ),
      [[0], [2], [4]],
    );
    expect(() => scaleByLearningRate(NaN)).toThrow(TensorError);
    expect(() => scaleByLearningRate(NaN)).toThrow(
      /scaleByLearningRate: `learningRate` must be a finite number/,
    );
  });

  test('trace: heavy-ball and Nesterov momentum by hand', () => {
    // m1 = 1, m2 = 2 + 0.9*1 = 2.9, m3 = 3 + 0.9*2.9 = 5.61
    expectRows(run(trace({ decay: 0.9 }), p(0), [[1], [2], [3]]), [[1], [2.9], [5.61]]);
    // Nesterov: u = g + 0.9 m: 1 + 0.9 = 1.9, 2 + 0.9*2.9 = 4.61, 3 + 0.9*5.61 = 8.049
    expectRows(
      run(trace({ decay: 0.9, nesterov: true }), p(0), [[1], [2], [3]]),
      [[1.9], [4.61], [8.049]],
      5,
    );
  });

  test('ema: debiased and raw', () => {
    // decay 0.5: raw e1 = 0.5*2 = 1, e2 = 0.5*1 + 0.5*4 = 2.5; debiased e1/(1-0.5) = 2, e2/(1-0.25) = 3.333
    expectRows(run(ema(0.5, { debias: false }), p(0), [[2], [4]]), [[1], [2.5]]);
    expectRows(run(ema(0.5), p(0), [[2], [4]]), [[2], [10 / 3]], 5);
    expect(() => ema(2)).toThrow(/ema: `decay` must be a number in \[0, 1\]/);
  });

  test('sgd: plain, momentum and Nesterov trajectories on f(w) = w^2 / 2 (gradient w)', () => {
    const quadratic = (t: GradientTransformation, w0: number, steps: number) => {
      let params = p(w0);
      let state = t.init(params);
      const path: number[] = [];
      for (let i = 0; i < steps; i++) {
        const [updates, next] = t.update(params, state, params); // gradient of w^2/2 is w
        state = next;
        params = applyUpdates(params, updates);
        path.push(params.w.item());
      }
      return path;
    };
    // Plain: w <- w - 0.1 w = 0.9 w.
    quadratic(sgd(0.1), 1, 3).forEach((w, i) => expect(w).toBeCloseTo(0.9 ** (i + 1), 6));
    // Momentum 0.5: m1 = 1, w1 = 0.9; m2 = 0.9 + 0.5 = 1.4, w2 = 0.9 - 0.14 = 0.76;
    // m3 = 0.76 + 0.7 = 1.46, w3 = 0.76 - 0.146 = 0.614.
    expectRows([quadratic(sgd(0.1, { momentum: 0.5 }), 1, 3)], [[0.9, 0.76, 0.614]], 5);
    // Nesterov 0.5: m1 = 1, u1 = 1 + 0.5 = 1.5, w1 = 0.85; m2 = 0.85 + 0.5 = 1.35, u2 = 0.85 + 0.675 = 1.525,
    // w2 = 0.85 - 0.1525 = 0.6975.
    expectRows([quadratic(sgd(0.1, { momentum: 0.5, nesterov: true }), 1, 2)], [[0.85, 0.6975]], 5);
  });

  test('masked and addDecayedWeights with a mask: only selected leaves change, state covers them only', () => {
    const params = { w: numpy.array([10, 20]), b: numpy.array([1]), frozen: null };
    const decay = addDecayedWeights(0.1, { mask: { w: true, b: false, frozen: null } });
    const grads = { w: numpy.zeros([2]), b: numpy.zeros([1]), frozen: null };
    const [updates] = decay.update(grads, decay.init(params), params);
    expect(updates.w.tolist()).toEqual([1, 2]);
    expect(updates.b.tolist()).toEqual([0]);
    expect(updates.frozen).toBeNull();
    const momentumOnW = masked(trace({ decay: 0.9 }), (ps: typeof params) => ({
      w: ps.w.ndim > 0,
      b: false,
      frozen: null,
    }));
    const state = momentumOnW.init(params);
    expect(tree.leaves(state)).toHaveLength(1); // only w has a trace
    expect(() => masked(scale(1), { w: 1 }).init({ w: numpy.ones([1]) })).toThrow(
      /masked: mask\.w must be a boolean, found 1/,
    );
    expect(() => masked(scale(1), { v: true }).init({ w: numpy.ones([1]) })).toThrow(
      /masked: the mask must match the params' structure/,
    );
    expect(() => addDecayedWeights(0.1).update(grads, {})).toThrow(
      /addDecayedWeights: update needs the params/,
    );
  });

  test('nulls pass through, non-tensor leaves are rejected with their path, and jit gives the same steps', () => {
    const model = { w: numpy.array([1, 2]), activation: 'tanh' };
    const loss = (m: typeof model) => numpy.sum(numpy.square(m.w));
    const grads = filterGrad(loss)(model);
    const optimiser = sgd(0.25, { momentum: 0.5 });
    const params = tree.filter(model, (x: unknown) => x instanceof numpy.array(0).constructor);
    const state = optimiser.init(params);
    const [updates] = optimiser.update(grads, state, params);
    expect(updates.activation).toBeNull();
    expect(applyUpdates(model, updates).w.tolist()).toEqual([0.5, 1]);
    expect(() => optimiser.init(model)).toThrow(
      /trace: params\.activation is string, expected a tensor/,
    );
    // A compiled step over several iterations equals the eager one (the count is a traced tensor).
    const step = (ps: P, s: unknown) => {
      const g = { w: ps.w.mul(2) };
      const [u, next] = sgd((c) => numpy.array(0.1).div(c.add(1)), { momentum: 0.5 }).update(
        g,
        s,
        ps,
      );
      return [applyUpdates(ps, u), next] as const;
    };
    const opt = sgd((c) => numpy.array(0.1).div(c.add(1)), { momentum: 0.5 });
    let eager = [p(1, -1), opt.init(p(1, -1))] as const;
    let compiled = eager;
    const jitted = filterJit(step);
    for (let i = 0; i < 4; i++) {
      eager = step(...eager);
      compiled = jitted(...compiled);
    }
    expect(compiled[0].w.tolist()).toEqual(eager[0].w.tolist());
  });

  test('updates of another structure than the params are reported by update, naming both', () => {
    const optimiser = sgd(0.1, { momentum: 0.9 });
    const params = p(1, 2);
    const state = optimiser.init(params);
    let caught: unknown;
    try {
      optimiser.update({ w: numpy.ones([2]), b: numpy.ones([1]) }, state, params);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TensorError);
    expect((caught as Error).message).toBe(
      'update: the updates must have the structure of the params given to init: tree structures ' +
        'differ at the root: the updates have object with keys {b, w}, the state (or params) has ' +
        'object with keys {w}',
    );
  });
});
