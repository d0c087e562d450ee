// adafactor and scaleByFactoredRms: trajectories against a float64 reference loop written from the
// Adafactor paper (Shazeer and Stern, 2018, Algorithms 4 and 5) in Optax's order, per leaf, with t the
// step number from 1 and s = g^2 + eps:
//   decay = 1 - t^-0.8
//   matrix (both dims >= minDimSizeToFactor): R = decay R + (1 - decay) rowMeans(s),
//     C = decay C + (1 - decay) colMeans(s), V_ij = R_i C_j / mean(R);  otherwise V = decay V + (1 - decay) s
//   u = g / sqrt(V);  u /= max(1, rms(u) / clippingThreshold);  u *= lr;  u *= max(rms(p), 1e-3)
//   m = momentum m + (1 - momentum) u, u = m;  u += weightDecayRate * p (masked);  p -= u.
import { type Tensor, TensorError, filterJit, numpy } from '@equinox-ts/autodiff';
import { type FactoredState, adafactor, scaleByFactoredRms } from '../src/index.js';
import {
  type Leaves,
  type Tree,
  expectLeavesClose,
  expectPathsClose,
  runPath,
  toTree,
} from './helpers/paths.js';

// W and V are factored matrices (the largest axis last, then first); S is a matrix too thin to
// factor; b is a vector; z starts at zero, so its parameter scale is the 1e-3 floor.
const SHAPES = { W: [2, 3], V: [3, 2], S: [2, 1], b: [3], z: [2] } as const;
type Key = keyof typeof SHAPES;
const KEYS = Object.keys(SHAPES) as Key[];
type Flat = Leaves<Key>;
type Params = Tree<Key>;

const size = (k: Key) => SHAPES[k].reduce((n: number, d: number) => n * d, 1);
const start: Flat = {
  W: [0.5, -1.2, 0.8, 2.0, -0.3, 1.1],
  V: [1.5, -0.4, 0.9, -2.2, 0.6, 0.05],
  S: [0.7, -1.9],
  b: [0.3, -0.6, 1.4],
  z: [0, 0],
};
/** Fixed gradients that vary with the step and the entry, with entries of different scales. */
function gradAt(step: number, k: Key): number[] {
  const offset = KEYS.indexOf(k);
  return Array.from(
    { length: size(k) },
    (_, i) => (1 + i) * Math.sin(1.3 * i + 0.7 * step + offset) + (i === 1 ? 5 : 0),
  );
}
const toParams = (p: Flat): Params => toTree(p, SHAPES);
const gradsAt = (step: number): Params =>
  toParams(Object.fromEntries(KEYS.map((k) => [k, gradAt(step, k)])) as Flat);
const SETUP = { start, shapes: SHAPES, gradAt: gradsAt };

const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const rms = (x: number[]) => Math.sqrt(mean(x.map((v) => v * v)));

interface AdafactorReference {
  lr?: (t: number) => number;
  minDim: number;
  factored: boolean;
  clip: number | null;
  paramScale: boolean;
  momentum: number | null;
  wd: number | null;
  decayed: Key[];
  eps: number;
}

function referenceAdafactor(steps: number, o: AdafactorReference): Flat[] {
  const p = structuredClone(start);
  const R: Partial<Record<Key, number[]>> = {};
  const C: Partial<Record<Key, number[]>> = {};
  const V: Partial<Record<Key, number[]>> = {};
  const M: Partial<Record<Key, number[]>> = {};
  const path: Flat[] = [];
  for (let t = 1; t <= steps; t++) {
    const decay = 1 - t ** -0.8;
    for (const k of KEYS) {
      const g = gradAt(t - 1, k);
      const s = g.map((x) => x * x + o.eps);
      const shape = SHAPES[k];
      const isMatrix = o.factored && shape.length === 2 && Math.min(...shape) >= o.minDim;
      let vHat: number[];
      if (isMatrix) {
        const [rows, cols] = shape as readonly [number, number];
        const rowMeans = Array.from({ length: rows }, (_, i) =>
          mean(s.slice(i * cols, (i + 1) * cols)),
        );
        const colMeans = Array.from({ length: cols }, (_, j) =>
          mean(Array.from({ length: rows }, (_, i) => s[i * cols + j]!)),
        );
        R[k] = (R[k] ?? rowMeans.map(() => 0)).map(
          (r, i) => decay * r + (1 - decay) * rowMeans[i]!,
        );
        C[k] = (C[k] ?? colMeans.map(() => 0)).map(
          (c, j) => decay * c + (1 - decay) * colMeans[j]!,
        );
        const meanR = mean(R[k]);
        vHat = s.map((_, idx) => (R[k]![Math.floor(idx / cols)]! * C[k]![idx % cols]!) / meanR);
      } else {
        V[k] = (V[k] ?? s.map(() => 0)).map((v, i) => decay * v + (1 - decay) * s[i]!);
        vHat = V[k]!;
      }
      let u = g.map((x, i) => x / Math.sqrt(vHat[i]!));
      if (o.clip !== null) {
        const denominator = Math.max(1, rms(u) / o.clip);
        u = u.map((x) => x / denominator);
      }
      if (o.lr) u = u.map((x) => x * o.lr!(t - 1));
      if (o.paramScale) {
        const scale = Math.max(rms(p[k]), 1e-3);
        u = u.map((x) => x * scale);
      }
      if (o.momentum !== null) {
        M[k] = (M[k] ?? u.map(() => 0)).map((m, i) => o.momentum! * m + (1 - o.momentum!) * u[i]!);
        u = M[k]!;
      }
      if (o.wd !== null && o.decayed.includes(k)) u = u.map((x, i) => x + o.wd! * p[k][i]!);
      p[k] = p[k].map((x, i) => x - u[i]!);
    }
    path.push(structuredClone(p));
  }
  return path;
}

/** Relative closeness: float32 against float64, over values from 1e-4 to 10. */
const CLOSE = { scaled: 2e-5 };

const BASE: AdafactorReference = {
  minDim: 2,
  factored: true,
  clip: 1,
  paramScale: true,
  momentum: null,
  wd: null,
  decayed: KEYS,
  eps: 1e-30,
};

describe('adafactor', () => {
  test('factored matrices, unfactored vectors, parameter scale and clipping at 1: 5 steps', () => {
    const expected = referenceAdafactor(5, { ...BASE, lr: () => 0.1 });
    expectPathsClose(runPath(adafactor(0.1, { minDimSizeToFactor: 2 }), SETUP, 5), expected, CLOSE);
    // The factored estimate is not the full one here (the gradients are not rank one), and
    // clipping at rms 1 is active: each changes the path of W.
    const gap = (other: Flat[]) =>
      Math.max(...other[4]!.W.map((x, i) => Math.abs(x - expected[4]!.W[i]!)));
    expect(gap(referenceAdafactor(5, { ...BASE, lr: () => 0.1, factored: false }))).toBeGreaterThan(
      1e-3,
    );
    expect(gap(referenceAdafactor(5, { ...BASE, lr: () => 0.1, clip: null }))).toBeGreaterThan(
      1e-3,
    );
    // z starts at 0, so its first step is lr * 1e-3 * (clipped g / |g|): the floor, not a zero step.
    const [first] = runPath(adafactor(0.1, { minDimSizeToFactor: 2 }), SETUP, 1);
    expect(Math.abs(first!.z[0]!)).toBeGreaterThan(1e-5);
  });

  test('no learning rate (Optax default): relative steps, the default min size factors nothing', () => {
    // minDimSizeToFactor 128: every leaf here keeps a full second moment.
    const expected = referenceAdafactor(4, { ...BASE, minDim: 128 });
    expectPathsClose(runPath(adafactor(), SETUP, 4), expected, CLOSE);
    expectPathsClose(runPath(adafactor(null), SETUP, 4), expected, CLOSE);
  });

  test('clipping threshold 0.5, momentum, masked weight decay, a schedule', () => {
    const options: AdafactorReference = {
      ...BASE,
      lr: (t) => 0.2 / (t + 1),
      clip: 0.5,
      momentum: 0.8,
      wd: 0.05,
      decayed: ['W', 'V', 'S'],
    };
    const optimiser = adafactor((count) => numpy.array(0.2).div(count.add(1)), {
      minDimSizeToFactor: 2,
      clippingThreshold: 0.5,
      momentum: 0.8,
      weightDecayRate: 0.05,
      weightDecayMask: { W: true, V: true, S: true, b: false, z: false },
    });
    expectPathsClose(runPath(optimiser, SETUP, 5), referenceAdafactor(5, options), CLOSE);
  });

  test('clipping off, no parameter scale, unfactored everywhere', () => {
    const options = { ...BASE, lr: () => 0.01, clip: null, paramScale: false, factored: false };
    const optimiser = adafactor(0.01, {
      minDimSizeToFactor: 2,
      clippingThreshold: null,
      multiplyByParameterScale: false,
      factored: false,
    });
    expectPathsClose(runPath(optimiser, SETUP, 3), referenceAdafactor(3, options), CLOSE);
  });

  test('a jitted step equals the eager one over 4 steps', () => {
    const optimiser = adafactor(0.1, { minDimSizeToFactor: 2, momentum: 0.5 });
    // The gradients go into the compiled step as arguments, so one compiled step serves all four.
    const eager = runPath(optimiser, SETUP, 4);
    const compiled = runPath(optimiser, SETUP, 4, (step) => filterJit(step));
    expectLeavesClose(compiled[3]!, eager[3]!, 6);
  });

  test('bad hyperparameters are refused, naming the argument', () => {
    expect(() => adafactor(0.1, { clippingThreshold: 0 })).toThrow(TensorError);
    expect(() => adafactor(0.1, { clippingThreshold: 0 })).toThrow(
      /adafactor: `clippingThreshold` must be a finite number > 0, found 0/,
    );
    expect(() => adafactor(0.1, { momentum: 2 })).toThrow(
      /adafactor: `momentum` must be a number in \[0, 1\]/,
    );
    expect(() => adafactor(NaN)).toThrow(/adafactor: `learningRate` must be/);
    expect(() => adafactor(0.1, { weightDecayRate: NaN })).toThrow(/adafactor: `weightDecayRate`/);
    expect(() => adafactor(0.1, { minDimSizeToFactor: 1.5 })).toThrow(
      /scaleByFactoredRms: `minDimSizeToFactor` must be an integer >= 1, found 1.5/,
    );
    expect(() => adafactor(0.1, { multiplyByParameterScale: 1 as unknown as boolean })).toThrow(
      /adafactor: `multiplyByParameterScale` must be a boolean/,
    );
    const params = toParams(start);
    const optimiser = adafactor(0.1);
    expect(() => optimiser.update(gradsAt(0), optimiser.init(params))).toThrow(
      /adafactor: update needs the params/,
    );
  });
});

describe('scaleByFactoredRms', () => {
  test('state: row and column statistics for factored leaves, full ones otherwise', () => {
    const t = scaleByFactoredRms({ minDimSizeToFactor: 2 });
    const state = t.init({ ...toParams(start), frozen: null });
    const shapes = (x: unknown) =>
      Object.fromEntries(
        Object.entries(x as Record<string, Tensor | null>).map(([k, v]) => [k, v?.shape ?? null]),
      );
    // vRow drops the largest axis, vCol the second largest; unused slots hold a [1] placeholder.
    expect(shapes(state.vRow)).toEqual({ W: [2], V: [2], S: [1], b: [1], z: [1], frozen: null });
    expect(shapes(state.vCol)).toEqual({ W: [3], V: [3], S: [1], b: [1], z: [1], frozen: null });
    expect(shapes(state.v)).toEqual({ W: [1], V: [1], S: [2, 1], b: [3], z: [2], frozen: null });
    // A square matrix factors too (ties: the first axis counts as the second largest).
    const square: FactoredState = t.init({ w: numpy.zeros([2, 2]) });
    expect((square.vRow as { w: Tensor }).w.shape).toEqual([2]);
  });

  test('the first step on a factored matrix: g / sqrt(R_i C_j / mean(R)), by hand', () => {
    // g = [[1, 2], [2, 4]] (rank one, so the factored estimate is exact): s = g^2, decay 0 at step 1,
    // R = row means [2.5, 10], C = column means [2.5, 10], mean(R) = 6.25,
    // V = [[1, 4], [4, 16]] = g^2, so the update is sign(g) = 1 everywhere.
    const t = scaleByFactoredRms({ minDimSizeToFactor: 2 });
    const g = {
      w: numpy.array([
        [1, 2],
        [2, 4],
      ]),
    };
    const [updates, state] = t.update(g, t.init(g));
    (updates.w.tolist() as number[][]).flat().forEach((x) => expect(x).toBeCloseTo(1, 6));
    expect((state.vRow as { w: Tensor }).w.tolist()).toEqual([2.5, 10]);
    expect(state.count.item()).toBe(1);
  });

  test('stepOffset restarts the decay schedule; decayRate and decayRateFn change it', () => {
    const g = { w: numpy.array([3, -1]) };
    const fresh = scaleByFactoredRms();
    const [firstUpdate, afterOne] = fresh.update(g, fresh.init(g));
    // Step 2 with decay 1 - 2^-0.8: v = decay * g^2 + (1 - decay) * g'^2 with g' = 2g gives
    // update = 2g / sqrt(g^2 (decay + 4 (1 - decay))).
    const [second] = fresh.update({ w: g.w.mul(2) }, afterOne);
    const decay = 1 - 2 ** -0.8;
    (second.w.tolist() as number[]).forEach((x, i) =>
      expect(x).toBeCloseTo((2 * Math.sign([3, -1][i]!)) / Math.sqrt(decay + 4 * (1 - decay)), 5),
    );
    // With stepOffset 3, a state at count 3 behaves as a fresh one.
    const offset = scaleByFactoredRms({ stepOffset: 3 });
    const late = { ...offset.init(g), count: numpy.array(3, { dtype: 'int32' }) };
    expect(offset.update(g, late)[0].w.tolist()).toEqual(firstUpdate.w.tolist());
    // A constant decay 0.5 from decayRateFn: v = 0.5 g^2 at step 1, update g / sqrt(0.5 g^2) = ±√2.
    const halves = scaleByFactoredRms({ decayRateFn: () => 0.5 });
    (halves.update(g, halves.init(g))[0].w.tolist() as number[]).forEach((x, i) =>
      expect(x).toBeCloseTo(Math.SQRT2 * Math.sign([3, -1][i]!), 5),
    );
  });

  test('bad options are refused', () => {
    expect(() => scaleByFactoredRms({ decayRate: NaN })).toThrow(
      /scaleByFactoredRms: `decayRate` must be a finite number/,
    );
    expect(() => scaleByFactoredRms({ stepOffset: -1 })).toThrow(
      /scaleByFactoredRms: `stepOffset` must be an integer >= 0, found -1/,
    );
    expect(() => scaleByFactoredRms({ epsilon: -1 })).toThrow(
      /`epsilon` must be a finite number >= 0/,
    );
    expect(() => scaleByFactoredRms({ factored: 'yes' as unknown as boolean })).toThrow(
      /scaleByFactoredRms: `factored` must be a boolean/,
    );
    expect(() => scaleByFactoredRms().init({ w: 3 })).toThrow(
      /scaleByFactoredRms: params\.w is number, expected a tensor/,
    );
  });
});
