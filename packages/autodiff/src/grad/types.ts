/** Types of gradients: the structure of the differentiated argument, with tensors at its leaves. */
import type { Tensor } from '../tensor.js';

/**
 * The type of a gradient of `T`: `T`'s structure with a `Tensor` for each tensor leaf. Numbers (which
 * `grad` differentiates as 0-d tensors) become `Tensor`; with `Other = null`, as in `filterGrad`,
 * every leaf that is not a float tensor (numbers, strings, functions, ...) becomes `null`.
 *
 * @example
 * ```ts
 * type Params = { w: Tensor; lr: number; name: string };
 * const g: Gradient<Params, null> = { w: numpy.zeros([1]), lr: null, name: null };
 * g.lr; // null
 * ```
 */
export type Gradient<T, Other = Tensor> = T extends Tensor
  ? Tensor
  : T extends number
    ? Other
    : T extends null | undefined
      ? T
      : T extends (...args: never[]) => unknown
        ? null
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Gradient<T[K], Other> }
          : T extends object
            ? { -readonly [K in keyof T]: Gradient<T[K], Other> }
            : null;

/**
 * The gradients chosen by an `argnums` option `N` of a call with arguments `Args`: one gradient for a
 * number, a tuple of them for a list.
 *
 * @example
 * ```ts
 * const both: GradientsOf<[Tensor, { b: Tensor }], [0, 1]> = [numpy.zeros([1]), { b: numpy.zeros([1]) }];
 * ```
 */
export type GradientsOf<Args extends unknown[], N> = N extends number
  ? Gradient<Args[N]>
  : N extends readonly number[]
    ? { -readonly [K in keyof N]: Gradient<Args[N[K] & number]> }
    : Gradient<Args[0]>;

/**
 * The `argnums` of an options type (absent: 0).
 *
 * @example
 * ```ts
 * const n: ArgnumsOf<{ argnums: 1 }> = 1;
 * ```
 */
export type ArgnumsOf<O> = O extends { argnums: infer N } ? N : 0;

/**
 * The auxiliary output of a function that returns `[output, aux]`.
 *
 * @example
 * ```ts
 * const aux: AuxOf<[Tensor, { accuracy: number }]> = { accuracy: 0.9 };
 * ```
 */
export type AuxOf<R> = R extends readonly [unknown, infer A] ? A : never;

/**
 * True when an options type sets `hasAux: true`.
 *
 * @example
 * ```ts
 * const yes: HasAux<{ hasAux: true }> = true;
 * ```
 */
export type HasAux<O> = O extends { hasAux: true } ? true : false;

/**
 * A cotangent for an output of type `Out`: its structure, with a tensor or `null` (a zero cotangent)
 * at each tensor leaf, and `null` at leaves that are not tensors.
 *
 * @example
 * ```ts
 * const ct: Cotangent<{ y: Tensor; z: Tensor; n: number }> = { y: numpy.ones([2]), z: null, n: null };
 * ct.z; // null
 * ```
 */
export type Cotangent<Out> = Out extends Tensor
  ? Tensor | null
  : Out extends readonly unknown[]
    ? { -readonly [K in keyof Out]: Cotangent<Out[K]> } | null
    : Out extends (...args: never[]) => unknown
      ? null
      : Out extends object
        ? { -readonly [K in keyof Out]: Cotangent<Out[K]> } | null
        : null | undefined;
