/** `cosineOnecycleSchedule`: the one-cycle policy with cosine phases, as Optax's `cosine_onecycle_schedule`. */
import { checkFinite, checkPositive, checkSteps, type TensorSchedule } from './arguments.js';
import { TensorError } from '@equinox-ts/autodiff';
import { piecewiseInterpolate } from './piecewise.js';

/**
 * Options of {@link cosineOnecycleSchedule}.
 *
 * @example
 * ```ts
 * const options: CosineOnecycleScheduleOptions = { pctStart: 0.5, divFactor: 4, finalDivFactor: 2 };
 * cosineOnecycleSchedule(10, 1, options)(0).item(); // 0.25
 * ```
 */
export interface CosineOnecycleScheduleOptions {
  /** The fraction of `transitionSteps` spent rising to `peakValue`. Default 0.3. */
  pctStart?: number;
  /** The first value is `peakValue / divFactor`. Default 25. */
  divFactor?: number;
  /** The last value is `peakValue / (divFactor * finalDivFactor)`. Default 1e4. */
  finalDivFactor?: number;
}

/**
 * The one-cycle policy (Smith & Topin, 2017; Optax's `cosine_onecycle_schedule`): from
 * `peakValue / divFactor` up to `peakValue` at step `floor(pctStart * transitionSteps)`, then down to
 * `peakValue / (divFactor * finalDivFactor)` at step `transitionSteps`, both along half cosines, and
 * constant after.
 *
 * @example
 * ```ts
 * const schedule = cosineOnecycleSchedule(10, 1, { pctStart: 0.5, divFactor: 4, finalDivFactor: 2 });
 * schedule(5).item(); // 1
 * schedule(10).item(); // 0.125
 * ```
 */
export function cosineOnecycleSchedule(
  transitionSteps: number,
  peakValue: number,
  options: CosineOnecycleScheduleOptions = {},
): TensorSchedule {
  const op = 'cosineOnecycleSchedule';
  const { pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options;
  checkSteps(op, 'transitionSteps', transitionSteps, 1);
  checkFinite(op, 'peakValue', peakValue);
  checkFinite(op, 'pctStart', pctStart);
  if (!(pctStart >= 0 && pctStart < 1)) {
    throw new TensorError(op, `\`pctStart\` must be in [0, 1), found ${pctStart}`);
  }
  checkPositive(op, 'divFactor', divFactor);
  checkPositive(op, 'finalDivFactor', finalDivFactor);
  const peakStep = Math.floor(pctStart * transitionSteps);
  return piecewiseInterpolate(op, 'cosine', peakValue / divFactor, [
    [peakStep, divFactor],
    [transitionSteps, 1 / (divFactor * finalDivFactor)],
  ]);
}
