/** `scaleByLion`: the sign-of-momentum direction of Lion, as Optax's `scale_by_lion`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../transform.js';
import { incrementCount, mapTensors, updateMoment, zeroCount, zerosLike } from '../tree-math.js';
import { checkInRange } from './trust-checks.js';

/**
 * Options of {@link scaleByLion}.
 *
 * @example
 * ```ts
 * const options: ScaleByLionOptions = { b1: 0.95, b2: 0.98 };
 * options.b2; // 0.98
 * ```
 */
export interface ScaleByLionOptions {
  /** How much of the momentum the signed direction mixes with the gradient. Default `0.9`. */
  b1?: number;
  /** Decay of the momentum kept in the state. Default `0.99`. */
  b2?: number;
}

/**
 * The state of {@link scaleByLion}: the step count and the momentum, shaped like the params.
 *
 * @example
 * ```ts
 * const state: ScaleByLionState = scaleByLion().init({ w: numpy.zeros([2]) });
 * state.count.item(); // 0
 * ```
 */
export interface ScaleByLionState {
  /** Steps taken, an int32 scalar. */
  count: Tensor;
  /** The momentum `mu = b2 * mu + (1 - b2) * g`. */
  mu: unknown;
}

/**
 * Lion's direction (Optax's `scale_by_lion`): returns `sign((1 - b1) * g + b1 * mu)`, then keeps
 * `mu = b2 * mu + (1 - b2) * g`. Every entry of the result is -1, 0 or 1, so the step size is set by
 * the learning rate alone.
 *
 * @example
 * ```ts
 * const t = scaleByLion({ b1: 0.5, b2: 0.5 });
 * let state = t.init({ w: numpy.zeros([2]) });
 * let updates;
 * [updates, state] = t.update({ w: numpy.array([3, -2]) }, state); // mu = [1.5, -1]
 * updates.w.tolist(); // [1, -1]
 * [updates, state] = t.update({ w: numpy.array([-1, -1]) }, state); // 0.5*[-1,-1] + 0.5*mu
 * updates.w.tolist(); // [1, -1]
 * ```
 */
export function scaleByLion(
  options: ScaleByLionOptions = {},
): GradientTransformation<ScaleByLionState> {
  const { b1 = 0.9, b2 = 0.99 } = options;
  checkInRange('scaleByLion', 'b1', b1, 0, 1);
  checkInRange('scaleByLion', 'b2', b2, 0, 1);
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike('scaleByLion', params) }),
    update: (updates, state) => {
      // The direction uses the momentum from before this step; the stored one moves afterwards.
      const direction = mapTensors(
        (g, m) => numpy.sign(g.mul(1 - b1).add(m.mul(b1))),
        updates,
        state.mu,
      );
      const mu = updateMoment(updates, state.mu as typeof updates, b2, 1);
      return [direction, { count: incrementCount(state.count), mu }];
    },
  };
}
