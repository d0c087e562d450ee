// Gradient clipping: clip, globalNorm, clipByGlobalNorm, clipByBlockRms and adaptiveGradClip, with the
// expected values worked out by hand (in the comments) from Optax's definitions.
import { TensorError, jit, numpy } from '@equinox-ts/autodiff';
import {
  type GradientTransformation,
  adaptiveGradClip,
  chain,
  clip,
  clipByBlockRms,
  clipByGlobalNorm,
  globalNorm,
  sgd,
} from '../src/index.js';

const t = (v: number[] | number[][] | number[][][][]) => numpy.array(v);

/** One update of a stateless transformation from its initial state. */
function once<U>(transform: GradientTransformation, updates: U, params?: unknown): U {
  const [out] = transform.update(updates, transform.init(params ?? updates), params);
  return out;
}

function expectClose(actual: unknown, expected: unknown, digits = 6): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, digits));
  } else {
    expect(actual).toBeCloseTo(expected as number, digits);
  }
}

describe('clip', () => {
  test('limits each entry to [-maxDelta, maxDelta]', () => {
    expectClose(once(clip(1), { w: t([-3, 0.5, 2]) }).w.tolist(), [-1, 0.5, 1]);
    expectClose(
      once(clip(2.5), {
        w: t([
          [-3, 0.5],
          [2, 4],
        ]),
      }).w.tolist(),
      [
        [-2.5, 0.5],
        [2, 2.5],
      ],
    );
    expectClose(once(clip(0), { w: t([-3, 2]) }).w.tolist(), [0, 0]);
    expectClose(once(clip(numpy.array(1)), { w: t([-3, 2]) }).w.tolist(), [-1, 1]);
  });

  test('bad maxDelta', () => {
    expect(() => clip(-1)).toThrow(TensorError);
    expect(() => clip(-1)).toThrow(/clip: `maxDelta` must be a finite number >= 0.*found -1/);
    expect(() => clip(NaN)).toThrow(/clip: `maxDelta` must be a finite number >= 0/);
  });
});

describe('globalNorm and clipByGlobalNorm', () => {
  test('globalNorm is the norm of all leaves together; null counts for nothing', () => {
    // sqrt(3^2 + 4^2) = 5; sqrt(1 + 4 + 4 + 16) = 5; sqrt(2^2 * 4) = 4
    expect(globalNorm({ a: t([3]), b: t([[4]]), c: null }).item()).toBeCloseTo(5, 6);
    expect(globalNorm([t([1, 2, 2]), t([4])]).item()).toBeCloseTo(5, 6);
    expect(globalNorm(numpy.full([2, 2], 2)).item()).toBeCloseTo(4, 6);
    expect(globalNorm({}).item()).toBe(0);
    expect(() => globalNorm({ a: 'x' })).toThrow(
      /globalNorm: updates\.a is string, expected a tensor/,
    );
  });

  test('rescales by maxNorm / norm only when the norm reaches maxNorm', () => {
    // [3, 4] has norm 5: clipped to 1 gives [3, 4] / 5 = [0.6, 0.8].
    expectClose(once(clipByGlobalNorm(1), { w: t([3, 4]) }).w.tolist(), [0.6, 0.8]);
    // Below the threshold: unchanged.
    expectClose(once(clipByGlobalNorm(10), { w: t([3, 4]) }).w.tolist(), [3, 4]);
    // Exactly at it: u / 5 * 5 = u.
    expectClose(once(clipByGlobalNorm(5), { w: t([3, 4]) }).w.tolist(), [3, 4]);
    // The norm is global: a = [3], b = [4] together have norm 5; clipped to 2.5 halves both.
    const both = once(clipByGlobalNorm(2.5), { a: t([3]), b: t([4]), frozen: null });
    expectClose(both.a.tolist(), [1.5]);
    expectClose(both.b.tolist(), [2]);
    expect(both.frozen).toBeNull();
  });

  test('chained before sgd over three steps', () => {
    // lr 0.5: step 1 g = [3, 4] -> [0.6, 0.8] -> [-0.3, -0.4]; step 2 g = [0.3, 0.4] (norm 0.5 < 1)
    // -> [-0.15, -0.2]; step 3 g = [6, 8] (norm 10) -> [0.6, 0.8] -> [-0.3, -0.4].
    const optimiser = chain(clipByGlobalNorm(1), sgd(0.5));
    const params = { w: numpy.zeros([2]) };
    let state = optimiser.init(params);
    const seen: number[][] = [];
    for (const g of [
      [3, 4],
      [0.3, 0.4],
      [6, 8],
    ]) {
      const [updates, next] = optimiser.update({ w: t(g) }, state, params);
      state = next;
      seen.push(updates.w.tolist() as number[]);
    }
    expectClose(seen, [
      [-0.3, -0.4],
      [-0.15, -0.2],
      [-0.3, -0.4],
    ]);
  });

  test('bad maxNorm', () => {
    expect(() => clipByGlobalNorm(0)).toThrow(
      /clipByGlobalNorm: `maxNorm` must be a finite number > 0 .*found 0/,
    );
    expect(() => clipByGlobalNorm(-1)).toThrow(TensorError);
    expect(() => clipByGlobalNorm(Infinity)).toThrow(/`maxNorm` must be a finite number/);
  });
});

describe('clipByBlockRms', () => {
  test('each tensor is divided by max(1, rms / threshold)', () => {
    // rms([3, 4]) = sqrt((9 + 16) / 2) = sqrt(12.5) = 3.5355339; threshold 1 -> [3, 4] / 3.5355339
    // = [0.8485281, 1.1313708]; rms([0.1, 0.1]) = 0.1 < 1: unchanged.
    const out = once(clipByBlockRms(1), { a: t([3, 4]), b: t([0.1, 0.1]) });
    expectClose(out.a.tolist(), [0.8485281, 1.1313708]);
    expectClose(out.b.tolist(), [0.1, 0.1]);
    // threshold 2: divided by 3.5355339 / 2 -> [1.6970563, 2.2627417] (rms exactly 2).
    expectClose(once(clipByBlockRms(2), { a: t([3, 4]) }).a.tolist(), [1.6970563, 2.2627417]);
    // A matrix is one block: rms([[1, 1], [1, 1]] * 2) = 2, threshold 0.5 -> divided by 4.
    expectClose(once(clipByBlockRms(0.5), { m: numpy.full([2, 2], 2) }).m.tolist(), [
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  test('bad threshold', () => {
    expect(() => clipByBlockRms(0)).toThrow(
      /clipByBlockRms: `threshold` must be a finite number > 0/,
    );
    expect(() => clipByBlockRms(NaN)).toThrow(TensorError);
  });
});

describe('adaptiveGradClip', () => {
  test('vectors: the whole tensor is one unit', () => {
    // ||p|| = 5, clipping 0.1 -> max norm 0.5; g = [6, 8] has norm 10 -> g * 0.5 / 10 = [0.3, 0.4].
    const params = { w: t([3, 4]) };
    expectClose(once(adaptiveGradClip(0.1), { w: t([6, 8]) }, params).w.tolist(), [0.3, 0.4]);
    // g = [0.03, 0.04] has norm 0.05 < 0.5: unchanged.
    expectClose(
      once(adaptiveGradClip(0.1), { w: t([0.03, 0.04]) }, params).w.tolist(),
      [0.03, 0.04],
    );
    // Shape [1, 3] squeezes to a vector: one unit. ||p|| = sqrt(1 + 4 + 4) = 3, clipping 1 -> max 3;
    // g = [0, 6, 8] has norm 10 -> * 3 / 10 = [0, 1.8, 2.4].
    expectClose(
      once(adaptiveGradClip(1), { w: t([[0, 6, 8]]) }, { w: t([[1, 2, 2]]) }).w.tolist(),
      [[0, 1.8, 2.4]],
    );
  });

  test('matrices [in, out]: one unit per output column; eps for zero params', () => {
    // params columns: [3, 4] (norm 5) and [1, 0] (norm 1); clipping 1 -> max norms [5, 1].
    // grads columns: [6, 8] (norm 10 -> * 5/10 = [3, 4]) and [0, 0.5] (norm 0.5 < 1, unchanged).
    const out = once(
      adaptiveGradClip(1),
      {
        w: t([
          [6, 0],
          [8, 0.5],
        ]),
      },
      {
        w: t([
          [3, 1],
          [4, 0],
        ]),
      },
    );
    expectClose(out.w.tolist(), [
      [3, 0],
      [4, 0.5],
    ]);
    // Zero params: max norm = clipping * eps = 1e-3; g = [3, 4] -> [3, 4] * 1e-3 / 5.
    const zeros = once(adaptiveGradClip(1), { w: t([3, 4]) }, { w: numpy.zeros([2]) });
    expectClose(zeros.w.tolist(), [0.0006, 0.0008], 8);
    const bigEps = once(
      adaptiveGradClip(1, { eps: 0.5 }),
      { w: t([3, 4]) },
      { w: numpy.zeros([2]) },
    );
    expectClose(bigEps.w.tolist(), [0.3, 0.4]);
  });

  test('rank-4 kernels [H, W, I, O]: one unit per output channel; other ranks need axis', () => {
    // params ones [1, 1, 2, 2]: each output channel has norm sqrt(2) = max norm (clipping 1).
    // grads: channel 0 = [2, 2] (norm 2 sqrt 2 -> halved to [1, 1]), channel 1 = [0, 0].
    const out = once(
      adaptiveGradClip(1),
      {
        k: t([
          [
            [
              [2, 0],
              [2, 0],
            ],
          ],
        ]),
      },
      { k: numpy.ones([1, 1, 2, 2]) },
    );
    expectClose(out.k.tolist(), [
      [
        [
          [1, 0],
          [1, 0],
        ],
      ],
    ]);
    const five = { k: numpy.ones([2, 1, 1, 1, 2]) };
    expect(() => once(adaptiveGradClip(1), five, five)).toThrow(
      /adaptiveGradClip: updates\.k has shape \[2, 1, 1, 1, 2\]; .*pass `axis`/,
    );
    // With axis 0..3 each of the 2 output channels has norm sqrt(2) in both: unchanged.
    expectClose(
      (
        once(adaptiveGradClip(1, { axis: [0, 1, 2, 3] }), five, five).k.tolist() as number[][][][][]
      )[0]![0]![0]![0],
      [1, 1],
    );
  });

  test('errors: params missing, shapes differ, bad clipping', () => {
    const t1 = adaptiveGradClip(0.1);
    expect(() => t1.update({ w: t([1]) }, {})).toThrow(/adaptiveGradClip: update needs the params/);
    expect(() => t1.update({ w: t([1]) }, {}, { w: t([1, 2]) })).toThrow(
      /adaptiveGradClip: updates\.w has shape \[1\] but params\.w has \[2\]/,
    );
    expect(() => adaptiveGradClip(-0.1)).toThrow(
      /adaptiveGradClip: `clipping` must be a finite number >= 0/,
    );
    expect(() => adaptiveGradClip(0.1, { eps: -1 })).toThrow(/`eps` must be a finite number >= 0/);
  });
});

test('under jit the clipping chain gives the eager values', () => {
  const optimiser = chain(
    clipByGlobalNorm(2),
    clip(1.2),
    clipByBlockRms(0.9),
    adaptiveGradClip(0.5),
  );
  const params = {
    w: t([
      [1, -2],
      [0.5, 3],
    ]),
    b: t([0.1, -0.2]),
  };
  const state = optimiser.init(params);
  const step = (g: typeof params, s: typeof state, p: typeof params) =>
    optimiser.update(g, s, p)[0];
  const compiled = jit(step);
  for (const g of [
    {
      w: t([
        [3, 4],
        [-1, 2],
      ]),
      b: t([0.5, 0.5]),
    },
    {
      w: t([
        [0.1, 0],
        [0, 0.1],
      ]),
      b: t([-4, 1]),
    },
  ]) {
    const eager = step(g, state, params);
    const fromJit = compiled(g, state, params);
    expectClose(fromJit.w.tolist(), eager.w.tolist());
    expectClose(fromJit.b.tolist(), eager.b.tolist());
  }
});
