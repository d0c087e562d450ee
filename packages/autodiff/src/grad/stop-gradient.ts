/** `stopGradient`: the identity whose derivative is zero. */
import { bind, definePrimitive } from '../core/primitive.js';
import { Tensor } from '../tensor.js';
import * as tree from '@equinox-ts/pytree';

// No VJP rule: every transformation treats the output as a constant.
const stopGradientP = definePrimitive({
  name: 'stopGradient',
  shape: ([x]) => x!,
  impl: (_backend, [x]) => x!,
});

/**
 * The identity on values, but a constant for differentiation: gradients do not flow through it, at
 * any order. Applies to every tensor leaf of a pytree; other leaves are returned as they are.
 *
 * @example
 * ```ts
 * const f = (x: Tensor) => x.mul(lax.stopGradient(x)).sum(); // d/dx (x * c) with c = x held fixed
 * grad(f)(numpy.array([3])).tolist(); // [3]
 * ```
 */
export function stopGradient<T>(x: T): T {
  return tree.map<T>(
    (leaf: unknown) => (leaf instanceof Tensor ? bind(stopGradientP, [leaf], undefined) : leaf),
    x,
  );
}
