// Seeded randomness: reproducible, uniform in [0, 1), shuffles that are permutations with every order
// about equally likely, and normal draws with the standard normal's moments.
import { normal, seededRandom, shuffled } from '../src/data/random.js';

const draws = (random: () => number, n: number) => Array.from({ length: n }, () => random());

test('the same seed gives the same sequence, another seed another one', () => {
  expect(draws(seededRandom(42), 20)).toEqual(draws(seededRandom(42), 20));
  expect(draws(seededRandom(42), 20)).not.toEqual(draws(seededRandom(43), 20));
  // The seed is taken as a uint32: 2^32 + 42 is 42.
  expect(draws(seededRandom(2 ** 32 + 42), 5)).toEqual(draws(seededRandom(42), 5));
});

test('draws are in [0, 1) and spread evenly over ten bins', () => {
  const n = 100_000;
  const values = draws(seededRandom(7), n);
  expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  const bins = new Array<number>(10).fill(0);
  for (const value of values) bins[Math.floor(value * 10)]!++;
  // Each bin's count is binomial(n, 0.1): standard deviation sqrt(n * 0.09) ~ 95; allow 5 of them.
  for (const count of bins) expect(Math.abs(count - n / 10)).toBeLessThan(5 * 95);
  // Consecutive draws are uncorrelated: the lag-1 correlation is ~0 (standard error 1/sqrt(n)).
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n - 1; i++) covariance += (values[i]! - mean) * (values[i + 1]! - mean);
  for (const value of values) variance += (value - mean) ** 2;
  expect(Math.abs(covariance / variance)).toBeLessThan(5 / Math.sqrt(n));
});

test('shuffled is a permutation of 0..n-1, and reproducible', () => {
  const order = shuffled(1000, seededRandom(3));
  expect(order).toBeInstanceOf(Int32Array);
  expect(Array.from(order).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 1000 }, (_, i) => i),
  );
  expect(order).toEqual(shuffled(1000, seededRandom(3)));
  expect(order).not.toEqual(Int32Array.from({ length: 1000 }, (_, i) => i));
  expect(Array.from(shuffled(0, seededRandom(1)))).toEqual([]);
  expect(Array.from(shuffled(1, seededRandom(1)))).toEqual([0]);
});

test('each of the 6 orders of 3 items comes up about 1/6 of the time', () => {
  const random = seededRandom(11);
  const counts = new Map<string, number>();
  const n = 60_000;
  for (let i = 0; i < n; i++) {
    const key = Array.from(shuffled(3, random)).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
  // Binomial(n, 1/6): standard deviation sqrt(n * 5/36) ~ 91; allow 5 of them.
  for (const count of counts.values()) expect(Math.abs(count - n / 6)).toBeLessThan(5 * 91);
});

test('normal draws have mean 0, variance 1, and 68.3% of them within one standard deviation', () => {
  const random = seededRandom(5);
  const n = 100_000;
  const values = draws(() => normal(random), n);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const withinOne = values.filter((v) => Math.abs(v) < 1).length / n;
  const withinTwo = values.filter((v) => Math.abs(v) < 2).length / n;
  // Standard errors: mean 1/sqrt(n) ~ 0.003, variance sqrt(2/n) ~ 0.0045, fractions ~ 0.0015.
  expect(Math.abs(mean)).toBeLessThan(0.015);
  expect(Math.abs(variance - 1)).toBeLessThan(0.025);
  // P(|Z| < 1) = erf(1/sqrt 2) = 0.6827, P(|Z| < 2) = 0.9545.
  expect(Math.abs(withinOne - 0.6827)).toBeLessThan(0.0075);
  expect(Math.abs(withinTwo - 0.9545)).toBeLessThan(0.0035);
  expect(values.every(Number.isFinite)).toBe(true);
});
