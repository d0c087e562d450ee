// lion and scaleByLion: trajectories against a float64 reference loop written from the Lion paper's
// update (Chen et al., 2023, Algorithm 2) in Optax's parametrisation:
//   c = (1 - b1) * g + b1 * m;  u = sign(c) + wd * p (masked);  m = b2 * m + (1 - b2) * g;  p -= lr * u.
import { type Tensor, TensorError, filterJit, numpy } from '@equinox-ts/autodiff';
import { lion, scaleByLion } from '../src/index.js';
import { type Leaves, expectPathsClose, linearGrad, runPath } from './helpers/paths.js';

type Plain = Leaves<'w' | 'b'>;

// A fixed quadratic with a different curvature per entry: loss = sum(a * p^2) / 2, gradient a * p.
const curvature: Plain = { w: [1, 3, -2], b: [0.5, 2] };
const start: Plain = { w: [0.8, -1.3, 2.1], b: [-0.7, 0.4] };

const gradOf = linearGrad(curvature);
const SETUP = { start, grad: gradOf };

/** The reference, one leaf at a time, in float64. */
function referenceLion(
  steps: number,
  lr: (step: number) => number,
  { b1, b2, wd, decayed }: { b1: number; b2: number; wd: number; decayed: (keyof Plain)[] },
): Plain[] {
  const p: Plain = { w: [...start.w], b: [...start.b] };
  const m: Plain = { w: start.w.map(() => 0), b: start.b.map(() => 0) };
  const path: Plain[] = [];
  for (let t = 0; t < steps; t++) {
    for (const key of ['w', 'b'] as const) {
      p[key] = p[key].map((x, i) => {
        const g = curvature[key][i]! * x;
        const u = Math.sign((1 - b1) * g + b1 * m[key][i]!) + (decayed.includes(key) ? wd * x : 0);
        m[key][i] = b2 * m[key][i]! + (1 - b2) * g;
        return x - lr(t) * u;
      });
    }
    path.push({ w: [...p.w], b: [...p.b] });
  }
  return path;
}

describe('lion', () => {
  test('default hyperparameters: 5 steps match the reference (b1 0.9, b2 0.99, weight decay 1e-3)', () => {
    const expected = referenceLion(5, () => 0.1, {
      b1: 0.9,
      b2: 0.99,
      wd: 1e-3,
      decayed: ['w', 'b'],
    });
    expectPathsClose(runPath(lion(0.1), SETUP, 5), expected);
  });

  test('custom b1, b2, a schedule and a weight-decay mask that skips b', () => {
    // The interpolation b1 = 0.3 lets the fresh gradient outvote the momentum when they disagree,
    // which happens here because the quadratic overshoots; b stays undecayed.
    const options = { b1: 0.3, b2: 0.5, wd: 0.2, decayed: ['w'] as (keyof Plain)[] };
    const expected = referenceLion(5, (t) => 0.4 / (t + 1), options);
    const optimiser = lion((count) => numpy.array(0.4).div(count.add(1)), {
      b1: 0.3,
      b2: 0.5,
      weightDecay: 0.2,
      mask: { w: true, b: false },
    });
    expectPathsClose(runPath(optimiser, SETUP, 5), expected);
    // The mask really matters: decaying b as well gives another path.
    const unmasked = referenceLion(5, (t) => 0.4 / (t + 1), { ...options, decayed: ['w', 'b'] });
    expect(Math.abs(unmasked[4]!.b[0]! - expected[4]!.b[0]!)).toBeGreaterThan(1e-3);
  });

  test('scaleByLion: signs of the interpolation, the momentum moves after; zero stays zero', () => {
    const t = scaleByLion({ b1: 0.5, b2: 0.75 });
    let state = t.init({ w: numpy.zeros([3]) });
    let updates;
    // Step 1: m = 0, c = 0.5 g -> sign(g); then m = 0.25 g = [1, -0.5, 0].
    [updates, state] = t.update({ w: numpy.array([4, -2, 0]) }, state);
    expect(updates.w.tolist()).toEqual([1, -1, 0]);
    expect((state.mu as { w: Tensor }).w.tolist()).toEqual([1, -0.5, 0]);
    // Step 2: g = [-3, -2, 1]: c = 0.5 g + 0.5 m = [-1, -1.25, 0.5]; m = 0.75 m + 0.25 g = [0, -0.875, 0.25].
    [updates, state] = t.update({ w: numpy.array([-3, -2, 1]) }, state);
    expect(updates.w.tolist()).toEqual([-1, -1, 1]);
    expect((state.mu as { w: Tensor }).w.tolist()).toEqual([0, -0.875, 0.25]);
    expect(state.count.item()).toBe(2);
    // Step 3: g = [0, 1.75, -0.5]: c = [0, 0.4375, -0.125]; a zero stays zero.
    [updates] = t.update({ w: numpy.array([0, 1.75, -0.5]) }, state);
    expect(updates.w.tolist()).toEqual([0, 1, -1]);
  });

  test('null leaves stay null, and a jitted step equals the eager one over 4 steps', () => {
    const optimiser = lion(0.05, { weightDecay: 0.1 });
    const params = { w: numpy.array([1, -2]), frozen: null };
    const [updates] = optimiser.update(
      { w: numpy.array([0.5, 0.5]), frozen: null },
      optimiser.init(params),
      params,
    );
    expect(updates.frozen).toBeNull();

    const eager = runPath(optimiser, SETUP, 4);
    const compiled = runPath(optimiser, SETUP, 4, (step) => filterJit(step));
    expect(compiled[3]).toEqual(eager[3]);
  });

  test('bad hyperparameters are refused, naming the argument', () => {
    expect(() => lion(0.1, { b1: 1.5 })).toThrow(TensorError);
    expect(() => lion(0.1, { b1: 1.5 })).toThrow(
      /scaleByLion: `b1` must be a number in \[0, 1\], found 1.5/,
    );
    expect(() => scaleByLion({ b2: -0.1 })).toThrow(
      /scaleByLion: `b2` must be a number in \[0, 1\]/,
    );
    expect(() => lion(NaN)).toThrow(/lion: `learningRate` must be a finite number/);
    expect(() => lion(0.1, { weightDecay: Infinity })).toThrow(
      /lion: `weightDecay` must be a finite number, found Infinity/,
    );
    expect(() => lion(0.1).init({ w: [1, 2] })).toThrow(
      /scaleByLion: params\.w\[0\] is number, expected a tensor/,
    );
  });
});
