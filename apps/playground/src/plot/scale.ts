/**
 * The arithmetic behind the playground's plots, kept apart from the canvas so it can be tested: round
 * axis ticks, the smoothing of a noisy loss curve, and thinning a long series to what is worth drawing.
 */

/**
 * Round tick values covering `[min, max]`: a step of 1, 2 or 5 times a power of ten, chosen so that
 * there are about `count` steps, the first tick at or below `min` and the last at or above `max`.
 * When `min === max`, the range is widened around the value (by 10% of it, or to [-1, 1] for 0).
 *
 * @example
 * ```ts
 * niceTicks(0, 1, 5); // [0, 0.2, 0.4, 0.6, 0.8, 1]
 * ```
 * @throws RangeError when `min` or `max` is not finite, `min > max`, or `count` is not a positive
 *   integer.
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new RangeError(
      `niceTicks: min and max must be finite with min <= max, found min ${min}, max ${max}`,
    );
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`niceTicks: count must be a positive integer, found ${count}`);
  }
  if (min === max) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - half, max + half, count);
  }
  const step = niceStep((max - min) / count);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // Rounding to the step's decimals removes float noise such as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return ticks;
}

// Of the steps 1, 2, 5 and 10 times the power of ten at or below `rough`, the one whose number of
// steps over the range is closest to the number asked for (the ratio rough / step, in log terms).
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  let best = power;
  for (const multiple of [2, 5, 10]) {
    const step = multiple * power;
    if (Math.abs(Math.log(rough / step)) <= Math.abs(Math.log(rough / best))) best = step;
  }
  return best;
}

/**
 * The exponential moving average of `values`, debiased as TensorBoard's smoothing is: value `i` is the
 * average of values `0..i` weighted by `smoothing ** (i - k)`, so the start is not pulled towards 0.
 * `smoothing` 0 returns the values unchanged. Non-finite values are passed through and left out of the
 * average.
 *
 * @throws RangeError when `smoothing` is not in [0, 1).
 */
export function ema(values: readonly number[], smoothing: number): number[] {
  if (!(smoothing >= 0 && smoothing < 1)) {
    throw new RangeError(`ema: smoothing must be in [0, 1), found ${smoothing}`);
  }
  let average = 0;
  // The total weight so far: 1 - smoothing ** (number of values averaged).
  let weight = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    average = smoothing * average + (1 - smoothing) * value;
    weight = smoothing * weight + (1 - smoothing);
    return average / weight;
  });
}

/**
 * At most `max` of `points`, evenly spaced, the first and the last always among them (all of them,
 * copied, when there are no more than `max`).
 *
 * @throws RangeError when `max` is not an integer >= 2.
 */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (!Number.isInteger(max) || max < 2) {
    throw new RangeError(`thin: max must be an integer >= 2, found ${max}`);
  }
  if (points.length <= max) return points.slice();
  // With more points than max, the stride exceeds 1, so the rounded indices are distinct.
  const stride = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => points[Math.round(k * stride)]!);
}
