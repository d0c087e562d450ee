// lamb and scaleByTrustRatio: trajectories against a float64 reference loop written from the LAMB
// paper (You et al., 2019, Algorithm 2) in Optax's parametrisation, per leaf:
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  r = m^ / (sqrt(v^ + epsRoot) + eps) (bias-corrected)
//   r += wd * p (masked);  ratio = |p| / |r|, or 1 where either norm is 0;  p -= lr * ratio * r.
import { TensorError, filterJit, numpy } from '@equinox-ts/autodiff';
import { type GradientTransformation, lamb, scaleByTrustRatio } from '../src/index.js';
import {
  type Leaves,
  expectLeavesClose,
  expectPathsClose,
  linearGrad,
  runPath,
} from './helpers/paths.js';

const KEYS = ['w', 'b', 'z'] as const;
type Key = (typeof KEYS)[number];
type Plain = Leaves<Key>;

// Gradient a * p + c per entry: w is an ordinary leaf; b starts at zero (zero param norm on the
// first step, so its trust ratio is 1); z never gets a gradient (zero update norm when undecayed).
const a: Plain = { w: [1, 2, -0.5], b: [1, 1], z: [0, 0] };
const c: Plain = { w: [0.3, -0.2, 0.1], b: [0.5, -1], z: [0, 0] };
const start: Plain = { w: [0.8, -1.3, 2.1], b: [0, 0], z: [1.5, -2] };

const gradOf = linearGrad(a, c);
const SETUP = { start, grad: gradOf };
const norm = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

interface LambReference {
  b1: number;
  b2: number;
  eps: number;
  epsRoot: number;
  wd: number;
  decayed: Key[];
}

function referenceLamb(steps: number, lr: number, o: LambReference): Plain[] {
  const p = structuredClone(start);
  const m: Plain = { w: [0, 0, 0], b: [0, 0], z: [0, 0] };
  const v: Plain = structuredClone(m);
  const path: Plain[] = [];
  for (let t = 1; t <= steps; t++) {
    for (const k of KEYS) {
      const g = p[k].map((x, i) => a[k][i]! * x + c[k][i]!);
      m[k] = m[k].map((mi, i) => o.b1 * mi + (1 - o.b1) * g[i]!);
      v[k] = v[k].map((vi, i) => o.b2 * vi + (1 - o.b2) * g[i]! ** 2);
      const r = m[k].map((mi, i) => {
        const mHat = mi / (1 - o.b1 ** t);
        const vHat = v[k][i]! / (1 - o.b2 ** t);
        const adam = mHat / (Math.sqrt(vHat + o.epsRoot) + o.eps);
        return adam + (o.decayed.includes(k) ? o.wd * p[k][i]! : 0);
      });
      const [pn, rn] = [norm(p[k]), norm(r)];
      const ratio = pn === 0 || rn === 0 ? 1 : pn / rn;
      p[k] = p[k].map((x, i) => x - lr * ratio * r[i]!);
    }
    path.push(structuredClone(p));
  }
  return path;
}

describe('lamb', () => {
  test('defaults (b1 0.9, b2 0.999, eps 1e-6, no decay): 5 steps match the reference', () => {
    const expected = referenceLamb(5, 0.05, {
      b1: 0.9,
      b2: 0.999,
      eps: 1e-6,
      epsRoot: 0,
      wd: 0,
      decayed: [],
    });
    const actual = runPath(lamb(0.05), SETUP, 5);
    expectPathsClose(actual, expected);
    // The zero-norm cases: b moved on step 1 by lr * |r| with ratio 1; z never moved.
    expect(norm(actual[0]!.b)).toBeGreaterThan(0.05);
    expect(actual[4]!.z).toEqual(start.z);
  });

  test('weight decay with a mask, custom moments and epsRoot', () => {
    // z is decayed but has no gradient: r = wd * z, whose trust ratio is |z| / (wd |z|) = 1 / wd,
    // so z shrinks by lr * |z| per step, a fixed fraction.
    const options: LambReference = {
      b1: 0.5,
      b2: 0.9,
      eps: 1e-3,
      epsRoot: 1e-4,
      wd: 0.1,
      decayed: ['w', 'z'],
    };
    const expected = referenceLamb(4, 0.1, options);
    const optimiser = lamb(0.1, {
      b1: 0.5,
      b2: 0.9,
      eps: 1e-3,
      epsRoot: 1e-4,
      weightDecay: 0.1,
      mask: { w: true, b: false, z: true },
    });
    const actual = runPath(optimiser, SETUP, 4);
    expectPathsClose(actual, expected);
    expect(actual[0]!.z[0]).toBeCloseTo(1.5 * 0.9, 5);
  });

  test('a jitted step equals the eager one over 4 steps', () => {
    const optimiser = lamb(0.05, { weightDecay: 0.01 });
    const eager = runPath(optimiser, SETUP, 4);
    const compiled = runPath(optimiser, SETUP, 4, (step) => filterJit(step));
    expectLeavesClose(compiled[3]!, eager[3]!, 6);
  });

  test('bad hyperparameters are refused, naming the argument', () => {
    expect(() => lamb(0.1, { b1: 1 })).toThrow(TensorError);
    expect(() => lamb(0.1, { b1: 1 })).toThrow(/scaleByAdam: `b1` must be a number in \[0, 1\)/);
    expect(() => lamb(0.1, { eps: -1 })).toThrow(/scaleByAdam: `eps` must be a finite number >= 0/);
    expect(() => lamb(0.1, { weightDecay: NaN })).toThrow(
      /lamb: `weightDecay` must be a finite number, found NaN/,
    );
    expect(() => lamb('0.1' as unknown as number)).toThrow(/lamb: `learningRate` must be/);
  });
});

describe('scaleByTrustRatio', () => {
  const apply = (t: GradientTransformation, u: number[], p: number[]) =>
    t
      .update({ x: numpy.array(u) }, t.init({ x: numpy.array(p) }), { x: numpy.array(p) })[0]
      .x.tolist() as number[];

  test('ratio trustCoefficient * |p| / (|u| + eps), per leaf; 1 where a norm is zero', () => {
    // |p| = 5, |u| = 13: u * 5 / 13.
    apply(scaleByTrustRatio(), [5, 12], [3, 4]).forEach((x, i) =>
      expect(x).toBeCloseTo(([5, 12][i]! * 5) / 13, 6),
    );
    // With trustCoefficient 0.5 and eps 2: u * 0.5 * 5 / 15.
    apply(scaleByTrustRatio({ trustCoefficient: 0.5, eps: 2 }), [5, 12], [3, 4]).forEach((x, i) =>
      expect(x).toBeCloseTo(([5, 12][i]! * 2.5) / 15, 6),
    );
    // Zero params (fresh biases): the update passes unchanged; a zero update stays zero (no NaN).
    expect(apply(scaleByTrustRatio(), [1, -2], [0, 0])).toEqual([1, -2]);
    expect(apply(scaleByTrustRatio(), [0, 0], [3, 4])).toEqual([0, 0]);
    // minNorm floors both norms: |p| = 0 -> 1, |u| = 0.5 -> 1, so the ratio is 1 / 1.
    expect(apply(scaleByTrustRatio({ minNorm: 1 }), [0.3, 0.4], [0, 0])).toEqual(
      [0.3, 0.4].map(Math.fround),
    );
    // |p| = 5 is above the floor, |u| = 0.5 is raised to 1: u * 5.
    apply(scaleByTrustRatio({ minNorm: 1 }), [0.3, 0.4], [3, 4]).forEach((x, i) =>
      expect(x).toBeCloseTo([1.5, 2][i]!, 6),
    );
  });

  test('each leaf gets its own ratio; null leaves stay null', () => {
    const t = scaleByTrustRatio();
    const params = { a: numpy.array([3, 4]), b: numpy.array([1, 0]), frozen: null };
    const [updates] = t.update(
      { a: numpy.array([0, 1]), b: numpy.array([0, 4]), frozen: null },
      t.init(params),
      params,
    );
    expect(updates.a.tolist()).toEqual([0, 5]); // ratio 5 / 1
    expect(updates.b.tolist()).toEqual([0, 1]); // ratio 1 / 4
    expect(updates.frozen).toBeNull();
  });

  test('errors: missing params, bad options', () => {
    expect(() => scaleByTrustRatio().update({ x: numpy.ones([1]) }, {})).toThrow(
      /scaleByTrustRatio: update needs the params/,
    );
    expect(() => scaleByTrustRatio({ minNorm: -1 })).toThrow(
      /scaleByTrustRatio: `minNorm` must be a finite number >= 0, found -1/,
    );
    expect(() => scaleByTrustRatio({ eps: NaN })).toThrow(/scaleByTrustRatio: `eps` must be/);
    expect(() => scaleByTrustRatio({ trustCoefficient: Infinity })).toThrow(
      /scaleByTrustRatio: `trustCoefficient` must be a finite number/,
    );
  });
});
