/** `addDecayedWeights`: decoupled weight decay, as Optax's `add_decayed_weights`. */
import { TensorError } from '@equinox-ts/autodiff';
import { checkScalarOrSchedule } from '../schedules/schedule.js';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { checkTensors, mapTensors } from '../tree-math.js';
import { type Mask, masked } from './masked.js';

/**
 * Options of {@link addDecayedWeights}.
 *
 * @example
 * ```ts
 * const options: AddDecayedWeightsOptions = { mask: { w: true, b: false } };
 * ```
 */
export interface AddDecayedWeightsOptions {
  /** Which params to decay (see {@link Mask}); default all. */
  mask?: Mask;
}

/**
 * Adds `weightDecay * params` to the updates (Optax's `add_decayed_weights`): decoupled weight decay,
 * as in AdamW, when placed before the learning rate. Needs `params` in `update`.
 *
 * @example
 * ```ts
 * const t = addDecayedWeights(0.1);
 * const params = { w: numpy.array([10, 20]) };
 * const [updates] = t.update({ w: numpy.zeros([2]) }, t.init(params), params);
 * updates.w.tolist(); // [1, 2]
 * ```
 */
export function addDecayedWeights(
  weightDecay: number,
  options: AddDecayedWeightsOptions = {},
): GradientTransformation<EmptyState> {
  checkScalarOrSchedule('addDecayedWeights', 'weightDecay', weightDecay);
  const plain: GradientTransformation<EmptyState> = {
    init: () => ({}),
    update: (updates, state, params) => {
      if (params === undefined) {
        throw new TensorError(
          'addDecayedWeights',
          'update needs the params (update(updates, state, params))',
        );
      }
      checkTensors('addDecayedWeights', 'params', params);
      return [mapTensors((u, p) => u.add(p.mul(weightDecay)), updates, params), state];
    },
  };
  return options.mask === undefined ? plain : masked(plain, options.mask);
}
