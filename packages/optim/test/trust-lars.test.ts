// lars: trajectories against a float64 reference loop written from the LARS paper (You et al., 2017,
// Algorithm 1) in Optax's order, per leaf:
//   u = g + wd * p (masked);  u *= tc * |p| / (|u| + eps), or 1 where a norm is 0 (masked);
//   u *= lr;  m = u + mu * m;  p -= m  (Nesterov: p -= u + mu * m).
import { TensorError, filterJit, numpy } from '@equinox-ts/autodiff';
import { lars } from '../src/index.js';
import {
  type Leaves,
  type Tree,
  expectLeavesClose,
  expectPathsClose,
  linearGrad,
  runPath,
  toTree,
} from './helpers/paths.js';

const KEYS = ['w', 'b'] as const;
type Key = (typeof KEYS)[number];
type Params = Tree<Key>;
type Plain = Leaves<Key>;

// Gradient a * p + c per entry.
const a: Plain = { w: [1, 2, -0.5], b: [1, 3] };
const c: Plain = { w: [0.3, -0.2, 0.1], b: [0.5, -1] };
const start: Plain = { w: [0.8, -1.3, 2.1], b: [0.2, 0.1] };

const gradOf = linearGrad(a, c);
const SETUP = { start, grad: gradOf };
const norm = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

interface LarsReference {
  wd: number;
  decayed: Key[];
  tc: number;
  eps: number;
  trusted: Key[];
  momentum: number;
  nesterov: boolean;
}

function referenceLars(steps: number, lr: (t: number) => number, o: LarsReference): Plain[] {
  const p = structuredClone(start);
  const m: Plain = { w: [0, 0, 0], b: [0, 0] };
  const path: Plain[] = [];
  for (let t = 0; t < steps; t++) {
    for (const k of KEYS) {
      let u = p[k].map((x, i) => a[k][i]! * x + c[k][i]! + (o.decayed.includes(k) ? o.wd * x : 0));
      if (o.trusted.includes(k)) {
        const [pn, un] = [norm(p[k]), norm(u)];
        const ratio = pn === 0 || un === 0 ? 1 : (o.tc * pn) / (un + o.eps);
        u = u.map((x) => x * ratio);
      }
      u = u.map((x) => x * lr(t));
      m[k] = m[k].map((mi, i) => u[i]! + o.momentum * mi);
      const step = o.nesterov ? u.map((x, i) => x + o.momentum * m[k][i]!) : m[k];
      p[k] = p[k].map((x, i) => x - step[i]!);
    }
    path.push(structuredClone(p));
  }
  return path;
}

const DEFAULTS: LarsReference = {
  wd: 0,
  decayed: ['w', 'b'],
  tc: 0.001,
  eps: 0,
  trusted: ['w', 'b'],
  momentum: 0.9,
  nesterov: false,
};

describe('lars', () => {
  test('defaults (trust coefficient 1e-3, momentum 0.9): 5 steps match the reference', () => {
    // A large learning rate, as LARS is used: the trust ratio makes the step about lr * 1e-3 * |p|.
    const expected = referenceLars(5, () => 10, DEFAULTS);
    expectPathsClose(runPath(lars(10), SETUP, 5), expected, 6);
  });

  test('weight decay and trust ratio masks, eps, Nesterov and a schedule', () => {
    const options: LarsReference = {
      wd: 0.05,
      decayed: ['w'],
      tc: 0.1,
      eps: 0.01,
      trusted: ['w'],
      momentum: 0.5,
      nesterov: true,
    };
    const expected = referenceLars(5, (t) => 0.5 * 0.8 ** t, options);
    const optimiser = lars((count) => numpy.power(0.8, count.astype('float32')).mul(0.5), {
      weightDecay: 0.05,
      weightDecayMask: { w: true, b: false },
      trustCoefficient: 0.1,
      eps: 0.01,
      trustRatioMask: (ps: Params) => ({ w: ps.w.ndim > 0 && ps.w.shape[0]! > 2, b: false }),
      momentum: 0.5,
      nesterov: true,
    });
    expectPathsClose(runPath(optimiser, SETUP, 5), expected);
    // Without the trust-ratio mask b would take far smaller steps (ratio 0.1 * |b| / |g_b| < 0.1).
    const allTrusted = referenceLars(5, (t) => 0.5 * 0.8 ** t, { ...options, trusted: ['w', 'b'] });
    expect(Math.abs(allTrusted[4]!.b[0]! - expected[4]!.b[0]!)).toBeGreaterThan(1e-2);
  });

  test('a jitted step equals the eager one over 4 steps', () => {
    const optimiser = lars(1, { weightDecay: 1e-2, trustRatioMask: { w: true, b: false } });
    const eager = runPath(optimiser, SETUP, 4);
    const compiled = runPath(optimiser, SETUP, 4, (step) => filterJit(step));
    expectLeavesClose(compiled[3]!, eager[3]!, 6);
  });

  test('bad hyperparameters are refused, naming the argument', () => {
    expect(() => lars(0.1, { momentum: 1.5 })).toThrow(TensorError);
    expect(() => lars(0.1, { momentum: 1.5 })).toThrow(
      /lars: `momentum` must be a number in \[0, 1\], found 1.5/,
    );
    expect(() => lars(0.1, { weightDecay: NaN })).toThrow(/lars: `weightDecay` must be a finite/);
    expect(() => lars(0.1, { eps: -1 })).toThrow(
      /scaleByTrustRatio: `eps` must be a finite number >= 0/,
    );
    expect(() => lars(null as unknown as number)).toThrow(/lars: `learningRate` must be/);
    const params = toTree(start);
    const masked = lars(0.1, { trustRatioMask: { w: 1, b: true } });
    expect(() => masked.init(params)).toThrow(/masked: mask\.w must be a boolean, found 1/);
    expect(() => lars(0.1).update(gradOf(params), lars(0.1).init(params))).toThrow(
      /addDecayedWeights: update needs the params/,
    );
  });
});
