/** `sgdrSchedule`: SGD with warm restarts (Loshchilov & Hutter, 2017), as Optax's `sgdr_schedule`. */
import { TensorError } from '@equinox-ts/autodiff';
import { type TensorSchedule, checkSteps, describeValue, isList } from './arguments.js';
import { type WarmupCosineDecayScheduleOptions, warmupCosineDecay } from './cosine.js';
import { join } from './join.js';

/**
 * One cycle of {@link sgdrSchedule}: the arguments of {@link warmupCosineDecaySchedule} by name, as
 * Optax's `cosine_kwargs` dicts. `decaySteps` is the cycle's whole length, warmup included.
 *
 * @example
 * ```ts
 * const cycle: SgdrCycle = { initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10 };
 * sgdrSchedule([cycle, cycle])(12).item(); // 1
 * ```
 */
export interface SgdrCycle extends WarmupCosineDecayScheduleOptions {
  /** The value at the cycle's first step. */
  initValue: number;
  /** The value at the end of the warmup. */
  peakValue: number;
  /** Steps of linear warmup. */
  warmupSteps: number;
  /** The cycle's length in steps, warmup included. */
  decaySteps: number;
}

/**
 * Warm restarts (Optax's `sgdr_schedule`): one {@link warmupCosineDecaySchedule} per cycle, each
 * starting where the previous one's `decaySteps` end, so the first step of a cycle is its
 * `initValue` again. After the last cycle its `endValue` holds.
 *
 * @example
 * ```ts
 * const schedule = sgdrSchedule([
 *   { initValue: 1, peakValue: 1, warmupSteps: 0, decaySteps: 4 },
 *   { initValue: 0.5, peakValue: 0.5, warmupSteps: 0, decaySteps: 4 },
 * ]);
 * schedule(0).item(); // 1
 * schedule(3).item() < 0.2; // true
 * schedule(4).item(); // 0.5
 * schedule(8).item(); // 0
 * ```
 */
export function sgdrSchedule(cosineKwargs: readonly SgdrCycle[]): TensorSchedule {
  const op = 'sgdrSchedule';
  if (!isList(cosineKwargs) || cosineKwargs.length === 0) {
    throw new TensorError(
      op,
      `\`cosineKwargs\` must be a non-empty array of cycles, found ${describeValue(cosineKwargs)}`,
    );
  }
  const boundaries: number[] = [];
  let end = 0;
  const cycles = cosineKwargs.map((cycle, i) => {
    if (typeof cycle !== 'object' || cycle === null) {
      throw new TensorError(
        op,
        `\`cosineKwargs[${i}]\` must be an object, found ${describeValue(cycle)}`,
      );
    }
    const { initValue, peakValue, warmupSteps, decaySteps, ...options } = cycle;
    checkSteps(op, `cosineKwargs[${i}].decaySteps`, decaySteps, 1);
    end += decaySteps;
    boundaries.push(end);
    return warmupCosineDecay(
      `${op} (cycle ${i})`,
      initValue,
      peakValue,
      warmupSteps,
      decaySteps,
      options,
    );
  });
  return join(op, cycles, boundaries.slice(0, -1));
}
