/** `scaleByAdadelta`: Adadelta's rescaling of the updates, as Optax's `scale_by_adadelta`. */
import type { GradientTransformation } from '../transform.js';
import { mapTensors, updateMoment, zerosLike } from '../tree-math.js';
import { checkDecay, checkNonNegative } from './adaptive-helpers.js';

/**
 * Options of {@link scaleByAdadelta} (and of `adadelta`).
 *
 * @example
 * ```ts
 * const options: ScaleByAdadeltaOptions = { rho: 0.95, eps: 1e-6 };
 * ```
 */
export interface ScaleByAdadeltaOptions {
  /** Decay of the moving averages of the squared gradients and squared updates, in [0, 1]. Default `0.9`. */
  rho?: number;
  /** Added inside both square roots. Default `1e-6`. */
  eps?: number;
}

/**
 * The state of {@link scaleByAdadelta}.
 *
 * @example
 * ```ts
 * const state: ScaleByAdaDeltaState = scaleByAdadelta().init({ w: numpy.zeros([1]) });
 * Object.keys(state); // ['eG', 'eX']
 * ```
 */
export interface ScaleByAdaDeltaState {
  /** The moving average of the squared gradients, `E[g^2]`. */
  eG: unknown;
  /** The moving average of the squared updates, `E[dx^2]`. */
  eX: unknown;
}

/**
 * Rescales the updates as Adadelta does (Optax's `scale_by_adadelta`; Zeiler, 2012):
 * `eG = rho * eG + (1 - rho) * g^2`, `update = sqrt(eX + eps) / sqrt(eG + eps) * g`, then
 * `eX = rho * eX + (1 - rho) * update^2`: the ratio of the updates' and the gradients' RMS, so the step
 * carries the params' units.
 *
 * @example
 * ```ts
 * // First step: eG = 0.5 * 1 = 0.5, eX = 0: sqrt(0.5) / sqrt(0.5 + 0.5) = 0.7071...
 * const t = scaleByAdadelta({ rho: 0.5, eps: 0.5 });
 * const [updates] = t.update({ w: numpy.array([1]) }, t.init({ w: numpy.zeros([1]) }));
 * Math.round(updates.w.item() * 1e4) / 1e4; // 0.7071
 * ```
 */
export function scaleByAdadelta(
  options: ScaleByAdadeltaOptions = {},
): GradientTransformation<ScaleByAdaDeltaState> {
  const { rho = 0.9, eps = 1e-6 } = options;
  checkDecay('scaleByAdadelta', 'rho', rho, 'closed');
  checkNonNegative('scaleByAdadelta', 'eps', eps);
  return {
    init: (params) => ({
      eG: zerosLike('scaleByAdadelta', params),
      eX: zerosLike('scaleByAdadelta', params),
    }),
    update: (updates, state) => {
      const eG = updateMoment(updates, state.eG as typeof updates, rho, 2);
      const out = mapTensors(
        (g, eg, ex) => ex.add(eps).sqrt().div(eg.add(eps).sqrt()).mul(g),
        updates,
        eG,
        state.eX,
      );
      const eX = updateMoment(out, state.eX as typeof updates, rho, 2);
      return [out, { eG, eX }];
    },
  };
}
