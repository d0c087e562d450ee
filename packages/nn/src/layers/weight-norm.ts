/** `WeightNorm`: a layer's weight reparameterised as magnitude times direction, as `eqx.nn.WeightNorm`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { weightOf, withWeight } from './wrapped-weight.js';

/**
 * Options of {@link WeightNorm}.
 *
 * @example
 * ```ts
 * const options: WeightNormOptions = { weightName: 'weight', axis: null };
 * ```
 */
export interface WeightNormOptions {
  /** The name of the wrapped layer's weight field. Default `'weight'`. */
  weightName?: string;
  /**
   * The norm is taken over every axis except this one (negative counts from the end), so each slice
   * along it gets its own magnitude; `null` takes it over all axes (one magnitude). Default `0`.
   */
  axis?: number | null;
}

/**
 * A layer that {@link WeightNorm} can wrap: its weight is a field, its forward pass `call(x)`.
 *
 * @example
 * ```ts
 * const layer: WeightedLayer = new Linear(2, 2, { key: random.key(0) });
 * layer.call(numpy.ones([2])).shape; // [2]
 * ```
 */
export interface WeightedLayer {
  call(x: Tensor): Tensor;
}

/** The Euclidean norm of `v` over every axis except `axis` (all when null), keeping every dimension. */
function normExceptAxis(v: Tensor, axis: number | null): Tensor {
  const axes = [...v.shape.keys()].filter((d) => axis === null || d !== axis);
  return numpy.sqrt(numpy.sum(v.mul(v), { axis: axes, keepdims: true }));
}

function checkAxis(axis: unknown, ndim: number): number | null {
  if (axis === null) return null;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new TensorError(
      'WeightNorm',
      `\`axis\` must be null or an integer in [${-ndim}, ${ndim - 1}] for a weight of rank ${ndim}, found ${JSON.stringify(axis) ?? typeof axis}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Weight normalisation (Equinox's `eqx.nn.WeightNorm`, Salimans and Kingma, 2016): the wrapped layer's
 * weight `v` is used as `g * v / ||v||`, so the magnitude `g` and the direction `v / ||v||` of each
 * output unit are learnt separately.
 *
 * - `layer`: the layer to wrap, usually a `Linear` or a convolution; it keeps the direction `v` as its
 *   weight field.
 * - `weightName`: the name of that field. Default `'weight'`.
 * - `axis`: the norm `||v||` is over every axis except `axis` (default `0`, the output axis of `Linear`
 *   and the convolutions, so each output unit has its own magnitude), or over all axes when `null`.
 *
 * `g` starts as `||v||` (shape: the weight's, with 1 on every normed axis), so the wrapped layer first
 * computes exactly what it did before. `call(x)` takes whatever the wrapped layer takes and returns what
 * it returns; the key option is accepted for `Sequential` and ignored, as in Equinox.
 *
 * @example
 * ```ts
 * const linear = new Linear(3, 2, { key: random.key(0) });
 * const layer = new WeightNorm(linear);
 * layer.g.shape; // [2, 1]
 * layer.call(numpy.ones([3])).shape; // [2]
 * // g starts as ||v||, so the normalised weight is the original one.
 * numpy.max(numpy.abs(layer.weight().sub(linear.weight))).item() < 1e-6; // true
 * new WeightNorm(linear, { axis: null }).g.shape; // [1, 1]
 * ```
 */
export class WeightNorm<L extends WeightedLayer> extends Module {
  /** The wrapped layer; its weight field holds the direction `v`. */
  layer: L;
  /** The magnitude: one entry per slice along `axis`, 1 on every other axis. */
  g: Tensor;
  weightName: string = field({ static: true });
  axis: number | null = field({ static: true });

  constructor(layer: L, options: WeightNormOptions = {}) {
    super();
    const weightName = options.weightName ?? 'weight';
    const v = weightOf('WeightNorm', layer, weightName);
    const axis = options.axis === undefined ? 0 : options.axis;
    this.layer = layer;
    this.weightName = weightName;
    this.axis = axis;
    this.g = normExceptAxis(v, checkAxis(axis, v.ndim));
  }

  /** The weight the wrapped layer is called with: `g * v / ||v||`. */
  weight(): Tensor {
    const v = weightOf('WeightNorm', this.layer, this.weightName);
    return v.mul(this.g).div(normExceptAxis(v, checkAxis(this.axis, v.ndim)));
  }

  /** The wrapped layer's output on `x`, computed with the normalised weight. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    return withWeight(this.layer, this.weightName, this.weight()).call(x);
  }
}
