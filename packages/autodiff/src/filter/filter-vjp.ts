/** `filterVjp`: Equinox's VJP with respect to the float tensors of trees that hold other values too. */
import * as tree from '@equinox-ts/pytree';
import { vjp } from '../grad/api.js';
import type { Cotangent, Gradient } from '../grad/types.js';
import { isInexactArray } from './predicates.js';
import { requireFunction } from '../transform-arguments.js';

/**
 * Like `vjp`, but the primals may hold any leaves: only their float tensor leaves are differentiated,
 * and the others pass through. Returns `[output, vjpFn]`; `vjpFn(cotangent)` takes a cotangent with
 * the output's structure (`null` at leaves that are not float tensors, or for zero) and returns one
 * tree per primal with `null` at the leaves that were not differentiated.
 *
 * @example
 * ```ts
 * const scale = (p: { w: Tensor; label: string }, x: Tensor) => p.w.mul(x);
 * const [y, vjpFn] = filterVjp(scale, { w: numpy.array([3]), label: 'a' }, numpy.array([2]));
 * y.tolist(); // [6]
 * const [dp, dx] = vjpFn(numpy.array([1]));
 * dp.w.tolist(); // [2]
 * dp.label; // null
 * dx.tolist(); // [3]
 * ```
 */
export function filterVjp<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  ...primals: Args
): [Out, (cotangent: Cotangent<Out>) => { -readonly [K in keyof Args]: Gradient<Args[K], null> }] {
  requireFunction('filterVjp', 'f', f);
  const parts = primals.map((p) => tree.partition(p, isInexactArray));
  const diffs = parts.map(([d]) => d);
  const [out, vjpFn] = vjp(
    (...ds: unknown[]) => f(...(ds.map((d, i) => tree.combine(d, parts[i]![1])) as Args)),
    ...diffs,
  );
  type Grads = { -readonly [K in keyof Args]: Gradient<Args[K], null> };
  return [out, (cotangent: Cotangent<Out>) => vjpFn(cotangent) as unknown as Grads];
}
