/** `PReLU`: a leaky ReLU whose negative slope is learned, as `eqx.nn.PReLU`. */
import { Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { Module } from '../module/module.js';

/**
 * Options of {@link PReLU}.
 *
 * @example
 * ```ts
 * const options: PReLUOptions = { initAlpha: numpy.full([3], 0.1) };
 * ```
 */
export interface PReLUOptions {
  /**
   * The initial negative slope: a number (default 0.25), or a tensor of slopes that broadcasts
   * against the input (e.g. one per channel, shaped to broadcast).
   */
  initAlpha?: number | Tensor;
}

/**
 * The parametric ReLU (Equinox's `eqx.nn.PReLU`): `x` where `x >= 0`, `negativeSlope * x` elsewhere,
 * with `negativeSlope` a learned parameter.
 *
 * - `initAlpha`: see {@link PReLUOptions}; stored as the float32 tensor `negativeSlope`.
 *
 * `call(x)` takes `x` of any shape that broadcasts with `negativeSlope` and returns the broadcast shape
 * (the shape of `x` for a scalar slope).
 *
 * @example
 * ```ts
 * const prelu = new PReLU();
 * prelu.call(numpy.array([-2, 3])).tolist(); // [-0.5, 3]
 * prelu.negativeSlope.shape; // []
 * new PReLU({ initAlpha: numpy.array([0.1, 0.2]) }).call(numpy.array([-1, -1])).tolist(); // [-0.10000000149011612, -0.20000000298023224]
 * ```
 */
export class PReLU extends Module {
  negativeSlope: Tensor;

  constructor(options: PReLUOptions = {}) {
    super();
    const alpha = options.initAlpha ?? 0.25;
    if (typeof alpha === 'number') {
      if (!Number.isFinite(alpha)) {
        throw new TensorError('PReLU', `\`initAlpha\` must be a finite number, found ${alpha}`);
      }
      this.negativeSlope = numpy.array(alpha);
    } else if (alpha instanceof Tensor && alpha.dtype === 'float32') {
      this.negativeSlope = alpha;
    } else {
      const found =
        alpha instanceof Tensor ? `${alpha.dtype}[${alpha.shape.join(', ')}]` : typeof alpha;
      throw new TensorError(
        'PReLU',
        `\`initAlpha\` must be a number or a float32 tensor, found ${found}`,
      );
    }
  }

  /** Applies the PReLU elementwise. The options (a key) are accepted and ignored. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    try {
      numpy.broadcastShapes(x.shape, this.negativeSlope.shape);
    } catch {
      throw new TensorError(
        'PReLU',
        `\`x\` of shape [${x.shape.join(', ')}] does not broadcast with \`negativeSlope\` of shape [${this.negativeSlope.shape.join(', ')}]`,
      );
    }
    return numpy.where(x.ge(0), x, this.negativeSlope.mul(x));
  }
}
