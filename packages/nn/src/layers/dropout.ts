/** `Dropout`: zeroes random entries while training, as `eqx.nn.Dropout`. */
import { type Tensor, TensorError, numpy, random } from '@equinox-ts/autodiff';
import { Module } from '../module/module.js';
import { checkRange } from './checks.js';

/**
 * Options of {@link Dropout}.
 *
 * @example
 * ```ts
 * const options: DropoutOptions = { inference: true };
 * ```
 */
export interface DropoutOptions {
  /**
   * If `true`, the layer does nothing (evaluation); if `false`, it drops entries (training). Default
   * `false`. Switch a whole model with `inferenceMode`, or per call with `call`'s `inference`.
   */
  inference?: boolean;
}

/**
 * Options of {@link Dropout.call}.
 *
 * @example
 * ```ts
 * const options: DropoutCallOptions = { key: random.key(0) };
 * ```
 */
export interface DropoutCallOptions {
  /** The random key the mask is drawn from; required when training with `p > 0`. */
  key?: Tensor;
  /** Overrides the layer's `inference` field for this call when given. */
  inference?: boolean;
}

/**
 * Dropout (Equinox's `eqx.nn.Dropout`): while training, each entry is zeroed with probability `p`
 * and the others are scaled by `1 / (1 - p)`, so the expected value is unchanged; at inference it
 * returns its input.
 *
 * - `p`: the probability of zeroing each entry, in `[0, 1]` (default 0.5). `p = 1` gives zeros.
 *   An ordinary field (not static), as in Equinox, so `treeAt` can change it.
 * - `inference`: see {@link DropoutOptions}.
 *
 * `call(x, { key, inference })` takes `x` of any shape and returns the same shape. Training with
 * `p > 0` needs a `key` (an error otherwise, as in Equinox); the mask is `bernoulli(key, 1 - p,
 * x.shape)`, the same draw JAX makes, so the same key gives the same mask.
 *
 * @example
 * ```ts
 * const dropout = new Dropout(0.5);
 * const y = dropout.call(numpy.ones([1000]), { key: random.key(0) });
 * new Set(y.tolist() as number[]).size; // 2
 * dropout.call(numpy.ones([3]), { inference: true }).tolist(); // [1, 1, 1]
 * inferenceMode(dropout).call(numpy.ones([2])).tolist(); // [1, 1]
 * ```
 */
export class Dropout extends Module {
  p: number;
  inference: boolean;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkRange('Dropout', 'p', p, 0, 1);
    const inference = options.inference ?? false;
    if (typeof inference !== 'boolean') {
      throw new TensorError(
        'Dropout',
        `\`inference\` must be a boolean, found ${String(inference)}`,
      );
    }
    this.inference = inference;
  }

  /** Drops entries of `x` (training) or returns it (inference, or `p = 0`). */
  call(x: Tensor, options: DropoutCallOptions = {}): Tensor {
    const inference = options.inference ?? this.inference;
    if (inference || this.p === 0) return x;
    if (options.key === undefined) {
      throw new TensorError(
        'Dropout',
        'a `key` is needed when training with p > 0: call(x, { key }), or switch to inference with ' +
          'inferenceMode(model) or call(x, { inference: true })',
      );
    }
    // Dividing by zero would put NaNs in the gradient, even where the mask hides them.
    if (this.p === 1) return numpy.zerosLike(x);
    const keep = 1 - this.p;
    const mask = random.bernoulli(options.key, keep, x.shape);
    return numpy.where(mask, x.div(keep), 0);
  }
}
