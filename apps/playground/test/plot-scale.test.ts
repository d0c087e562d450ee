// The plots' arithmetic: round ticks covering the range with 1-2-5 steps, TensorBoard-style debiased
// smoothing checked against its weighted-average definition, and thinning that keeps both ends.
import { ema, niceTicks, thin } from '../src/plot/scale.js';

// Whether `step` is 1, 2 or 5 times a power of ten (to float precision).
function isNiceStep(step: number): boolean {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5, 10].some((m) => Math.abs(step / power - m) < 1e-9);
}

describe('niceTicks', () => {
  test('hand-worked cases', () => {
    // Range 1 over 5 steps: 0.2 exactly.
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    // 7 / 5 = 1.4: of 1 and 2, 1 is nearer in ratio (1.4 against 2 / 1.4 ~ 1.43).
    expect(niceTicks(0, 7, 5)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // 11.9 / 4 ~ 2.98: 2 (ratio 1.49) beats 5 (1.68); from floor(-3.2 / 2) = -2 to ceil(8.7 / 2) = 5.
    expect(niceTicks(-3.2, 8.7, 4)).toEqual([-4, -2, 0, 2, 4, 6, 8, 10]);
    // A loss between 0.31 and 2.3: 1.99 / 4 ~ 0.5, itself a round step; the ends round outwards.
    expect(niceTicks(0.31, 2.3, 4)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    // 3600 / 3 = 1200: 1000 (ratio 1.2) beats 2000 (ratio 1.67).
    expect(niceTicks(1200, 4800, 3)).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  test('ticks are exact decimals, not float sums like 0.30000000000000004', () => {
    expect(niceTicks(0.1, 0.7, 6)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(0.0001, 0.0003, 2)).toEqual([0.0001, 0.0002, 0.0003]);
  });

  test('a single value gets a range around it', () => {
    const ticks = niceTicks(2.3, 2.3, 5);
    expect(ticks[0]).toBeLessThan(2.3);
    expect(ticks.at(-1)).toBeGreaterThan(2.3);
    expect(niceTicks(0, 0, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(-50, -50, 4).every((t) => t < 0)).toBe(true);
  });

  test('properties over many ranges: cover, equal 1-2-5 steps, about count steps', () => {
    const cases: [number, number, number][] = [];
    for (let k = 0; k < 300; k++) {
      const scale = 10 ** ((k % 13) - 6);
      const min = Math.sin(k * 12.9898) * scale;
      const max = min + Math.abs(Math.cos(k * 78.233)) * scale + scale * 1e-3;
      cases.push([min, max, 1 + (k % 9)]);
    }
    for (const [min, max, count] of cases) {
      const ticks = niceTicks(min, max, count);
      expect(ticks[0]!).toBeLessThanOrEqual(min);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      const step = ticks[1]! - ticks[0]!;
      expect(isNiceStep(step)).toBe(true);
      for (let i = 1; i < ticks.length; i++) {
        expect(Math.abs(ticks[i]! - ticks[i - 1]! - step)).toBeLessThan(step * 1e-9);
      }
      // The step is within a factor of sqrt(10) of range / count, and ends add at most 2 steps.
      expect(ticks.length - 1).toBeLessThanOrEqual(Math.ceil(count * Math.sqrt(10)) + 2);
      expect(ticks.length - 1).toBeGreaterThanOrEqual(Math.floor(count / Math.sqrt(10)));
    }
  });

  test('refuses reversed or non-finite ranges and a count below 1', () => {
    expect(() => niceTicks(2, 1, 5)).toThrow(
      'niceTicks: min and max must be finite with min <= max, found min 2, max 1',
    );
    expect(() => niceTicks(0, Infinity, 5)).toThrow('found min 0, max Infinity');
    expect(() => niceTicks(0, 1, 0)).toThrow(
      'niceTicks: count must be a positive integer, found 0',
    );
  });
});

describe('ema', () => {
  // The definition: value i is the average of values 0..i weighted by smoothing ** (i - k).
  function weightedAverages(values: number[], smoothing: number): number[] {
    return values.map((_, i) => {
      let total = 0;
      let weights = 0;
      for (let k = 0; k <= i; k++) {
        total += smoothing ** (i - k) * values[k]!;
        weights += smoothing ** (i - k);
      }
      return total / weights;
    });
  }

  test('matches the weighted-average definition', () => {
    const values = Array.from(
      { length: 50 },
      (_, i) => Math.exp(-i / 10) + 0.3 * Math.sin(i * 7.1),
    );
    for (const smoothing of [0.3, 0.6, 0.9, 0.99]) {
      const expected = weightedAverages(values, smoothing);
      ema(values, smoothing).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 12));
    }
  });

  test('hand-worked: [1, 2] at 0.5 is [1, 5/3]; the first value is never pulled towards 0', () => {
    const [first, second] = ema([1, 2], 0.5);
    expect(first).toBeCloseTo(1, 12);
    expect(second).toBeCloseTo(5 / 3, 12);
    expect(ema([3, 3, 3, 3], 0.9).every((v) => Math.abs(v - 3) < 1e-12)).toBe(true);
  });

  test('smoothing 0 is the identity; non-finite values pass through and are skipped', () => {
    expect(ema([4, -1, 7], 0)).toEqual([4, -1, 7]);
    const smoothed = ema([1, NaN, 3], 0.5);
    expect(smoothed[1]).toBeNaN();
    // As if the NaN were not there: ema([1, 3], 0.5)[1] = (0.5 * 1 + 3) / 1.5.
    expect(smoothed[2]).toBeCloseTo(3.5 / 1.5, 12);
    expect(ema([], 0.9)).toEqual([]);
  });

  test('refuses smoothing outside [0, 1)', () => {
    expect(() => ema([1], 1)).toThrow('ema: smoothing must be in [0, 1), found 1');
    expect(() => ema([1], -0.1)).toThrow('found -0.1');
  });
});

describe('thin', () => {
  test('keeps everything up to max, as a copy', () => {
    const points = [1, 2, 3];
    const kept = thin(points, 3);
    expect(kept).toEqual([1, 2, 3]);
    expect(kept).not.toBe(points);
  });

  test('picks max evenly spaced points, first and last included', () => {
    const points = Array.from({ length: 101 }, (_, i) => i);
    // A stride of 100 / 4 = 25.
    expect(thin(points, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(thin(points, 2)).toEqual([0, 100]);
    const many = Array.from({ length: 10_007 }, (_, i) => ({ x: i }));
    const thinned = thin(many, 500);
    expect(thinned).toHaveLength(500);
    expect(thinned[0]).toBe(many[0]);
    expect(thinned.at(-1)).toBe(many.at(-1));
    const gaps = thinned.slice(1).map((p, i) => p.x - thinned[i]!.x);
    // The stride is 10006 / 499 ~ 20.05: gaps of 20 or 21.
    expect(gaps.every((gap) => gap === 20 || gap === 21)).toBe(true);
  });

  test('refuses a max below 2', () => {
    expect(() => thin([1, 2, 3], 1)).toThrow('thin: max must be an integer >= 2, found 1');
  });
});
