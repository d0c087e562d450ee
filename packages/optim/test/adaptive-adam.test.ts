// Adam and its relatives (adam, nadam, adamw, nadamw, amsgrad, adamax, radam): trajectories on a
// quadratic against float64 references of the published equations (test/helpers/adaptive-reference.ts).
import { numpy } from '@equinox-ts/autodiff';
import {
  adam,
  adamax,
  adamw,
  amsgrad,
  nadam,
  nadamw,
  radam,
  scaleByAdam,
  scaleByRadam,
} from '../src/index.js';
import {
  adamRef,
  adamaxRef,
  adamwRef,
  amsgradRef,
  expectPathsClose,
  optimiserPath,
  radamRef,
  referencePath,
} from './helpers/adaptive-reference.js';

describe('Adam family on f(w) = sum(a w^2) / 2', () => {
  test('adam: defaults, and b1/b2/eps/epsRoot where they enter the equations', () => {
    expectPathsClose(
      optimiserPath(adam(0.1), 5),
      referencePath(() => adamRef(0.1), 5),
    );
    // A large eps (outside the root) and epsRoot (inside) show where each one sits.
    const options = { b1: 0.8, b2: 0.9, eps: 0.05, epsRoot: 0.3 };
    expectPathsClose(
      optimiserPath(adam(0.2, options), 5),
      referencePath(() => adamRef(0.2, options), 5),
    );
    // Bias correction by hand on the first step: m = 0.1 g, v = 0.001 g^2, mHat = g, vHat = g^2, so
    // w moves by -lr * g / |g| = -0.1 * sign(g): w = [1, -2, 0.5] -> [0.9, -1.9, 0.4].
    optimiserPath(adam(0.1), 1)[0]!.w!.forEach((w, i) =>
      expect(w).toBeCloseTo([0.9, -1.9, 0.4][i]!, 5),
    );
  });

  test('nadam and nadamw: the Nesterov look-ahead of the first moment', () => {
    expectPathsClose(
      optimiserPath(nadam(0.1), 5),
      referencePath(() => adamRef(0.1, { nesterov: true }), 5),
    );
    expectPathsClose(
      optimiserPath(adam(0.1, { b1: 0.5, nesterov: true }), 4),
      referencePath(() => adamRef(0.1, { b1: 0.5, nesterov: true }), 4),
    );
    // nadamw = adamw with Nesterov: decay only on w.
    expectPathsClose(
      optimiserPath(nadamw(0.1, { weightDecay: 0.5, mask: { w: true, b: false } }), 4),
      referencePath((leaf) => adamwRef(0.1, 0.5, leaf === 'w', { nesterov: true }), 4),
    );
  });

  test('adamw: decoupled decay times the learning rate, default 1e-4, and a mask that skips b', () => {
    expectPathsClose(
      optimiserPath(adamw(0.1, { weightDecay: 0.5, mask: { w: true, b: false } }), 5),
      referencePath((leaf) => adamwRef(0.1, 0.5, leaf === 'w'), 5),
    );
    // A function mask, as Optax allows: decay the leaves with more than 2 entries (w only).
    const byFunction = adamw(0.1, {
      weightDecay: 0.5,
      mask: (params: Record<string, { size: number }>) =>
        Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.size > 2])),
    });
    expectPathsClose(
      optimiserPath(byFunction, 3),
      referencePath((leaf) => adamwRef(0.1, 0.5, leaf === 'w'), 3),
    );
    expectPathsClose(
      optimiserPath(adamw(0.1), 4),
      referencePath(() => adamwRef(0.1, 1e-4, true), 4),
    );
  });

  test('amsgrad: the running maximum of vHat, which differs from Adam once gradients shrink', () => {
    const options = { b1: 0.5, b2: 0.5 };
    const path = optimiserPath(amsgrad(0.3, options), 5);
    expectPathsClose(
      path,
      referencePath(() => amsgradRef(0.3, options), 5),
    );
    // The same run with Adam's own vHat goes elsewhere: the maximum mattered.
    const adamPath = referencePath(() => adamRef(0.3, options), 5);
    expect(Math.abs(path[4]!.w![2]! - adamPath[4]!.w![2]!)).toBeGreaterThan(1e-3);
    expectPathsClose(
      optimiserPath(amsgrad(0.1), 4),
      referencePath(() => amsgradRef(0.1), 4),
    );
  });

  test('adamax: the infinity norm u = max(b2 u, |g| + eps)', () => {
    expectPathsClose(
      optimiserPath(adamax(0.1), 5),
      referencePath(() => adamaxRef(0.1), 5),
    );
    const options = { b1: 0.5, b2: 0.6, eps: 0.01 };
    expectPathsClose(
      optimiserPath(adamax(0.3, options), 5),
      referencePath(() => adamaxRef(0.3, options), 5),
    );
  });

  test('radam: momentum before the threshold, rectified Adam after it', () => {
    // With b2 = 0.9, rhoInf = 19 and rho_t = 1, 1.95, 2.86, 3.74, 4.58, 5.39, 6.17: steps 1-5 are
    // below the default threshold 5, steps 6 and 7 above it.
    const rhos: number[] = [];
    const reference = referencePath(() => radamRef(0.1, { b2: 0.9 }, rhos), 7);
    expect(rhos.map((r) => r >= 5)).toEqual([false, false, false, false, false, true, true]);
    expect(rhos[4]).toBeCloseTo(4.58, 2);
    expect(rhos[5]).toBeCloseTo(5.39, 2);
    expectPathsClose(optimiserPath(radam(0.1, { b2: 0.9 }), 7), reference);
    // Before the threshold the step is -lr * mHat: on step 1, mHat = g = a * w, w(1) = w - 0.1 a w.
    optimiserPath(radam(0.1, { b2: 0.9 }), 1)[0]!.w!.forEach((w, i) =>
      expect(w).toBeCloseTo([0.9, -1.9, 0.35][i]!, 6),
    );
    // A lower threshold reached earlier, with other b1 and eps.
    const options = { b1: 0.5, b2: 0.9, eps: 1e-3, threshold: 4.5 };
    expectPathsClose(
      optimiserPath(radam(0.05, options), 6),
      referencePath(() => radamRef(0.05, options), 6),
    );
  });

  test('building blocks keep null leaves null and count steps in the state', () => {
    const t = scaleByAdam();
    const params = { w: numpy.array([1, 2]), frozen: null };
    const grads = { w: numpy.array([1, -1]), frozen: null };
    const [, once] = t.update(grads, t.init(params));
    const [updates, state] = t.update(grads, once);
    expect(updates.frozen).toBeNull();
    expect((state.mu as { frozen: null }).frozen).toBeNull();
    expect(state.count.dtype).toBe('int32');
    expect(state.count.item()).toBe(2);
    const radamState = scaleByRadam().init(params);
    expect(Object.keys(radamState).sort()).toEqual(['count', 'mu', 'nu']);
  });
});
