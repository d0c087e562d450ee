/** `Lambda`: wraps a function as a layer, as `eqx.nn.Lambda`. */
import type { Tensor } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';

/**
 * Wraps a function of one tensor as a layer (Equinox's `eqx.nn.Lambda`), e.g. an activation inside a
 * {@link Sequential}.
 *
 * - `fn`: the function; static (part of the tree's structure, never traced or differentiated).
 *
 * `call(x)` returns `fn(x)`.
 *
 * @example
 * ```ts
 * const relu = new Lambda(jnn.relu);
 * relu.call(numpy.array([-1, 2])).tolist(); // [0, 2]
 * tree.leaves(relu).length; // 0
 * ```
 */
export class Lambda extends Module {
  fn: (x: Tensor) => Tensor = field({ static: true });

  constructor(fn: (x: Tensor) => Tensor) {
    super();
    if (typeof fn !== 'function') {
      throw new TypeError(`Lambda: \`fn\` must be a function, found ${typeof fn}`);
    }
    this.fn = fn;
  }

  /** Applies the function. The options (a key) are accepted for `Sequential` and ignored. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    return this.fn(x);
  }
}
