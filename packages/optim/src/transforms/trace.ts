/** `trace`: momentum, as Optax's `trace`. */
import type { Tensor } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import { mapTensors, zerosLike } from '../tree-math.js';

/**
 * Options of {@link trace}.
 *
 * @example
 * ```ts
 * const options: TraceOptions = { decay: 0.9, nesterov: true };
 * ```
 */
export interface TraceOptions {
  /** How much of the previous trace each step keeps. */
  decay: number;
  /** Nesterov momentum: the update is `g + decay * trace` rather than the trace. Default `false`. */
  nesterov?: boolean;
}

/**
 * The state of {@link trace}: the momentum, shaped like the params.
 *
 * @example
 * ```ts
 * const state: TraceState = trace({ decay: 0.9 }).init({ w: numpy.zeros([2]) });
 * (state.trace as { w: Tensor }).w.tolist(); // [0, 0]
 * ```
 */
export interface TraceState {
  /** The running sum `trace = g + decay * trace`. */
  trace: unknown;
}

/**
 * Momentum (Optax's `trace`): keeps `trace = g + decay * trace` and returns it, or with `nesterov`
 * returns `g + decay * trace` (the look-ahead).
 *
 * @example
 * ```ts
 * const t = trace({ decay: 0.5 });
 * let state = t.init({ w: numpy.zeros([1]) });
 * let updates;
 * [updates, state] = t.update({ w: numpy.ones([1]) }, state); // trace 1
 * [updates, state] = t.update({ w: numpy.ones([1]) }, state); // trace 1 + 0.5
 * updates.w.tolist(); // [1.5]
 * ```
 */
export function trace(options: TraceOptions): GradientTransformation<TraceState> {
  const { decay, nesterov = false } = options;
  if (typeof decay !== 'number' || !Number.isFinite(decay)) {
    throw new TypeError(`trace: \`decay\` must be a finite number, found ${String(decay)}`);
  }
  return {
    init: (params) => ({ trace: zerosLike('trace', params) }),
    update: (updates, state) => {
      const next = mapTensors((g, t) => g.add(t.mul(decay)), updates, state.trace);
      const out = nesterov
        ? mapTensors((g, t: Tensor) => g.add(t.mul(decay)), updates, next)
        : next;
      return [out, { trace: next }];
    },
  };
}
