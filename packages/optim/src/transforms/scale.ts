/** `scale`, `scaleByLearningRate` and `scaleBySchedule`: multiply the updates by a factor. */
import type { Tensor } from '@equinox-ts/autodiff';
import {
  type ScalarOrSchedule,
  type Schedule,
  checkScalarOrSchedule,
} from '../schedules/schedule.js';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { incrementCount, mapTensors, zeroCount } from '../tree-math.js';

/**
 * Multiplies every update by `step` (Optax's `scale`).
 *
 * @example
 * ```ts
 * const [updates] = scale(-0.5).update({ w: numpy.array([2, 4]) }, {});
 * updates.w.tolist(); // [-1, -2]
 * ```
 */
export function scale(step: number | Tensor): GradientTransformation<EmptyState> {
  checkScalarOrSchedule('scale', 'step', step);
  return {
    init: () => ({}),
    update: (updates, state) => [mapTensors((u) => u.mul(step), updates), state],
  };
}

/**
 * The state of {@link scaleBySchedule}: the number of updates so far.
 *
 * @example
 * ```ts
 * const state: ScaleByScheduleState = scaleBySchedule(() => 1).init({});
 * state.count.item(); // 0
 * ```
 */
export interface ScaleByScheduleState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
}

/**
 * Multiplies the updates by `schedule(count)`, where `count` is the number of updates so far (Optax's
 * `scale_by_schedule`).
 *
 * @example
 * ```ts
 * const t = scaleBySchedule((count) => count.add(1)); // 1, 2, 3, ...
 * let state = t.init({ w: numpy.ones([1]) });
 * let updates;
 * [updates, state] = t.update({ w: numpy.ones([1]) }, state);
 * [updates, state] = t.update({ w: numpy.ones([1]) }, state);
 * updates.w.tolist(); // [2]
 * ```
 */
export function scaleBySchedule(schedule: Schedule): GradientTransformation<ScaleByScheduleState> {
  if (typeof schedule !== 'function') {
    throw new TypeError(
      `scaleBySchedule: \`schedule\` must be a function of the step count, found ${typeof schedule}`,
    );
  }
  return {
    init: () => ({ count: zeroCount() }),
    update: (updates, state) => {
      const factor = schedule(state.count);
      return [mapTensors((u) => u.mul(factor), updates), { count: incrementCount(state.count) }];
    },
  };
}

/**
 * Options of {@link scaleByLearningRate}.
 *
 * @example
 * ```ts
 * const options: ScaleByLearningRateOptions = { flipSign: false };
 * ```
 */
export interface ScaleByLearningRateOptions {
  /** Multiply by `-learningRate` (descent), as the optimisers need. Default `true`. */
  flipSign?: boolean;
}

/**
 * Multiplies the updates by `-learningRate` (Optax's `scale_by_learning_rate`): the last link of most
 * optimisers. A constant keeps no state (as {@link scale}); a schedule of the step count keeps the
 * count (as {@link scaleBySchedule}).
 *
 * @example
 * ```ts
 * const [updates] = scaleByLearningRate(0.5).update({ w: numpy.array([1, 2]) }, {});
 * updates.w.tolist(); // [-0.5, -1]
 * ```
 */
export function scaleByLearningRate(
  learningRate: ScalarOrSchedule,
  options: ScaleByLearningRateOptions = {},
): GradientTransformation<EmptyState | ScaleByScheduleState> {
  checkScalarOrSchedule('scaleByLearningRate', 'learningRate', learningRate);
  const sign = (options.flipSign ?? true) ? -1 : 1;
  if (typeof learningRate !== 'function') {
    return scale(typeof learningRate === 'number' ? sign * learningRate : learningRate.mul(sign));
  }
  return scaleBySchedule((count) => {
    const rate = learningRate(count);
    return typeof rate === 'number' ? sign * rate : rate.mul(sign);
  });
}
