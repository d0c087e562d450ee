/** `grad`, `valueAndGrad` and `vjp`: reverse-mode derivatives of functions of pytrees. */
import * as tree from '@equinox-ts/pytree';
import { TensorError, avalText, valueText } from '../core/errors.js';
import { isFloatDtype } from '../core/dtype.js';
import { getDefaultBackend } from '../core/default-backend.js';
import { Tensor } from '../tensor.js';
import { filled } from '../primitives/constants.js';
import type { ReverseTrace } from './reverse.js';
import { backwardPass, withReverseTrace } from './reverse.js';
import {
  argnumsOption,
  requireBooleanOption,
  requireFunction,
  requireOptions,
} from '../transform-arguments.js';
import type { ArgnumsOf, AuxOf, Cotangent, Gradient, GradientsOf, HasAux } from './types.js';

/**
 * Options of {@link grad} and {@link valueAndGrad}.
 *
 * @example
 * ```ts
 * const options: GradOptions = { argnums: [0, 1], hasAux: false };
 * ```
 */
export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /** `f` returns `[output, aux]`; `aux` is passed through undifferentiated. */
  hasAux?: boolean;
}

/**
 * Makes every leaf of `args[argnum]` a tracer of `trace`. Leaves must be float tensors or numbers;
 * anything else is an error naming the leaf's path.
 */
export function traceArgument(
  op: string,
  trace: ReverseTrace,
  argument: unknown,
  argnum: number,
): [Tensor[], tree.TreeDef] {
  const [pairs, def] = tree.flattenWithPath(argument);
  const inputs = pairs.map(([path, leaf]) => {
    const where = `argument ${argnum}${tree.keystr(path)}`;
    if (typeof leaf === 'number')
      return trace.input(filled([], leaf, 'float32', getDefaultBackend()));
    if (!(leaf instanceof Tensor)) {
      throw new TensorError(
        op,
        `cannot differentiate with respect to ${where}, ${valueText(leaf)}; only float tensors can be ` +
          `differentiated (filterGrad differentiates the float tensors of a tree and passes other leaves through)`,
      );
    }
    if (!isFloatDtype(leaf.dtype)) {
      throw new TensorError(
        op,
        `cannot differentiate with respect to ${where}, an ${avalText(leaf)} tensor: only float32 has ` +
          `derivatives (cast it with astype('float32'), or use filterGrad to skip non-float leaves)`,
      );
    }
    return trace.input(leaf);
  });
  return [inputs, def];
}

/** Replaces this trace's tracers in a tree by the values they stand for. */
export function untrace<T>(trace: ReverseTrace, value: T): T {
  return tree.map<T>(
    (leaf: unknown) => (leaf instanceof Tensor ? trace.primal(leaf) : leaf),
    value,
  );
}

/** Gradients in the structure of each argument: zeros where the output did not depend on a leaf. */
function gradientTree(
  grads: readonly (Tensor | null)[],
  inputs: readonly Tensor[],
  def: tree.TreeDef,
): unknown {
  return tree.unflatten(
    def,
    grads.map((g, i) => g ?? zerosFor(inputs[i]!)),
  );
}

function zerosFor(input: Tensor): Tensor {
  return filled(input.shape, 0, input.dtype, input.backend);
}

function scalarOutput(op: string, out: unknown): Tensor | number {
  if (typeof out === 'number') return out;
  if (!(out instanceof Tensor)) {
    throw new TensorError(op, `the function must return a scalar tensor, found ${valueText(out)}`);
  }
  if (out.ndim !== 0 || !isFloatDtype(out.dtype)) {
    throw new TensorError(
      op,
      `the function must return a float32 scalar (shape []), found ${avalText(out)}; ` +
        `reduce it (e.g. with .sum()) or use vjp for non-scalar outputs`,
    );
  }
  return out;
}

function splitAux(op: string, result: unknown, hasAux: boolean): [unknown, unknown] {
  if (!hasAux) return [result, undefined];
  if (!Array.isArray(result) || result.length !== 2) {
    throw new TensorError(
      op,
      `with hasAux the function must return [output, aux], found ${valueText(result)}`,
    );
  }
  return [result[0], result[1]];
}

function argnumList(op: string, argnums: number | readonly number[], count: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const a of list) {
    if (!Number.isInteger(a) || a < 0 || a >= count) {
      throw new TensorError(
        op,
        `argnums ${a} is out of range: expected an index below ${count}, the number of arguments given`,
      );
    }
  }
  return list;
}

/**
 * The value of `f(...args)` and its gradient with respect to the arguments chosen by `argnums`. `f`
 * returns a float32 scalar (or `[scalar, aux]` with `hasAux`). Gradients have the tree structure of
 * the arguments; with an array `argnums`, one gradient tree per argument.
 *
 * @example
 * ```ts
 * const loss = (params: { w: Tensor; b: Tensor }, x: Tensor) => params.w.mul(x).add(params.b).square().sum();
 * const params = { w: numpy.array([2]), b: numpy.array([1]) };
 * const [value, grads] = valueAndGrad(loss)(params, numpy.array([3]));
 * value.item(); // 49
 * grads.w.tolist(); // [42]
 * grads.b.tolist(); // [14]
 * ```
 */
export function valueAndGrad<
  Args extends unknown[],
  R,
  const O extends GradOptions = Record<never, never>,
>(
  f: (...args: Args) => R,
  options?: O,
): (
  ...args: Args
) => [HasAux<O> extends true ? [Tensor, AuxOf<R>] : Tensor, GradientsOf<Args, ArgnumsOf<O>>] {
  return valueAndGradFor<Args, R, O>('valueAndGrad', f, options);
}

/**
 * {@link valueAndGrad} whose errors name `op` (`grad`, `valueAndGrad`, `filterValueAndGrad`...): the
 * function and options are checked now, the arguments and output at each call.
 */
export function valueAndGradFor<Args extends unknown[], R, const O extends GradOptions>(
  op: string,
  f: (...args: Args) => R,
  options?: O,
): (
  ...args: Args
) => [HasAux<O> extends true ? [Tensor, AuxOf<R>] : Tensor, GradientsOf<Args, ArgnumsOf<O>>] {
  requireFunction(op, 'f', f);
  requireOptions(op, options);
  requireBooleanOption(op, 'hasAux', options?.hasAux);
  argnumsOption(op, 'argnums', options?.argnums);
  const { argnums = 0, hasAux = false } = (options ?? {}) as GradOptions;
  type Result = [
    HasAux<O> extends true ? [Tensor, AuxOf<R>] : Tensor,
    GradientsOf<Args, ArgnumsOf<O>>,
  ];
  return (...args: Args): Result => {
    const nums = argnumList(op, argnums, args.length);
    return withReverseTrace('grad', (trace) => {
      const traced = [...args] as unknown[];
      const per = nums.map((n) => {
        const [inputs, def] = traceArgument(op, trace, args[n], n);
        traced[n] = tree.unflatten(def, inputs);
        return { inputs, def };
      });
      const [out, aux] = splitAux(op, f(...(traced as Args)), hasAux);
      const value = scalarOutput(op, out);
      const allInputs = per.flatMap((p) => p.inputs);
      const grads =
        value instanceof Tensor
          ? backwardPass(trace, [[value, filled([], 1, 'float32', value.backend)]], allInputs)
          : allInputs.map(() => null);
      let offset = 0;
      const trees = per.map(({ inputs, def }) => {
        const mine = grads.slice(offset, (offset += inputs.length));
        return gradientTree(mine, inputs, def);
      });
      const primalValue =
        value instanceof Tensor
          ? trace.primal(value)
          : filled([], value, 'float32', getDefaultBackend());
      const gradResult = typeof argnums === 'number' ? trees[0] : trees;
      return [hasAux ? [primalValue, untrace(trace, aux)] : primalValue, gradResult] as Result;
    });
  };
}

/**
 * The gradient of a scalar-valued `f` with respect to the arguments chosen by `argnums` (default the
 * first), in their tree structure. With `hasAux`, `f` returns `[output, aux]` and the result is
 * `[gradient, aux]`. Compose it for higher derivatives: `grad(grad(f))`.
 *
 * @example
 * ```ts
 * const f = (x: Tensor) => x.mul(x).mul(x).sum(); // x^3
 * grad(f)(numpy.array([2])).tolist(); // [12]
 * grad((x: Tensor) => grad(f)(x).sum())(numpy.array([2])).tolist(); // [12]
 * ```
 */
export function grad<Args extends unknown[], R, const O extends GradOptions = Record<never, never>>(
  f: (...args: Args) => R,
  options?: O,
): (
  ...args: Args
) => HasAux<O> extends true
  ? [GradientsOf<Args, ArgnumsOf<O>>, AuxOf<R>]
  : GradientsOf<Args, ArgnumsOf<O>> {
  const inner = valueAndGradFor<Args, R, O>('grad', f, options);
  type Result =
    HasAux<O> extends true
      ? [GradientsOf<Args, ArgnumsOf<O>>, AuxOf<R>]
      : GradientsOf<Args, ArgnumsOf<O>>;
  return (...args: Args): Result => {
    const [value, gradient] = inner(...args);
    return (options?.hasAux ? [gradient, (value as [unknown, unknown])[1]] : gradient) as Result;
  };
}

/**
 * Evaluates `f(...primals)` and returns `[output, vjpFn]`: `vjpFn(cotangent)` takes a cotangent with
 * the structure of the output (`null` for a zero cotangent) and returns one cotangent tree per primal.
 * Works for any output shape; `vjpFn` may be called several times.
 *
 * @example
 * ```ts
 * const [y, vjpFn] = vjp((x: Tensor) => x.mul(3), numpy.array([1, 2]));
 * y.tolist(); // [3, 6]
 * const [dx] = vjpFn(numpy.array([1, 10]));
 * dx.tolist(); // [3, 30]
 * ```
 */
export function vjp<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  ...primals: Args
): [Out, (cotangent: Cotangent<Out>) => { -readonly [K in keyof Args]: Gradient<Args[K]> }] {
  requireFunction('vjp', 'f', f);
  return withReverseTrace('vjp', (trace) => {
    const per = primals.map((p, n) => {
      const [inputs, def] = traceArgument('vjp', trace, p, n);
      return { inputs, def };
    });
    const out = f(...(per.map(({ inputs, def }) => tree.unflatten(def, inputs)) as Args));
    const [outPairs, outDef] = tree.flattenWithPath(out);
    const primalOut = untrace(trace, out);
    // The backward pass runs after this trace has ended, so keep the graph alive through the closure.
    const vjpFn = (
      cotangent: Cotangent<Out>,
    ): { -readonly [K in keyof Args]: Gradient<Args[K]> } => {
      let ctLeaves: unknown[];
      try {
        ctLeaves = tree.flattenUpTo(outDef, cotangent);
      } catch (e) {
        throw new TensorError(
          'vjp',
          `the cotangent's structure differs from the output's (${(e as Error).message})`,
        );
      }
      const seeds: [Tensor, Tensor][] = [];
      outPairs.forEach(([path, leaf], i) => {
        const ct = ctLeaves[i];
        // null is a zero cotangent; leaves that are not tensors have none.
        if (!(leaf instanceof Tensor) || ct === null || ct === undefined) return;
        if (
          !(ct instanceof Tensor) ||
          ct.dtype !== leaf.dtype ||
          ct.shape.join() !== leaf.shape.join()
        ) {
          const found = ct instanceof Tensor ? avalText(ct) : valueText(ct);
          throw new TensorError(
            'vjp',
            `the cotangent at ${tree.keystr(path) || 'the top'} must be a ${avalText(leaf)} tensor like ` +
              `the output, found ${found}`,
          );
        }
        seeds.push([leaf, ct]);
      });
      const all = per.flatMap((p) => p.inputs);
      const grads = backwardPass(trace, seeds, all);
      let offset = 0;
      return per.map(({ inputs, def }) =>
        gradientTree(grads.slice(offset, (offset += inputs.length)), inputs, def),
      ) as {
        -readonly [K in keyof Args]: Gradient<Args[K]>;
      };
    };
    return [primalOut, vjpFn];
  });
}
