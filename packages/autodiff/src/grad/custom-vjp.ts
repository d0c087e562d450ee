/** `customVjp`: a function with a hand-written reverse-mode rule, as `jax.custom_vjp`. */
import * as tree from '@equinox-ts/pytree';
import { TensorError, valueText } from '../core/errors.js';
import { isFloatDtype } from '../core/dtype.js';
import { Tensor } from '../tensor.js';
import { filled } from '../primitives/constants.js';
import { ReverseTrace, type Node } from './reverse.js';
import { requireFunction } from '../transform-arguments.js';

/**
 * A function with a custom VJP rule, made by {@link customVjp}.
 *
 * @example
 * ```ts
 * const double: CustomVjpFunction<[Tensor], Tensor> = customVjp((x: Tensor) => x.mul(2));
 * double(numpy.array([1])).tolist(); // [2]
 * ```
 */
export interface CustomVjpFunction<Args extends unknown[], Out> {
  (...args: Args): Out;
  /**
   * Sets the rule: `fwd(...args)` returns `[output, residuals]`; `bwd(residuals, cotangent)` returns
   * one cotangent tree per argument (`null` for a leaf or argument that gets none). Returns the function.
   */
  defvjp<Residuals>(
    fwd: (...args: Args) => [Out, Residuals],
    bwd: (residuals: Residuals, cotangent: Out) => readonly unknown[],
  ): CustomVjpFunction<Args, Out>;
}

/**
 * Throws if `fwd` or `bwd` returned a value traced by the `grad` that is differentiating the custom
 * function: that happens when they close over such a value, which the rule cannot account for.
 */
function rejectClosures(part: 'fwd' | 'bwd', trace: ReverseTrace, value: unknown): void {
  for (const leaf of tree.leaves(value) as unknown[]) {
    if (leaf instanceof Tensor && leaf._trace === trace) {
      throw new TensorError(
        'customVjp',
        `${part} returned a value that depends on a tensor being differentiated that is not an ` +
          `argument of the custom function (a closure); pass that tensor as an argument instead`,
      );
    }
  }
}

/** The innermost reverse-mode trace among the tensor leaves of `leaves`, if any. */
function innermostReverseTrace(leaves: readonly unknown[]): ReverseTrace | null {
  let top: ReverseTrace | null = null;
  for (const leaf of leaves) {
    if (leaf instanceof Tensor && leaf._trace instanceof ReverseTrace && leaf._trace.active) {
      if (!top || leaf._trace.level > top.level) top = leaf._trace;
    }
  }
  return top;
}

/**
 * Wraps `f` so that reverse-mode differentiation uses a rule you give with `.defvjp(fwd, bwd)` instead
 * of differentiating `f`'s operations: for numerical stability, for speed, or to change a gradient on
 * purpose (gradient clipping, straight-through estimators). Arguments and outputs are pytrees. The rule
 * is used by the innermost `grad`/`vjp`; outer ones (higher derivatives) differentiate `bwd`.
 *
 * @example
 * ```ts
 * // log(1 + e^x) with the stable derivative sigmoid(x), even where e^x overflows.
 * const softplus = customVjp((x: Tensor) => numpy.log1p(numpy.exp(x)));
 * softplus.defvjp(
 *   (x: Tensor) => [numpy.log1p(numpy.exp(x)), x],
 *   (x: Tensor, g: Tensor) => [g.div(numpy.exp(x.neg()).add(1))], // g * sigmoid(x)
 * );
 * grad((x: Tensor) => softplus(x).sum())(numpy.array([0, 1000])).tolist(); // [0.5, 1]
 * ```
 */
export function customVjp<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
): CustomVjpFunction<Args, Out> {
  requireFunction('customVjp', 'f', f);
  let rule: {
    fwd: (...args: Args) => [Out, unknown];
    bwd: (res: unknown, ct: Out) => readonly unknown[];
  } | null = null;

  const wrapped = ((...args: Args): Out => {
    const [argLeaves, argDef] = tree.flatten(args) as [unknown[], tree.TreeDef];
    const trace = innermostReverseTrace(argLeaves);
    if (!trace) return f(...args);
    if (!rule)
      throw new TensorError(
        'customVjp',
        'differentiated before its rule was set with .defvjp(fwd, bwd)',
      );
    const { fwd, bwd } = rule;
    const primalArgs = tree.unflatten<Args>(
      argDef,
      argLeaves.map((leaf) => (leaf instanceof Tensor ? trace.primal(leaf) : leaf)),
    );
    const result = fwd(...primalArgs);
    if (!Array.isArray(result) || result.length !== 2) {
      throw new TensorError('customVjp', 'fwd must return [output, residuals]');
    }
    const [out, residuals] = result;
    rejectClosures('fwd', trace, result);
    const [outLeaves, outDef] = tree.flatten(out) as [unknown[], tree.TreeDef];
    const tracked = outLeaves.map((leaf) => leaf instanceof Tensor && isFloatDtype(leaf.dtype));
    const node: Node = {
      name: 'customVjp',
      parents: argLeaves.map((leaf) => (leaf instanceof Tensor ? trace.parentOf(leaf) : null)),
      outputs: outLeaves.filter((_, i) => tracked[i]) as Tensor[],
      backward: (cts) => {
        let next = 0;
        const ctLeaves = outLeaves.map((leaf, i) => {
          if (!tracked[i]) return leaf;
          const ct = cts[next++];
          const t = leaf as Tensor;
          return ct ?? filled(t.shape, 0, t.dtype, t.backend);
        });
        const grads = bwd(residuals, tree.unflatten<Out>(outDef, ctLeaves));
        if (!Array.isArray(grads) || grads.length !== args.length) {
          throw new TensorError(
            'customVjp',
            `bwd must return one cotangent per argument (${args.length}), found ${Array.isArray(grads) ? grads.length : typeof grads}`,
          );
        }
        rejectClosures('bwd', trace, grads);
        return argDef.children.flatMap((childDef, i) => {
          const g: unknown = grads[i];
          if (g === null || g === undefined) return new Array<null>(childDef.numLeaves).fill(null);
          return tree.flattenUpTo(childDef, g).map((leaf: unknown) => {
            if (leaf === null || leaf === undefined || leaf instanceof Tensor) return leaf ?? null;
            throw new TensorError(
              'customVjp',
              `bwd's cotangent for argument ${i} must hold tensors (or null), found ${valueText(leaf)}`,
            );
          });
        });
      },
    };
    let index = 0;
    const traced = outLeaves.map((leaf, i) =>
      tracked[i] ? trace.tracer(leaf as Tensor, node, index++) : leaf,
    );
    return tree.unflatten<Out>(outDef, traced);
  }) as CustomVjpFunction<Args, Out>;

  wrapped.defvjp = <Residuals>(
    fwd: (...args: Args) => [Out, Residuals],
    bwd: (residuals: Residuals, cotangent: Out) => readonly unknown[],
  ) => {
    requireFunction('customVjp', 'fwd', fwd);
    requireFunction('customVjp', 'bwd', bwd);
    rule = { fwd, bwd: bwd as (res: unknown, ct: Out) => readonly unknown[] };
    return wrapped;
  };
  return wrapped;
}
