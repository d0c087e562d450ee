// Statistical sanity of the samplers. Each bound is at least 5 standard errors of the statistic for the
// sample size used (a false failure has probability below 1e-6 for a fresh seed, and the seeds are fixed,
// so the tests are deterministic); derivations are next to each bound.
import { grad, numpy, random, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const N = 4000;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
};
const values = (t: Tensor): number[] => Array.from(t.dataSync());
const counts = (xs: number[], k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const x of xs) c[x]!++;
  return c;
};
/** 5 standard errors of a frequency estimated from n draws of probability p. */
const frequencyBound = (p: number, n: number): number => 5 * Math.sqrt((p * (1 - p)) / n);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  test('the same key gives the same draws, different keys different ones', () => {
    const key = random.key(7);
    expect(values(random.uniform(key, [8]))).toEqual(values(random.uniform(key, [8])));
    const [a, b] = [0, 1].map((i) => random.split(key).get(i));
    expect(values(random.uniform(a!, [8]))).not.toEqual(values(random.uniform(b!, [8])));
    expect(values(random.uniform(key, [8]))).not.toEqual(values(random.uniform(a!, [8])));
    // Keys from a split are distinct from each other and from the parent.
    const keys = random.split(key, 50).tolist() as number[][];
    expect(new Set([...keys, key.tolist() as number[]].map(String)).size).toBe(51);
  });

  test('uniform: in [0, 1), mean 1/2 and variance 1/12', () => {
    const u = values(random.uniform(random.key(1), [N]));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    // sd of the mean: sqrt(1/12 / N) = 0.0046; of the variance: sqrt((1/80 - 1/144) / N) = 0.0012.
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.023);
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.006);
    // 2^23 equally likely values: about N^2 / 2^24 = 0.95 collisions are expected (Poisson; 10 or more
    // has probability 1e-7).
    expect(new Set(u).size).toBeGreaterThan(N - 10);
  });

  test('uniform with bounds: in [minval, maxval), per element, with gradients to the bounds', () => {
    const lo = numpy.array([-2, 10]);
    const hi = numpy.array([-1, 20]);
    const u = random
      .uniform(random.key(2), [N / 2, 2], { minval: lo, maxval: hi })
      .tolist() as number[][];
    const first = u.map((r) => r[0]!);
    const second = u.map((r) => r[1]!);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...first)).toBeLessThan(-1);
    expect(Math.min(...second)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...second)).toBeLessThan(20);
    // Reparameterised: d/dmaxval sum(minval + f (maxval - minval)) = sum(f), with f the unit draws.
    const key = random.key(3);
    const unit = values(random.uniform(key, [5]));
    const g = grad((m: Tensor) => random.uniform(key, [5], { minval: 0, maxval: m }).sum())(
      numpy.array(3),
    );
    expect(g.item()).toBeCloseTo(
      unit.reduce((a, b) => a + b, 0),
      5,
    );
  });

  test('normal: mean 0, variance 1, 68.3% within one standard deviation', () => {
    const z = values(random.normal(random.key(4), [N]));
    // sd of the mean 1/sqrt(N) = 0.016; of the variance sqrt(2/N) = 0.022; of the 68.27% frequency 0.0074.
    expect(Math.abs(mean(z))).toBeLessThan(0.08);
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.12);
    const within = z.filter((x) => Math.abs(x) < 1).length / N;
    expect(Math.abs(within - 0.6827)).toBeLessThan(frequencyBound(0.6827, N));
    expect(z.every(Number.isFinite)).toBe(true);
  });

  test('truncatedNormal: strictly inside the bounds, with the truncated variance', () => {
    const z = values(random.truncatedNormal(random.key(5), -1, 1, [N]));
    expect(z.every((x) => x > -1 && x < 1)).toBe(true);
    // Variance of N(0, 1) truncated to (-1, 1): 1 - 2 phi(1) / (Phi(1) - Phi(-1)) = 0.29112; the
    // sd of the sample variance is below sqrt(E[x^4] / N) < 0.016 (|x| < 1).
    expect(Math.abs(mean(z))).toBeLessThan(5 * Math.sqrt(0.2912 / N));
    expect(Math.abs(variance(z) - 0.29112)).toBeLessThan(0.08);
    // Far in a tail the samples still respect the open interval, per element with tensor bounds.
    const tail = random.truncatedNormal(
      random.key(6),
      numpy.array([3, -2]),
      numpy.array([3.5, -1.9]),
      [100, 2],
    );
    const rows = tail.tolist() as number[][];
    expect(rows.every(([a, b]) => a! > 3 && a! < 3.5 && b! > -2 && b! < -1.9)).toBe(true);
  });

  test('bernoulli: frequency p, broadcasting per-element probabilities', () => {
    const b = values(random.bernoulli(random.key(8), 0.3, [N]));
    expect(Math.abs(mean(b) - 0.3)).toBeLessThan(frequencyBound(0.3, N));
    const perColumn = random
      .bernoulli(random.key(9), numpy.array([0, 0.5, 1]), [N / 4, 3])
      .tolist() as boolean[][];
    expect(perColumn.every((r) => r[0] === false && r[2] === true)).toBe(true);
    const half = perColumn.filter((r) => r[1]).length / (N / 4);
    expect(Math.abs(half - 0.5)).toBeLessThan(frequencyBound(0.5, N / 4));
  });

  test('randint: in [minval, maxval), every value, uniformly; minval alone where the range is empty', () => {
    const r = values(random.randint(random.key(10), [3000], 3, 9));
    expect(Math.min(...r)).toBe(3);
    expect(Math.max(...r)).toBe(8);
    const c = counts(
      r.map((x) => x - 3),
      6,
    );
    // Each count ~ Binomial(3000, 1/6): sd 20.4.
    for (const k of c) expect(Math.abs(k - 500)).toBeLessThan(102);
    // Negative ranges, per-element bounds, and (as in JAX) minval where maxval <= minval.
    const perElement = random.randint(
      random.key(11),
      [500, 3],
      numpy.array([-5, 0, 4], { dtype: 'int32' }),
      numpy.array([-3, 1, 2], { dtype: 'int32' }),
    );
    const rows = perElement.tolist() as number[][];
    expect(rows.every(([a, b, c2]) => (a === -5 || a === -4) && b === 0 && c2 === 4)).toBe(true);
    // The full int32 range: maxval 2 ** 31 lets the largest int32 be drawn (span wraps to 2^32).
    const wide = values(random.randint(random.key(12), [N], -(2 ** 31), 2 ** 31));
    expect(wide.some((x) => x < -(2 ** 30))).toBe(true);
    expect(wide.some((x) => x > 2 ** 30)).toBe(true);
  });

  test('categorical: frequencies follow softmax(logits), over any axis and with leading sample dimensions', () => {
    const p = [0.1, 0.2, 0.7];
    const logits = numpy.log(numpy.array(p)).sub(42); // unnormalised, as in JAX's test
    const draws = random.categorical(random.key(13), logits, { shape: [N] });
    expect(draws.dtype).toBe('int32');
    const c = counts(values(draws), 3);
    c.forEach((k, i) => expect(Math.abs(k / N - p[i]!)).toBeLessThan(frequencyBound(p[i]!, N)));
    // Two distributions along axis 0 (columns): [0.5, 0.5] and [0.1, 0.9].
    const columns = numpy.log(
      numpy.array([
        [0.5, 0.1],
        [0.5, 0.9],
      ]),
    );
    const both = random
      .categorical(random.key(14), columns, { axis: 0, shape: [N / 2, 2] })
      .tolist() as number[][];
    const firstOnes = both.filter((r) => r[0] === 1).length / (N / 2);
    const secondOnes = both.filter((r) => r[1] === 1).length / (N / 2);
    expect(Math.abs(firstOnes - 0.5)).toBeLessThan(frequencyBound(0.5, N / 2));
    expect(Math.abs(secondOnes - 0.9)).toBeLessThan(frequencyBound(0.9, N / 2));
    // A category with zero probability is never drawn.
    const certain = random.categorical(random.key(15), numpy.log(numpy.array([0, 1, 0])), {
      shape: [200],
    });
    expect(values(certain).every((x) => x === 1)).toBe(true);
    expect(random.categorical(random.key(16), numpy.zeros([4, 5])).shape).toEqual([4]);
  });

  test("gumbel: mean is Euler's constant, variance pi^2 / 6", () => {
    const g = values(random.gumbel(random.key(17), [N]));
    // sd of the mean sqrt(1.645 / N) = 0.020; the variance's sd is sqrt((mu4 - sigma^4) / N) with
    // mu4 = 5.4 sigma^4: sqrt(4.4 * 2.706 / N) = 0.055.
    expect(Math.abs(mean(g) - 0.5772)).toBeLessThan(0.1);
    expect(Math.abs(variance(g) - Math.PI ** 2 / 6)).toBeLessThan(0.28);
  });
});
