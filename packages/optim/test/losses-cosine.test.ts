// cosineSimilarity and cosineDistance against values worked out by hand, Optax's epsilon (a floor
// on the squared norm), zero vectors, finite-difference gradients, shapes and argument errors.
import { type Tensor, TensorError, grad, jit, numpy } from '@equinox-ts/autodiff';
import { cosineDistance, cosineSimilarity } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from './helpers/check-grads.js';
import { expectClose } from './helpers/close.js';

/** float64 cosine from the definition: dot / (|a| |b|). */
const refCosine = (a: number[], b: number[]) => {
  const dot = a.reduce((s, v, i) => s + v * b[i]!, 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return dot / (norm(a) * norm(b));
};

describe.each(BACKENDS)('cosine losses on $name', (entry) => {
  useBackend(entry);

  test('hand values over the last axis; distance is 1 - similarity', () => {
    // [1, 2, 2]·[2, 0, 0] = 2, norms 3 and 2: 1/3. [1, 0, 0] vs [0, 5, 0]: 0. [1, 1, 0] vs [-2, -2, 0]: -1.
    const p = numpy.array([
      [1, 2, 2],
      [1, 0, 0],
      [1, 1, 0],
    ]);
    const t = numpy.array([
      [2, 0, 0],
      [0, 5, 0],
      [-2, -2, 0],
    ]);
    const s = cosineSimilarity(p, t);
    expect(s.shape).toEqual([3]);
    expectClose(s, [1 / 3, 0, -1]);
    expectClose(cosineDistance(p, t), [2 / 3, 1, 2]);
  });

  test('batch dimensions are kept; axis picks the vector axis', () => {
    const rand = randomSource(2);
    const p = randomTensor([2, 3, 4], rand);
    const t = randomTensor([2, 3, 4], rand);
    const pa = p.tolist() as number[][][];
    const ta = t.tolist() as number[][][];
    const last = cosineSimilarity(p, t);
    expect(last.shape).toEqual([2, 3]);
    expectClose(
      last,
      pa.flatMap((r, i) => r.map((v, j) => refCosine(v, ta[i]![j]!))),
      1e-5,
    );
    const middle = cosineDistance(p, t, { axis: 1 });
    expect(middle.shape).toEqual([2, 4]);
    const col = (x: number[][][], i: number, k: number) => x[i]!.map((row) => row[k]!);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let k = 0; k < 4; k++) expected.push(1 - refCosine(col(pa, i, k), col(ta, i, k)));
    expectClose(middle, expected, 1e-5);
    const both = cosineSimilarity(p, t, { axis: [1, 2] });
    expect(both.shape).toEqual([2]);
    expectClose(
      both,
      pa.map((r, i) => refCosine(r.flat(), ta[i]!.flat())),
      1e-5,
    );
  });

  test('epsilon floors the squared norm, as Optax: the norm is at least sqrt(epsilon)', () => {
    // |p|² = 1e-6 < epsilon = 1e-4, so |p| counts as 1e-2: p / 1e-2 = [0.1, 0]; t is a unit vector.
    const p = numpy.array([1e-3, 0]);
    const t = numpy.array([1, 0]);
    expectClose(cosineSimilarity(p, t, { epsilon: 1e-4 }), [0.1]);
    // Above the floor epsilon changes nothing.
    expectClose(cosineSimilarity(numpy.array([3, 4]), numpy.array([4, 3]), { epsilon: 1e-4 }), [
      24 / 25,
    ]);
  });

  test('exact zero vectors: NaN without epsilon (as Optax), 0 and finite gradients with it', () => {
    const zero = numpy.zeros([2]);
    const t = numpy.array([3, 4]);
    expect(cosineSimilarity(zero, t).item()).toBeNaN();
    expect(cosineSimilarity(zero, t, { epsilon: 1e-12 }).item()).toBe(0);
    expect(cosineDistance(zero, t, { epsilon: 1e-12 }).item()).toBe(1);
    expect(cosineDistance(zero, zero, { epsilon: 1e-12 }).item()).toBe(1);
    // Near p = 0 the similarity is p·t̂ / sqrt(epsilon): gradient t̂ / sqrt(epsilon) = [0.6, 0.8] * 100.
    const eps = { epsilon: 1e-4 };
    expectClose(grad((p: Tensor) => cosineSimilarity(p, t, eps))(zero), [60, 80], 1e-5);
    // With respect to the targets, nothing: the zero prediction makes every product 0.
    expect(grad((y: Tensor) => cosineSimilarity(zero, y, eps))(t).tolist()).toEqual([0, 0]);
    const both = grad((p: Tensor, y: Tensor) => cosineDistance(p, y, eps).sum(), {
      argnums: [0, 1],
    })(numpy.zeros([2, 2]), numpy.zeros([2, 2])) as Tensor[];
    both.forEach((g) =>
      expect(g.tolist()).toEqual([
        [0, 0],
        [0, 0],
      ]),
    );
  });

  test('gradients match finite differences', () => {
    const rand = randomSource(13);
    const p = randomTensor([3, 4], rand, 1, 0.5);
    const t = randomTensor([3, 4], rand, 1, -0.5);
    checkGrads((x, y) => cosineSimilarity(x, y), [p, t], { order: 2 });
    checkGrads((x, y) => cosineDistance(x, y, { axis: 0, epsilon: 1e-6 }), [p, t]);
    // Inside the epsilon floor the function is linear in p: still differentiable.
    checkGrads((x) => cosineSimilarity(x, t, { epsilon: 100 }), [p]);
  });

  test('under jit the losses equal the eager ones', () => {
    const rand = randomSource(8);
    const p = randomTensor([4, 3], rand);
    const t = randomTensor([4, 3], rand);
    const all = (x: Tensor, y: Tensor) => [
      cosineSimilarity(x, y),
      cosineDistance(x, y, { epsilon: 1e-8 }),
    ];
    expect(jit(all)(p, t).map((r) => r.tolist())).toEqual(all(p, t).map((r) => r.tolist()));
  });

  test('errors: equal shapes, float32, epsilon >= 0, axes in range', () => {
    const p = numpy.zeros([2, 3]);
    expect(() => cosineSimilarity(p, numpy.zeros([3]))).toThrow(
      /cosineSimilarity: `targets` must have the shape of `predictions` \[2, 3\], found \[3\]/,
    );
    expect(() => cosineDistance(p, numpy.zeros([2, 3], { dtype: 'int32' }))).toThrow(
      /cosineDistance: `targets` must be float32, found int32\[2, 3\]/,
    );
    expect(() => cosineDistance(p, p, { epsilon: -1 })).toThrow(
      /cosineDistance: `epsilon` must be a finite number >= 0, found -1/,
    );
    expect(() => cosineSimilarity(p, p, { axis: -3 })).toThrow(
      /cosineSimilarity: `axis` -3 is out of range for an array of 2 dimensions/,
    );
    expect(() => cosineSimilarity(p, p, { axis: [] })).toThrow(TensorError);
  });
});
