// MultiSteps (gradient accumulation) and injectHyperparams, with trajectories worked out by hand (in
// the comments) from Optax's definitions.
import { type Tensor, TensorError, debug, jit, numpy } from '@equinox-ts/autodiff';
import {
  type GradientTransformation,
  type InjectHyperparamsState,
  type MultiStepsState,
  MultiSteps,
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  injectHyperparams,
  scale,
  scaleByLearningRate,
  sgd,
  skipLargeUpdates,
  skipNotFinite,
} from '../src/index.js';

type P = { w: Tensor };
const p = (...v: number[]): P => ({ w: numpy.array(v) });

/** Feeds the scalar gradients one by one from the initial state; returns each step's update. */
function updatesFor(
  transform: GradientTransformation,
  grads: number[],
  params: P = p(0),
): number[] {
  let state = transform.init(params);
  return grads.map((g) => {
    const [updates, next] = transform.update(p(g), state, params);
    state = next;
    return updates.w.item();
  });
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

describe('MultiSteps', () => {
  test('k = 3 with sgd: zeros while accumulating, then the step of the mean', () => {
    // lr 0.5. Mini-steps 1, 2: zeros. Third: mean(1, 2, 6) = 3 -> -1.5. Then mean(3, 3, 3) = 3 -> -1.5.
    const optimiser = new MultiSteps(sgd(0.5), 3);
    expectClose(updatesFor(optimiser, [1, 2, 6, 3, 3, 3]), [0, 0, -1.5, 0, 0, -1.5]);
    // Summed instead: 1 + 2 + 6 = 9 -> -4.5.
    expectClose(
      updatesFor(new MultiSteps(sgd(0.5), 3, { useGradMean: false }), [1, 2, 6]),
      [0, 0, -4.5],
    );
  });

  test('the counters, the accumulator and hasUpdated', () => {
    const optimiser = new MultiSteps(sgd(0.5), 3);
    let state = optimiser.init(p(0));
    const seen: [number, number, number, boolean][] = [];
    for (const g of [1, 2, 6, 4]) {
      [, state] = optimiser.update(p(g), state, p(0));
      const acc = (state.accGrads as P).w.item();
      seen.push([
        state.miniStep.item(),
        state.gradientStep.item(),
        acc,
        optimiser.hasUpdated(state).tolist() as boolean,
      ]);
    }
    // Running means 1, 1.5 (= 1 + (2 - 1) / 2), reset to 0 at the update; then 4.
    expect(seen).toEqual([
      [1, 0, 1, false],
      [2, 0, 1.5, false],
      [0, 1, 0, true],
      [1, 1, 4, false],
    ]);
  });

  test("the inner optimiser's state moves only on updates", () => {
    // sgd(1, momentum 0.5), k = 2: mean(2, 4) = 3, m = 3 -> -3; mean(1, 1) = 1, m = 1 + 1.5 = 2.5 -> -2.5.
    expectClose(
      updatesFor(new MultiSteps(sgd(1, { momentum: 0.5 }), 2), [2, 4, 1, 1]),
      [0, -3, 0, -2.5],
    );
  });

  test('a schedule of the gradient step: k = 1 for the first update, then 2', () => {
    // lr 0.5. Step 1 (k 1): 4 -> -2. Steps 2-3 (k 2): 2 -> 0, then mean(2, 6) = 4 -> -2.
    const everyK = (gradientStep: Tensor) => numpy.where(gradientStep.lt(1), 1, 2);
    expectClose(updatesFor(new MultiSteps(sgd(0.5), everyK), [4, 2, 6]), [-2, 0, -2]);
  });

  test('shouldSkipUpdateFn drops a mini-step as if it never happened', () => {
    // k = 2, lr 1: 2, NaN (dropped), 4 -> mean(2, 4) = 3 -> -3.
    const optimiser = new MultiSteps(sgd(1), 2, { shouldSkipUpdateFn: skipNotFinite });
    let state = optimiser.init(p(0));
    const out: number[] = [];
    for (const g of [2, NaN, 4]) {
      let updates: P;
      [updates, state] = optimiser.update(p(g), state, p(0));
      out.push(updates.w.item());
      if (Number.isNaN(g)) {
        expect((state.skipState as { numNotFinite: Tensor }).numNotFinite.item()).toBe(1);
        expect(state.miniStep.item()).toBe(1);
      }
    }
    expectClose(out, [0, 0, -3]);
    // skipLargeUpdates: 100 has squared norm 10^4 >= 50: dropped.
    const bounded = new MultiSteps(sgd(1), 2, {
      shouldSkipUpdateFn: (u, step, params) => skipLargeUpdates(u, step, params, 50),
    });
    expectClose(updatesFor(bounded, [2, 100, 4]), [0, 0, -3]);
  });

  test('usable as a GradientTransformation: in chain and through gradientTransformation()', () => {
    // clip by global norm 1 after accumulating: mean(3, 5) = 4 -> clipped to 1 -> sgd(0.1): -0.1.
    const accumulate = new MultiSteps(sgd(0.1), 2);
    expectClose(
      updatesFor(chain(clipByGlobalNorm(1), accumulate.gradientTransformation()), [3, 5]),
      [0, -0.1],
    );
    expectClose(updatesFor(chain(scale(2), accumulate), [3, 5]), [0, -0.8]);
    expect(accumulate.innerOpt).toBeDefined();
  });

  test('under jit: the eager updates, traced once', () => {
    const optimiser = new MultiSteps(sgd(1, { momentum: 0.5 }), 2);
    const inner = debug.assertMaxTraces(
      (g: P, s: MultiStepsState) => optimiser.update(g, s, p(0)),
      1,
    );
    const compiled = jit(inner);
    let eager = optimiser.init(p(0));
    let fromJit = eager;
    for (const g of [2, 4, 1, 1, 7]) {
      const [ue, se] = optimiser.update(p(g), eager, p(0));
      const [uj, sj] = compiled(p(g), fromJit);
      expect(uj.w.tolist()).toEqual(ue.w.tolist());
      [eager, fromJit] = [se, sj];
    }
    expect(debug.getNumTraces(inner)).toBe(1);
  });

  test('bad arguments', () => {
    expect(() => new MultiSteps(sgd(1), 0)).toThrow(
      /MultiSteps: `everyKSchedule` must be an integer >= 1 or a function of the gradient step, found 0/,
    );
    expect(() => new MultiSteps(sgd(1), 1.5)).toThrow(TensorError);
    expect(() => new MultiSteps(sgd(1), 'x' as unknown as number)).toThrow(
      /`everyKSchedule` must be/,
    );
    expect(() => new MultiSteps({} as GradientTransformation, 2)).toThrow(
      /MultiSteps: `opt` is not a GradientTransformation/,
    );
    const bad = new MultiSteps(sgd(1), 2, { shouldSkipUpdateFn: () => [numpy.array(1), {}] });
    expect(() => bad.update(p(1), bad.init(p(0)))).toThrow(
      /MultiSteps: `shouldSkipUpdateFn` must return a boolean scalar tensor first/,
    );
  });
});

describe('injectHyperparams', () => {
  test('the learning rate lives in the state and can be changed between steps', () => {
    // sgd: u = -lr * g. lr 0.1, g = 1 -> -0.1; set lr 0.5 -> -0.5; the state keeps 0.5.
    const optimiser = injectHyperparams(sgd)(0.1);
    const params = p(1);
    let state = optimiser.init(params);
    expect(state.hyperparams.learningRate!.item()).toBeCloseTo(0.1, 7);
    let updates: P;
    [updates, state] = optimiser.update(p(1), state, params);
    expect(updates.w.item()).toBeCloseTo(-0.1, 7);
    state = { ...state, hyperparams: { learningRate: numpy.array(0.5) } };
    [updates, state] = optimiser.update(p(1), state, params);
    expect(updates.w.item()).toBeCloseTo(-0.5, 7);
    [updates, state] = optimiser.update(p(2), state, params);
    expect(updates.w.item()).toBeCloseTo(-1, 7);
    expect(state.count.item()).toBe(3);
  });

  test('under jit, changing the learning rate does not retrace', () => {
    const plain = injectHyperparams(sgd)(0.1);
    const inner = debug.assertMaxTraces(
      (g: P, s: InjectHyperparamsState) => plain.update(g, s, p(0)),
      1,
    );
    const compiled = jit(inner);
    let eager = plain.init(p(0));
    let fromJit = eager;
    const rates = [0.1, 0.2, 0.05];
    const seen: number[] = [];
    for (const [i, rate] of rates.entries()) {
      const withRate = (s: InjectHyperparamsState) => ({
        ...s,
        hyperparams: { learningRate: numpy.array(rate) },
      });
      const [ue, se] = plain.update(p(i + 1), withRate(eager), p(0));
      const [uj, sj] = compiled(p(i + 1), withRate(fromJit));
      expect(uj.w.tolist()).toEqual(ue.w.tolist());
      seen.push(uj.w.item());
      [eager, fromJit] = [se, sj];
    }
    // -lr * g: -0.1 * 1, -0.2 * 2, -0.05 * 3.
    expectClose(seen, [-0.1, -0.4, -0.15]);
    expect(debug.getNumTraces(inner)).toBe(1);
  });

  test('schedules are evaluated at the count and stored', () => {
    // lr = 1 / (count + 1): counts 0, 1, 2 -> updates -1, -0.5, -1/3 for g = 1.
    const optimiser = injectHyperparams(sgd)((count: Tensor) => numpy.array(1).div(count.add(1)));
    let state = optimiser.init(p(0));
    expect(state.hyperparams.learningRate!.item()).toBe(1);
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      let updates: P;
      [updates, state] = optimiser.update(p(1), state, p(0));
      out.push(updates.w.item());
    }
    expectClose(out, [-1, -0.5, -1 / 3]);
    expect(state.hyperparams.learningRate!.item()).toBeCloseTo(1 / 3, 6);
    // Overriding a scheduled value has no effect: it is recomputed from the count (3 -> 1/4).
    state = { ...state, hyperparams: { learningRate: numpy.array(100) } };
    expect(optimiser.update(p(1), state, p(0))[0].w.item()).toBeCloseTo(-0.25, 6);
  });

  test('options objects: numbers are injected by key, booleans and staticArgs stay constants', () => {
    // A factory whose option takes tensors: u = -lr * factor * g.
    const scaled = (
      learningRate: number | Tensor,
      options: { factor?: number | Tensor; flip?: boolean } = {},
    ) =>
      chain(
        scale(options.factor ?? 1),
        scaleByLearningRate(learningRate, { flipSign: options.flip ?? true }),
      );
    const optimiser = injectHyperparams(scaled)(0.5, { factor: 4, flip: true });
    let state = optimiser.init(p(0));
    expect(Object.keys(state.hyperparams).sort()).toEqual(['factor', 'learningRate']);
    const [updates, next] = optimiser.update(p(1), state, p(0));
    state = next;
    expect(updates.w.item()).toBeCloseTo(-2, 6); // -0.5 * 4 * 1
    state = { ...state, hyperparams: { ...state.hyperparams, factor: numpy.array(1) } };
    expect(optimiser.update(p(1), state, p(0))[0].w.item()).toBeCloseTo(-0.5, 6);
    // sgd's momentum must be a number (trace checks it): injected it is rejected, with a hint ...
    expect(() => injectHyperparams(sgd)(0.1, { momentum: 0.9 }).init(p(0))).toThrow(
      /injectHyperparams: the factory rejected the injected hyperparameters \(learningRate, momentum\).*staticArgs/,
    );
    // ... and kept static it works: m1 = 1 -> -0.1; m2 = 1 + 0.9 = 1.9 -> -0.19.
    const momentum = injectHyperparams(sgd, { staticArgs: ['momentum'] })(0.1, { momentum: 0.9 });
    expect(Object.keys(momentum.init(p(0)).hyperparams)).toEqual(['learningRate']);
    expectClose(updatesFor(momentum, [1, 1]), [-0.1, -0.19]);
  });

  test('argNames for other factories', () => {
    // clipByGlobalNorm(maxNorm): [3, 4] clipped to norm 1, then to norm 10 (unchanged).
    const clipper = injectHyperparams(clipByGlobalNorm, { argNames: ['maxNorm'] })(1);
    let state = clipper.init({ w: numpy.zeros([2]) });
    const grads = { w: numpy.array([3, 4]) };
    let updates: typeof grads;
    [updates, state] = clipper.update(grads, state);
    expect(updates.w.tolist()).toEqual([0.6000000238418579, 0.800000011920929]);
    state = { ...state, hyperparams: { maxNorm: numpy.array(10) } };
    [updates] = clipper.update(grads, state);
    expect(updates.w.tolist()).toEqual([3, 4]);
    // addDecayedWeights(weightDecay, options): u = g + wd * params = 0 + 0.1 * 10.
    const decay = injectHyperparams(addDecayedWeights, { argNames: ['weightDecay'] })(0.1);
    const params = p(10);
    expect(decay.update(p(0), decay.init(params), params)[0].w.item()).toBeCloseTo(1, 6);
  });

  test('errors', () => {
    const two = (a: number | Tensor, b: number | Tensor) => chain(scale(a), scale(b));
    expect(() => injectHyperparams(two)(1, 2)).toThrow(
      /injectHyperparams: argument 1 has no name to keep it under; pass its name in `argNames`/,
    );
    expect(() => injectHyperparams(two, { argNames: ['a', 'a'] })(1, 2)).toThrow(
      /injectHyperparams: two arguments are named 'a'/,
    );
    expect(() => injectHyperparams(3 as unknown as typeof sgd)).toThrow(
      /injectHyperparams: `innerFactory` must be a function/,
    );
    const optimiser = injectHyperparams(sgd)(0.1);
    const state = optimiser.init(p(0));
    expect(() => optimiser.update(p(1), { ...state, hyperparams: {} }, p(0))).toThrow(
      /injectHyperparams: state\.hyperparams\.learningRate is missing/,
    );
    expect(() => optimiser.update(p(1), {} as InjectHyperparamsState, p(0))).toThrow(
      /injectHyperparams: expected the state made by this transformation's init/,
    );
  });
});
