// The MNIST panel's optimisers: each name gives the optimiser it claims, checked update by update against
// values worked out by hand from the algorithms' definitions (Optax's defaults).
import { jnp, setBackend } from 'equinox-ts';
import { OPTIMISER_NAMES, type OptimiserName, makeOptimiser } from '../src/train/optimisers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** The updates `makeOptimiser(name, learningRate)` makes for the gradients `steps`, one list per step. */
async function updatesOf(
  name: OptimiserName,
  learningRate: number,
  steps: readonly number[][],
): Promise<number[][]> {
  const optimiser = makeOptimiser(name, learningRate);
  const params = { w: jnp.zeros([steps[0]!.length]) };
  let state = optimiser.init(params);
  const out: number[][] = [];
  for (const gradient of steps) {
    const [updates, next] = optimiser.update({ w: jnp.array(gradient) }, state, params);
    state = next;
    out.push(Array.from(await updates.w.data()));
  }
  return out;
}

/** `actual` equals `expected` entry by entry to about 6 significant digits (float32). */
function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    const tolerance = 1e-6 * Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(tolerance);
  });
}

test('the panel offers Adam, SGD and RMSProp, in that order', () => {
  expect(OPTIMISER_NAMES).toEqual(['adam', 'sgd', 'rmsprop']);
});

test("Adam's first update is -lr * sign(g), eps (1e-8) outside the square root", async () => {
  // Bias correction makes m = g and v = g^2 at step 1: -lr * g / (|g| + eps). A zero gradient moves
  // nothing; g = 1e-8 is as large as eps, so it moves half as far.
  const [first] = await updatesOf('adam', 0.01, [[0.3, -4, 0, 1e-8]]);
  expectClose(first!, [-0.01, 0.01, 0, -0.005]);
});

test("Adam's second update uses bias-corrected moments (b1 = 0.9, b2 = 0.999)", async () => {
  // g1 = 1, g2 = -1: m = 0.9 * 0.1 - 0.1 = -0.01, corrected by 1 - 0.9^2 = 0.19; v = 0.999 * 0.001
  // + 0.001 = 0.001999, corrected by 1 - 0.999^2 = 0.001999, so 1. Update: -lr * (-0.01 / 0.19) / 1.
  const [, second] = await updatesOf('adam', 0.01, [[1], [-1]]);
  expectClose(second!, [(0.01 * 0.01) / 0.19]);
});

test('SGD with momentum 0.9: -lr * g1, then -lr * (g2 + 0.9 g1)', async () => {
  const [first, second] = await updatesOf('sgd', 0.1, [
    [1, -2],
    [0.5, 3],
  ]);
  expectClose(first!, [-0.1, 0.2]);
  // -0.1 * (0.5 + 0.9) and -0.1 * (3 - 1.8).
  expectClose(second!, [-0.14, -0.12]);
});

test("RMSProp as Optax's defaults: decay 0.9, eps 1e-8 inside the square root, nu starting at 0", async () => {
  const [first, second] = await updatesOf('rmsprop', 0.1, [
    [2, -1, 0, 1e-4],
    [1, 1, 0, 1e-4],
  ]);
  // Step 1: nu = 0.1 g^2, update = -lr g / sqrt(nu + eps). For g = 1e-4, nu = 1e-9 is a tenth of eps:
  // -0.1 * 1e-4 / sqrt(1.1e-8) (eps outside the root would give about -0.1 * 3.16 instead).
  expectClose(first!, [
    -0.2 / Math.sqrt(0.4),
    0.1 / Math.sqrt(0.1),
    0,
    (-0.1 * 1e-4) / Math.sqrt(1.1e-8),
  ]);
  // Step 2: nu = 0.9 * 0.1 g1^2 + 0.1 g2^2: 0.36 + 0.1, 0.09 + 0.1, 0, and 0.9e-9 + 1e-9.
  expectClose(second!, [
    -0.1 / Math.sqrt(0.46),
    -0.1 / Math.sqrt(0.19),
    0,
    (-0.1 * 1e-4) / Math.sqrt(1.9e-9 + 1e-8),
  ]);
});
