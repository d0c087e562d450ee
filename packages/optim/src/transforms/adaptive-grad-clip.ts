/** `adaptiveGradClip`: unit-wise clipping relative to the parameter norms, as Optax's `adaptive_grad_clip`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import type { EmptyState, GradientTransformation } from '../transform.js';
import { checkTensors } from '../tree-math.js';
import { checkBound } from './check-bound.js';

/**
 * Options of {@link adaptiveGradClip}.
 *
 * @example
 * ```ts
 * const options: AdaptiveGradClipOptions = { eps: 1e-3, axis: [0, 1, 2, 3] }; // 3-D conv kernels
 * options.axis; // [0, 1, 2, 3]
 * ```
 */
export interface AdaptiveGradClipOptions {
  /** The smallest parameter norm assumed, so zero-initialised params still move. Default `1e-3`. */
  eps?: number;
  /**
   * The axes a unit's norm sums over. By default chosen from the rank, as Optax: the whole tensor for
   * scalars and vectors (or anything with one dimension above 1), axis 0 for rank 2 and 3 (dense
   * weights `[in, out]`, multi-head weights), axes 0-2 for rank 4 (convolution kernels `[H, W, I, O]`).
   */
  axis?: number | number[];
}

/** Each unit's L2 norm, with a shape that broadcasts against `x`; throws for ranks Optax leaves out. */
function unitwiseNorm(x: Tensor, axis: number | number[] | undefined, where: string): Tensor {
  const squares = x.square();
  if (axis !== undefined) return numpy.sqrt(numpy.sum(squares, { axis, keepdims: true }));
  const nonUnit = x.shape.filter((d) => d !== 1).length;
  if (nonUnit <= 1) return numpy.sqrt(numpy.sum(squares, { keepdims: true }));
  if (x.ndim === 2 || x.ndim === 3) {
    return numpy.sqrt(numpy.sum(squares, { axis: 0, keepdims: true }));
  }
  if (x.ndim === 4) return numpy.sqrt(numpy.sum(squares, { axis: [0, 1, 2], keepdims: true }));
  throw new TensorError(
    'adaptiveGradClip',
    `${where} has shape [${x.shape.join(', ')}]; the default units cover ranks 1 to 4, pass \`axis\` for others`,
  );
}

/**
 * Adaptive gradient clipping (Optax's `adaptive_grad_clip`, Brock et al., 2021, from NFNets): each
 * unit's update (an output unit of a layer, see {@link AdaptiveGradClipOptions}) is rescaled so that its
 * norm is at most `clipping * max(||param unit||, eps)`: `g * maxNorm / max(||g||, 1e-6)` where
 * `||g|| >= maxNorm`, otherwise unchanged. Needs `params` in `update`.
 *
 * @example
 * ```ts
 * const t = adaptiveGradClip(0.1);
 * const params = { w: numpy.array([3, 4]) }; // norm 5: updates may have norm 0.5
 * const [updates] = t.update({ w: numpy.array([6, 8]) }, t.init(params), params); // norm 10
 * updates.w.tolist(); // [0.30000001192092896, 0.4000000059604645]
 * ```
 */
export function adaptiveGradClip(
  clipping: number | Tensor,
  options: AdaptiveGradClipOptions = {},
): GradientTransformation<EmptyState> {
  const { eps = 1e-3, axis } = options;
  checkBound('adaptiveGradClip', 'clipping', clipping, 0, true);
  checkBound('adaptiveGradClip', 'eps', eps, 0, true);
  return {
    init: () => ({}),
    update: (updates, state, params) => {
      if (params === undefined) {
        throw new TensorError(
          'adaptiveGradClip',
          'update needs the params (update(updates, state, params))',
        );
      }
      checkTensors('adaptiveGradClip', 'updates', updates);
      checkTensors('adaptiveGradClip', 'params', params);
      const clipped = tree.mapWithPath(
        (path: tree.KeyPath, g: Tensor, p: Tensor) => {
          const where = tree.keystr(path);
          if (g.shape.join() !== p.shape.join()) {
            throw new TensorError(
              'adaptiveGradClip',
              `updates${where} has shape [${g.shape.join(', ')}] but params${where} has [${p.shape.join(', ')}]`,
            );
          }
          const gradNorm = unitwiseNorm(g, axis, `updates${where}`);
          const maxNorm = numpy.maximum(unitwiseNorm(p, axis, `params${where}`), eps).mul(clipping);
          const scaled = g.mul(maxNorm.div(numpy.maximum(gradNorm, 1e-6)));
          return numpy.where(gradNorm.lt(maxNorm), g, scaled);
        },
        updates,
        params,
      );
      return [clipped, state];
    },
  };
}
