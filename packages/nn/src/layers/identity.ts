/** `Identity`: returns its input, as `eqx.nn.Identity`. */
import type { Tensor } from '@equinox-ts/autodiff';
import { Module } from '../module/module.js';

/**
 * The identity map (Equinox's `eqx.nn.Identity`): a placeholder layer, e.g. to switch a block off.
 * Takes no arguments (Equinox's are accepted and ignored there, for drop-in use).
 *
 * @example
 * ```ts
 * new Identity().call(numpy.array([1, 2])).tolist(); // [1, 2]
 * ```
 */
export class Identity extends Module {
  /** Returns `x` unchanged. The options (a key) are accepted for `Sequential` and ignored. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    return x;
  }
}
