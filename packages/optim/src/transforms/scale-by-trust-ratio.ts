/** `scaleByTrustRatio`: the layer-wise trust ratio of LARS and LAMB, as Optax's `scale_by_trust_ratio`. */
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { checkTensors, mapTensors } from '../tree-math.js';
import { checkFinite, requireParams } from './trust-checks.js';

/**
 * Options of {@link scaleByTrustRatio}.
 *
 * @example
 * ```ts
 * const options: ScaleByTrustRatioOptions = { trustCoefficient: 0.001, eps: 1e-9 };
 * options.eps; // 1e-9
 * ```
 */
export interface ScaleByTrustRatioOptions {
  /** Norms below this are raised to it (params and updates alike). Default `0`: no floor. */
  minNorm?: number;
  /** A multiplier on the ratio. Default `1`. */
  trustCoefficient?: number;
  /** Added to the update norm in the denominator. Default `0`. */
  eps?: number;
}

/** `max(‖x‖, minNorm)`, the Euclidean norm of the whole leaf. */
function flooredNorm(x: Tensor, minNorm: number): Tensor {
  const norm = numpy.sqrt(numpy.sum(numpy.square(x)));
  return minNorm > 0 ? numpy.where(norm.lt(minNorm), minNorm, norm) : norm;
}

/**
 * Scales each leaf's update by its trust ratio (Optax's `scale_by_trust_ratio`):
 * `u * trustCoefficient * ‖p‖ / (‖u‖ + eps)`, norms taken over the whole leaf (a layer's weight
 * matrix, say). Where either norm is zero the ratio is 1, so fresh zero-initialised leaves (biases)
 * and zero updates still pass. Needs `params` in `update`.
 *
 * @example
 * ```ts
 * const t = scaleByTrustRatio();
 * const params = { w: numpy.array([3, 4]), b: numpy.zeros([2]) }; // ‖w‖ = 5, ‖b‖ = 0
 * const [updates] = t.update({ w: numpy.array([0, 10]), b: numpy.array([1, 1]) }, t.init(params), params);
 * updates.w.tolist(); // [0, 5]
 * updates.b.tolist(); // [1, 1]
 * ```
 */
export function scaleByTrustRatio(
  options: ScaleByTrustRatioOptions = {},
): GradientTransformation<EmptyState> {
  const { minNorm = 0, trustCoefficient = 1, eps = 0 } = options;
  checkFinite('scaleByTrustRatio', 'minNorm', minNorm, 0);
  checkFinite('scaleByTrustRatio', 'trustCoefficient', trustCoefficient);
  checkFinite('scaleByTrustRatio', 'eps', eps, 0);
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      requireParams('scaleByTrustRatio', params);
      checkTensors('scaleByTrustRatio', 'params', params);
      const scaled = mapTensors(
        (u, p) => {
          const paramNorm = flooredNorm(p, minNorm);
          const updateNorm = flooredNorm(u, minNorm);
          const ratio = paramNorm.mul(trustCoefficient).div(updateNorm.add(eps));
          // A zero norm would give 0 or 0/0: keep the update as it is instead.
          const zeroNorm = numpy.where(paramNorm.eq(0), true, updateNorm.eq(0));
          return u.mul(numpy.where(zeroNorm, 1, ratio));
        },
        updates,
        params,
      );
      return [scaled, state];
    },
  };
}
