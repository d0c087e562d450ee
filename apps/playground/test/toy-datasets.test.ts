// The toy datasets: class counts and order, reproducibility, and, without noise, points exactly on the
// curves the documentation names (spiral arms, one the other turned by pi; the two half circles).
import { SPIRAL_MIN_RADIUS, SPIRAL_TURNS, makeToyData } from '../src/data/toy-datasets.js';

const pointsOf = (points: Float32Array) =>
  Array.from(
    { length: points.length / 2 },
    (_, i) => [points[2 * i]!, points[2 * i + 1]!] as const,
  );

// An angle wrapped to (-pi, pi].
const wrap = (angle: number) => Math.atan2(Math.sin(angle), Math.cos(angle));

test.each(['spirals', 'moons'] as const)('%s: perClass of each class, class 0 first', (name) => {
  const { points, labels } = makeToyData(name, 40, 1);
  expect(points).toBeInstanceOf(Float32Array);
  expect(points.length).toBe(160);
  expect(Array.from(labels)).toEqual([
    ...new Array<number>(40).fill(0),
    ...new Array<number>(40).fill(1),
  ]);
  expect(points.every(Number.isFinite)).toBe(true);
});

test.each(['spirals', 'moons'] as const)('%s: the same seed gives the same points', (name) => {
  expect(makeToyData(name, 30, 7)).toEqual(makeToyData(name, 30, 7));
  expect(makeToyData(name, 30, 7).points).not.toEqual(makeToyData(name, 30, 8).points);
});

test('spirals without noise: radius in [0.15, 1], angle 3 pi r, class 1 turned by pi', () => {
  const { points, labels } = makeToyData('spirals', 200, 3, 0);
  const radii: number[] = [];
  pointsOf(points).forEach(([x, y], i) => {
    const radius = Math.hypot(x, y);
    radii.push(radius);
    expect(radius).toBeGreaterThanOrEqual(SPIRAL_MIN_RADIUS - 1e-6);
    expect(radius).toBeLessThanOrEqual(1 + 1e-6);
    const arm = 2 * Math.PI * SPIRAL_TURNS * radius;
    // Class 1's point turned back by pi lies on class 0's arm.
    const [x0, y0] = labels[i] === 1 ? [-x, -y] : [x, y];
    expect(Math.abs(wrap(Math.atan2(y0, x0) - arm))).toBeLessThan(1e-5);
  });
  // The arm is covered from end to end: 1.5 turns.
  expect(Math.min(...radii)).toBeLessThan(0.2);
  expect(Math.max(...radii)).toBeGreaterThan(0.95);
});

test('moons without noise: class 0 on the upper half circle at (-1/3, -1/6), class 1 on the lower one at (1/3, 1/6), radius 2/3', () => {
  const { points, labels } = makeToyData('moons', 200, 3, 0);
  let xLow = Infinity;
  let xHigh = -Infinity;
  pointsOf(points).forEach(([x, y], i) => {
    const [cx, cy, side] = labels[i] === 0 ? [-1 / 3, -1 / 6, 1] : [1 / 3, 1 / 6, -1];
    expect(Math.hypot(x - cx, y - cy)).toBeCloseTo(2 / 3, 5);
    // Upper half for class 0, lower half for class 1.
    expect(side * (y - cy)).toBeGreaterThanOrEqual(-1e-6);
    expect(Math.abs(x)).toBeLessThanOrEqual(1 + 1e-6);
    expect(Math.abs(y)).toBeLessThanOrEqual(0.5 + 1e-6);
    xLow = Math.min(xLow, x);
    xHigh = Math.max(xHigh, x);
  });
  // Together the moons span x from -1 to 1, as scaled.
  expect(xLow).toBeLessThan(-0.95);
  expect(xHigh).toBeGreaterThan(0.95);
});

test.each([
  ['spirals', 0.04],
  ['moons', 0.08],
] as const)('%s: the default noise is %p, the spread about the noiseless points', (name, noise) => {
  const clean = makeToyData(name, 2000, 12, 0).points;
  // Same seed: the same positions along the curves, with the noise drawn between them.
  const noisy = makeToyData(name, 2000, 12).points;
  const noisier = makeToyData(name, 2000, 12, 0.2).points;
  const spread = (points: Float32Array) =>
    Math.sqrt(points.reduce((sum, value, i) => sum + (value - clean[i]!) ** 2, 0) / points.length);
  expect(Math.abs(spread(noisy) - noise) / noise).toBeLessThan(0.05);
  expect(Math.abs(spread(noisier) - 0.2) / 0.2).toBeLessThan(0.05);
  // Everything stays near [-1, 1]^2.
  expect(noisy.every((value) => Math.abs(value) < 1 + 6 * noise)).toBe(true);
});

test('makeToyData refuses unknown names, bad counts and bad noise', () => {
  expect(() => makeToyData('circles' as 'moons', 10, 0)).toThrow(
    'makeToyData: name must be "spirals" or "moons", found "circles"',
  );
  expect(() => makeToyData('moons', 0, 0)).toThrow(
    'makeToyData: perClass must be a positive integer, found 0',
  );
  expect(() => makeToyData('spirals', 10, 0, -1)).toThrow(
    'makeToyData: noise must be a finite number >= 0, found -1',
  );
});
