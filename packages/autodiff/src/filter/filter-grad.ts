/** `filterGrad` and `filterValueAndGrad`: Equinox's gradients with respect to the float tensors of a tree. */
import * as tree from '@equinox-ts/pytree';
import { valueAndGradFor } from '../grad/api.js';
import { requireBooleanOption, requireFunction, requireOptions } from '../transform-arguments.js';
import type { Tensor } from '../tensor.js';
import type { AuxOf, Gradient, HasAux } from '../grad/types.js';
import { isInexactArray } from './predicates.js';

/**
 * Options of {@link filterGrad} and {@link filterValueAndGrad}.
 *
 * @example
 * ```ts
 * const options: FilterGradOptions = { hasAux: true };
 * ```
 */
export interface FilterGradOptions {
  /** `f` returns `[output, aux]`; `aux` is passed through undifferentiated. */
  hasAux?: boolean;
}

/**
 * Like `valueAndGrad`, but differentiates with respect to every float tensor leaf of the first
 * argument and passes every other leaf (numbers, strings, functions, int tensors, ...) through
 * untouched. The gradient has the structure of the first argument, with `null` where a leaf was not
 * differentiated. Returns `[value, grads]`, or `[[value, aux], grads]` with `hasAux`.
 *
 * @example
 * ```ts
 * const model = { weight: numpy.array([2]), activation: 'relu', steps: numpy.array([0], { dtype: 'int32' }) };
 * const loss = (m: typeof model, x: Tensor) => m.weight.mul(x).sum();
 * const [value, grads] = filterValueAndGrad(loss)(model, numpy.array([5]));
 * value.item(); // 10
 * grads.weight.tolist(); // [5]
 * grads.activation; // null
 * grads.steps; // null
 * ```
 */
export function filterValueAndGrad<
  T,
  Rest extends unknown[],
  R,
  const O extends FilterGradOptions = Record<never, never>,
>(
  f: (x: T, ...rest: Rest) => R,
  options?: O,
): (
  x: T,
  ...rest: Rest
) => [HasAux<O> extends true ? [Tensor, AuxOf<R>] : Tensor, Gradient<T, null>] {
  return filterValueAndGradFor<T, Rest, R, O>('filterValueAndGrad', f, options);
}

/** {@link filterValueAndGrad} whose errors name `op`; `f` and the options are checked now. */
function filterValueAndGradFor<T, Rest extends unknown[], R, const O extends FilterGradOptions>(
  op: string,
  f: (x: T, ...rest: Rest) => R,
  options?: O,
): (
  x: T,
  ...rest: Rest
) => [HasAux<O> extends true ? [Tensor, AuxOf<R>] : Tensor, Gradient<T, null>] {
  requireFunction(op, 'f', f);
  requireOptions(op, options);
  requireBooleanOption(op, 'hasAux', options?.hasAux);
  type Result = [HasAux<O> extends true ? [Tensor, AuxOf<R>] : Tensor, Gradient<T, null>];
  return (x: T, ...rest: Rest): Result => {
    const [diff, nondiff] = tree.partition(x, isInexactArray);
    const inner = valueAndGradFor(op, (d: T, ...r: Rest) => f(tree.combine(d, nondiff), ...r), {
      hasAux: options?.hasAux ?? false,
    });
    return inner(diff, ...rest) as unknown as Result;
  };
}

/**
 * Like `grad`, but with respect to every float tensor leaf of the first argument; other leaves pass
 * through and get `null` in the gradient. Returns the gradient tree, or `[grads, aux]` with `hasAux`.
 * This is how a model (a pytree mixing parameters with other values) is differentiated.
 *
 * @example
 * ```ts
 * const model = { w: numpy.array([1, 2]), name: 'linear' };
 * const grads = filterGrad((m: typeof model) => m.w.square().sum())(model);
 * grads.w.tolist(); // [2, 4]
 * grads.name; // null
 * ```
 */
export function filterGrad<
  T,
  Rest extends unknown[],
  R,
  const O extends FilterGradOptions = Record<never, never>,
>(
  f: (x: T, ...rest: Rest) => R,
  options?: O,
): (
  x: T,
  ...rest: Rest
) => HasAux<O> extends true ? [Gradient<T, null>, AuxOf<R>] : Gradient<T, null> {
  type Result = HasAux<O> extends true ? [Gradient<T, null>, AuxOf<R>] : Gradient<T, null>;
  const inner = filterValueAndGradFor<T, Rest, R, O>('filterGrad', f, options);
  return (x: T, ...rest: Rest): Result => {
    const [value, grads] = inner(x, ...rest);
    return (options?.hasAux ? [grads, (value as [unknown, unknown])[1]] : grads) as Result;
  };
}
