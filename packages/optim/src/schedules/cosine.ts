/**
 * `cosineDecaySchedule` and `warmupCosineDecaySchedule`: cosine annealing (Loshchilov & Hutter,
 * SGDR, 2017), as Optax's schedules of the same names.
 */
import { TensorError, numpy } from '@equinox-ts/autodiff';
import { type TensorSchedule, checkFinite, checkSteps, countTensor } from './arguments.js';
import { join } from './join.js';
import { linearSchedule } from './linear.js';

/**
 * Options of {@link cosineDecaySchedule}.
 *
 * @example
 * ```ts
 * const options: CosineDecayScheduleOptions = { alpha: 0.5 };
 * cosineDecaySchedule(2, 10, options)(10).item(); // 1
 * ```
 */
export interface CosineDecayScheduleOptions {
  /** The final value as a fraction of `initValue`. Default 0. */
  alpha?: number;
  /** The power the cosine factor is raised to. Default 1. */
  exponent?: number;
}

/**
 * Cosine decay from `initValue` to `alpha * initValue` over `decaySteps` steps (Optax's
 * `cosine_decay_schedule`): with `t = min(count, decaySteps)`, the value is
 * `initValue * ((1 - alpha) * (0.5 * (1 + cos(pi * t / decaySteps))) ** exponent + alpha)`.
 * TensorFlow.js users: `tf.keras`'s `CosineDecay`.
 *
 * @example
 * ```ts
 * const schedule = cosineDecaySchedule(1, 4);
 * schedule(0).item(); // 1
 * schedule(2).item().toFixed(6); // '0.500000': cos(pi / 2) is 0 up to float32 rounding
 * schedule(4).item(); // 0
 * schedule(7).item(); // 0
 * ```
 */
export function cosineDecaySchedule(
  initValue: number,
  decaySteps: number,
  options: CosineDecayScheduleOptions = {},
): TensorSchedule {
  return cosineDecay('cosineDecaySchedule', initValue, decaySteps, options);
}

function cosineDecay(
  op: string,
  initValue: number,
  decaySteps: number,
  options: CosineDecayScheduleOptions,
): TensorSchedule {
  const { alpha = 0, exponent = 1 } = options;
  checkFinite(op, 'initValue', initValue);
  checkSteps(op, 'decaySteps', decaySteps, 1);
  checkFinite(op, 'alpha', alpha);
  checkFinite(op, 'exponent', exponent);
  return (count) => {
    const t = numpy.minimum(countTensor(op, count), decaySteps).astype('float32');
    const cosine = numpy
      .cos(t.mul(Math.PI / decaySteps))
      .add(1)
      .mul(0.5);
    // exponent 1 skips `pow`, which some backends compute only approximately.
    const shaped = exponent === 1 ? cosine : cosine.pow(exponent);
    return shaped
      .mul(1 - alpha)
      .add(alpha)
      .mul(initValue);
  };
}

/**
 * Options of {@link warmupCosineDecaySchedule}.
 *
 * @example
 * ```ts
 * const options: WarmupCosineDecayScheduleOptions = { endValue: 0.5 };
 * warmupCosineDecaySchedule(0, 1, 2, 6, options)(6).item(); // 0.5
 * ```
 */
export interface WarmupCosineDecayScheduleOptions {
  /** The value at the end of the decay and after it. Default 0. */
  endValue?: number;
  /** The power the cosine factor is raised to (see {@link cosineDecaySchedule}). Default 1. */
  exponent?: number;
}

/**
 * A linear warmup from `initValue` to `peakValue` over `warmupSteps` steps, then a cosine decay from
 * `peakValue` to `endValue` that ends at step `decaySteps` (Optax's `warmup_cosine_decay_schedule`).
 * `decaySteps` counts the whole schedule, warmup included, so the decay lasts
 * `decaySteps - warmupSteps` steps. Step `warmupSteps` is the peak.
 *
 * @example
 * ```ts
 * const schedule = warmupCosineDecaySchedule(0, 1, 2, 6); // warmup 2 steps, decay 4 steps
 * schedule(1).item(); // 0.5
 * schedule(2).item(); // 1
 * schedule(4).item().toFixed(6); // '0.500000': halfway down
 * schedule(6).item(); // 0
 * ```
 */
export function warmupCosineDecaySchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  decaySteps: number,
  options: WarmupCosineDecayScheduleOptions = {},
): TensorSchedule {
  return warmupCosineDecay(
    'warmupCosineDecaySchedule',
    initValue,
    peakValue,
    warmupSteps,
    decaySteps,
    options,
  );
}

/** {@link warmupCosineDecaySchedule}, with errors naming `op`. */
export function warmupCosineDecay(
  op: string,
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  decaySteps: number,
  options: WarmupCosineDecayScheduleOptions,
): TensorSchedule {
  const { endValue = 0, exponent = 1 } = options;
  checkFinite(op, 'initValue', initValue);
  checkFinite(op, 'peakValue', peakValue);
  checkFinite(op, 'endValue', endValue);
  checkSteps(op, 'warmupSteps', warmupSteps);
  checkSteps(op, 'decaySteps', decaySteps, 1);
  if (!(decaySteps > warmupSteps)) {
    throw new TensorError(
      op,
      `\`decaySteps\` counts the whole schedule, warmup included, so it must exceed \`warmupSteps\`: found ` +
        `decaySteps ${decaySteps} and warmupSteps ${warmupSteps}`,
    );
  }
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return join(
    op,
    [
      linearSchedule(initValue, peakValue, warmupSteps),
      cosineDecay(op, peakValue, decaySteps - warmupSteps, { alpha, exponent }),
    ],
    [warmupSteps],
  );
}
