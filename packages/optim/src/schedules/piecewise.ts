/**
 * `piecewiseConstantSchedule` and `piecewiseInterpolateSchedule`: values scaled at given steps, as
 * Optax's schedules of the same names.
 */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import {
  type TensorSchedule,
  checkFinite,
  checkIncreasing,
  countTensor,
  describeValue,
} from './arguments.js';

/**
 * Steps and the factor the value is multiplied by from each of them on: an object `{ step: scale }`
 * (as Optax's dict; its keys are taken in increasing order) or a list of `[step, scale]` pairs, whose
 * steps must strictly increase. Steps are non-negative integers, scales non-negative numbers.
 *
 * @example
 * ```ts
 * const asObject: BoundariesAndScales = { 100: 0.1, 200: 0.1 };
 * const asPairs: BoundariesAndScales = [[100, 0.1], [200, 0.1]];
 * piecewiseConstantSchedule(1, asPairs)(200).item() === piecewiseConstantSchedule(1, asObject)(200).item(); // true
 * ```
 */
export type BoundariesAndScales =
  Readonly<Record<number, number>> | readonly (readonly [number, number])[];

/** The boundaries (increasing) and scales, checked. */
function readBoundaries(
  op: string,
  given: BoundariesAndScales | undefined,
): { boundaries: number[]; scales: number[] } {
  if (given === undefined) return { boundaries: [], scales: [] };
  if (typeof given !== 'object' || given === null) {
    throw new TensorError(
      op,
      `\`boundariesAndScales\` must be an object { step: scale } or a list of [step, scale] pairs, found ${describeValue(given)}`,
    );
  }
  let pairs: [number, number][];
  if (Array.isArray(given)) {
    pairs = (given as unknown[]).map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TensorError(
          op,
          `\`boundariesAndScales[${i}]\` must be a [step, scale] pair, found ${describeValue(pair)}`,
        );
      }
      return [pair[0], pair[1]] as [number, number];
    });
  } else {
    // Object keys are strings: an integer key has a canonical spelling, anything else is refused.
    pairs = Object.entries(given).map(([key, scale]) => {
      const step = Number(key);
      if (!Number.isInteger(step) || step < 0 || String(step) !== key) {
        throw new TensorError(
          op,
          `\`boundariesAndScales\` keys must be non-negative integer steps, found '${key}'`,
        );
      }
      return [step, scale] as [number, number];
    });
    pairs.sort((a, b) => a[0] - b[0]);
  }
  const boundaries = pairs.map(([step]) => step);
  checkIncreasing(op, 'boundariesAndScales', boundaries);
  const scales = pairs.map(([step, scale]) => {
    checkFinite(op, `scale at step ${step}`, scale);
    if (scale < 0) {
      throw new TensorError(op, `scales must be non-negative, found ${scale} at step ${step}`);
    }
    return scale;
  });
  return { boundaries, scales };
}

/**
 * A piecewise constant schedule (Optax's `piecewise_constant_schedule`): `initValue` times the scales
 * of every boundary reached so far. A boundary step already has the new value: with `{ 10: 0.1 }`,
 * step 9 is `initValue` and step 10 is `0.1 * initValue`. TensorFlow.js users: `tf.keras`'s
 * `PiecewiseConstantDecay` (given values rather than factors).
 *
 * @example
 * ```ts
 * const schedule = piecewiseConstantSchedule(1, { 10: 0.5, 20: 0.5 });
 * schedule(9).item(); // 1
 * schedule(10).item(); // 0.5
 * schedule(25).item(); // 0.25
 * ```
 */
export function piecewiseConstantSchedule(
  initValue: number,
  boundariesAndScales?: BoundariesAndScales,
): TensorSchedule {
  const op = 'piecewiseConstantSchedule';
  checkFinite(op, 'initValue', initValue);
  const { boundaries, scales } = readBoundaries(op, boundariesAndScales);
  return (count) => {
    const step = countTensor(op, count);
    let value: Tensor = numpy.array(initValue);
    boundaries.forEach((boundary, i) => {
      value = numpy.where(step.ge(boundary), value.mul(scales[i]!), value);
    });
    return value;
  };
}

/**
 * How {@link piecewiseInterpolateSchedule} moves between values: a straight line or a half cosine.
 *
 * @example
 * ```ts
 * const kind: InterpolateType = 'cosine';
 * piecewiseInterpolateSchedule(kind, 1, { 10: 0 })(5).item().toFixed(6); // '0.500000'
 * ```
 */
export type InterpolateType = 'linear' | 'cosine';

/**
 * A schedule through the values `initValue`, `initValue * s1`, `initValue * s1 * s2`, ... reached at
 * step 0 and at each boundary, moving between them linearly or along a half cosine (Optax's
 * `piecewise_interpolate_schedule`). After the last boundary it holds the last value.
 *
 * @example
 * ```ts
 * const schedule = piecewiseInterpolateSchedule('linear', 1, { 4: 0.5, 8: 0.5 }); // 1, then 0.5, then 0.25
 * schedule(2).item(); // 0.75
 * schedule(4).item(); // 0.5
 * schedule(6).item(); // 0.375
 * schedule(30).item(); // 0.25
 * ```
 */
export function piecewiseInterpolateSchedule(
  interpolateType: InterpolateType,
  initValue: number,
  boundariesAndScales?: BoundariesAndScales,
): TensorSchedule {
  return piecewiseInterpolate(
    'piecewiseInterpolateSchedule',
    interpolateType,
    initValue,
    boundariesAndScales,
  );
}

/** {@link piecewiseInterpolateSchedule}, with errors naming `op`. */
export function piecewiseInterpolate(
  op: string,
  interpolateType: InterpolateType,
  initValue: number,
  boundariesAndScales?: BoundariesAndScales,
): TensorSchedule {
  if (interpolateType !== 'linear' && interpolateType !== 'cosine') {
    throw new TensorError(
      op,
      `\`interpolateType\` must be 'linear' or 'cosine', found ${String(interpolateType)}`,
    );
  }
  checkFinite(op, 'initValue', initValue);
  const { boundaries, scales } = readBoundaries(op, boundariesAndScales);
  const starts = [0, ...boundaries];
  const values = [initValue];
  scales.forEach((s) => values.push(values[values.length - 1]! * s));
  return (count) => {
    const step = countTensor(op, count);
    // Each interval [starts[i], starts[i + 1]) contributes where the step lies in it; the last value
    // holds from the last boundary on. Before step 0 nothing does, as in Optax.
    let value: Tensor = numpy.where(
      step.ge(starts[starts.length - 1]!),
      values[values.length - 1]!,
      0,
    );
    boundaries.forEach((end, i) => {
      const [start, from, to] = [starts[i]!, values[i]!, values[i + 1]!];
      const fraction = step
        .sub(start)
        .astype('float32')
        .div(Math.max(end - start, 1));
      const moved =
        interpolateType === 'linear'
          ? fraction.mul(to - from).add(from)
          : numpy
              .cos(fraction.mul(Math.PI))
              .add(1)
              .mul((from - to) / 2)
              .add(to);
      const inside = numpy.logicalAnd(step.ge(start), step.lt(end));
      value = numpy.where(inside, moved, value);
    });
    return value;
  };
}
