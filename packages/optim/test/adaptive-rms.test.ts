// RMSProp (plain, centered, momentum, Nesterov), Adagrad and Adadelta: trajectories on a quadratic
// against float64 references of the published equations (test/helpers/adaptive-reference.ts).
import { numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { adadelta, adagrad, rmsprop, scaleByRms, scaleByRss, scaleByStddev } from '../src/index.js';
import {
  adadeltaRef,
  adagradRef,
  expectPathsClose,
  optimiserPath,
  referencePath,
  rmspropRef,
} from './helpers/adaptive-reference.js';

describe('RMSProp, Adagrad and Adadelta on f(w) = sum(a w^2) / 2', () => {
  test.each([
    ['plain, defaults', {}],
    ['initialScale 1 (TensorFlow 1)', { initialScale: 1 }],
    ['eps outside the root', { eps: 0.1, epsInSqrt: false }],
    ['bias-corrected', { decay: 0.5, biasCorrection: true }],
    ['centered', { centered: true }],
    // Bias-corrected and centered, the first step's variance is exactly 0 (mHat^2 = vHat = g^2), so
    // float32 rounding in it would swamp a small eps: take eps = 0.1.
    ['centered, bias-corrected', { centered: true, biasCorrection: true, eps: 0.1 }],
    ['centered, eps outside the root', { centered: true, eps: 0.01, epsInSqrt: false }],
    ['momentum', { momentum: 0.9 }],
    ['Nesterov momentum', { momentum: 0.5, nesterov: true }],
    [
      'centered with Nesterov momentum',
      { centered: true, momentum: 0.7, nesterov: true, decay: 0.8 },
    ],
  ])('rmsprop %s', (_name, options) => {
    expectPathsClose(
      optimiserPath(rmsprop(0.01, options), 5),
      referencePath(() => rmspropRef(0.01, options), 5),
    );
  });

  test('rmsprop by hand, first step: nu = 0.1 g^2, so w moves by -lr g / sqrt(0.1 g^2) = -lr sign(g) / sqrt(0.1)', () => {
    const moved = 0.01 / Math.sqrt(0.1);
    optimiserPath(rmsprop(0.01), 1)[0]!.w!.forEach((w, i) =>
      expect(w).toBeCloseTo([1 - moved, -2 + moved, 0.5 - moved][i]!, 5),
    );
  });

  test('scaleByRms and scaleByStddev keep a count only with biasCorrection', () => {
    const params = { w: numpy.zeros([2]) };
    expect(Object.keys(scaleByRms().init(params))).toEqual(['nu']);
    expect(Object.keys(scaleByRms({ biasCorrection: true }).init(params)).sort()).toEqual([
      'count',
      'nu',
    ]);
    expect(Object.keys(scaleByStddev().init(params)).sort()).toEqual(['mu', 'nu']);
    expect(tree.leaves(scaleByStddev({ biasCorrection: true }).init(params))).toHaveLength(3);
  });

  test('adagrad: defaults and a zero initial accumulator (0, not NaN, before any gradient)', () => {
    expectPathsClose(
      optimiserPath(adagrad(0.1), 5),
      referencePath(() => adagradRef(0.1), 5),
    );
    const options = { initialAccumulatorValue: 0, eps: 1e-3 };
    expectPathsClose(
      optimiserPath(adagrad(0.5, options), 5),
      referencePath(() => adagradRef(0.5, { initial: 0, eps: 1e-3 }), 5),
    );
    // A zero gradient on an empty accumulator gives a zero update.
    const t = scaleByRss({ initialAccumulatorValue: 0 });
    const [updates] = t.update({ w: numpy.array([0, 2]) }, t.init({ w: numpy.zeros([2]) }));
    const [zero, two] = updates.w.tolist() as number[];
    expect(zero).toBe(0);
    expect(two).toBeCloseTo(1, 5);
  });

  test('adadelta: defaults (learning rate 1), a learning rate, and weight decay with a mask', () => {
    expectPathsClose(
      optimiserPath(adadelta(), 5),
      referencePath(() => adadeltaRef(1), 5),
    );
    const options = { rho: 0.5, eps: 1e-3 };
    expectPathsClose(
      optimiserPath(adadelta(2, options), 5),
      referencePath(() => adadeltaRef(2, options), 5),
    );
    expectPathsClose(
      optimiserPath(
        adadelta(1, { ...options, weightDecay: 0.5, weightDecayMask: { w: false, b: true } }),
        5,
      ),
      referencePath(
        (leaf) => adadeltaRef(1, { ...options, weightDecay: leaf === 'b' ? 0.5 : 0 }),
        5,
      ),
    );
    // Without weight decay, update needs no params.
    const optimiser = adadelta();
    const params = { w: numpy.ones([1]) };
    expect(() => optimiser.update(params, optimiser.init(params))).not.toThrow();
  });
});
