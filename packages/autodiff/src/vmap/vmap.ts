/** `vmap`: maps a function over an axis of its inputs, with batching rules instead of a loop. */
import * as tree from '@equinox-ts/pytree';
import { TensorError, avalText, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { broadcastTo, reshape } from '../primitives/layout.js';
import { moveAxis } from './axes.js';
import { type BatchTrace, withBatchTrace } from './batch-trace.js';
import { installBatchRules } from './rules/index.js';
import { checkVmapOptions, isAxisLeaf } from './options.js';
import { requireFunction } from '../transform-arguments.js';

installBatchRules();

/**
 * An axis to map over (negative counts from the end), or `null` for "not mapped, the same for all".
 *
 * @example
 * ```ts
 * const axes: Axis[] = [0, null];
 * vmap((a: Tensor, b: Tensor) => a.add(b), { inAxes: axes })(numpy.ones([2, 3]), numpy.ones([3])).shape; // [2, 3]
 * ```
 */
export type Axis = number | null;

/**
 * Options of {@link vmap} and {@link filterVmap}.
 *
 * @example
 * ```ts
 * const options: VmapOptions = { inAxes: [0, null], outAxes: 1 };
 * ```
 */
export interface VmapOptions {
  /**
   * Which axis of each input to map over: one axis for every tensor leaf, or a list with one entry per
   * argument, each an axis or a tree of axes matching that argument (a prefix of it). Default 0.
   */
  inAxes?: Axis | readonly unknown[];
  /** Where the mapped axis goes in each output: an axis, or a tree of axes matching the output. Default 0. */
  outAxes?: unknown;
  /** The batch size, needed only when no input is mapped. */
  axisSize?: number;
  /**
   * A name for the mapped axis (JAX's `axis_name`), so that code inside can reduce over the batch with
   * `lax.psum(x, name)` or `lax.pmean(x, name)`, as `nn.BatchNorm` does.
   */
  axisName?: string;
}

/** One axis per leaf of `value`, from a prefix tree of axes (or a single axis for all leaves). */
export function axesPerLeaf(op: string, what: string, axes: unknown, value: unknown): Axis[] {
  const count = tree.leaves(value).length;
  if (isAxisLeaf(axes)) return new Array<Axis>(count).fill(axes as Axis);
  const [axisLeaves, axisDef] = tree.flatten(axes, { isLeaf: isAxisLeaf });
  let subtrees: unknown[];
  try {
    subtrees = tree.flattenUpTo(axisDef, value);
  } catch (e) {
    throw new TensorError(
      op,
      `${what} must be an axis or a tree of axes matching the ${what === 'inAxes' ? 'arguments' : 'output'}: ${(e as Error).message}`,
    );
  }
  return subtrees.flatMap((sub, i) =>
    new Array<Axis>(tree.leaves(sub).length).fill(axisLeaves[i] as Axis),
  );
}

function normalize(op: string, axis: number, rank: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new TensorError(op, `axis ${axis} of ${where} is out of range for its rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Vectorises `f`: `vmap(f)(xs)` is `f` applied to each slice of `xs` along axis 0, stacked along axis
 * 0 of the result, but computed in one pass: every operation runs on the whole batch through its
 * batching rule. Inputs and outputs are pytrees; `inAxes` and `outAxes` choose the mapped axes (null:
 * not mapped). Nests (`vmap(vmap(f))`) and composes with `grad` in both orders, e.g. per-example
 * gradients with `vmap(grad(loss))`.
 *
 * @example
 * ```ts
 * const dotProduct = (a: Tensor, b: Tensor) => a.mul(b).sum();
 * const xs = numpy.array([[1, 2], [3, 4], [5, 6]]);
 * vmap(dotProduct)(xs, xs).tolist(); // [5, 25, 61]
 * vmap(dotProduct, { inAxes: [0, null] })(xs, numpy.array([1, 0])).tolist(); // [1, 3, 5]
 * vmap((x: Tensor) => x.mul(2), { outAxes: 1 })(xs).shape; // [2, 3]
 * ```
 */
export function vmap<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  options: VmapOptions = {},
): (...args: Args) => Out {
  requireFunction('vmap', 'f', f);
  checkVmapOptions('vmap', options);
  const { inAxes = 0 } = options;
  return (...args: Args): Out => {
    const axes = isAxisLeaf(inAxes)
      ? tree.leaves(args).map(() => inAxes as Axis)
      : axesPerLeaf('vmap', 'inAxes', inAxes, args);
    return mapOver('vmap', f, args, axes, options);
  };
}

/**
 * Equinox's `filter_vmap`: like {@link vmap}, but leaves that are not tensors are never mapped (they
 * are passed to every example as they are), so a model that holds functions, strings or numbers can
 * be mapped. By default every tensor leaf of every argument is mapped over axis 0, and every tensor
 * output gets the batch axis at 0; non-tensor outputs are returned as the function returned them.
 *
 * @example
 * ```ts
 * const model = { w: numpy.array([[1, 0], [0, 2]]), activation: 'relu' };
 * const apply = (m: typeof model, x: Tensor) => numpy.matmul(m.w, x);
 * // Map over the examples only: the model is shared (inAxes null for it).
 * filterVmap(apply, { inAxes: [null, 0] })(model, numpy.array([[1, 1], [2, 3]])).tolist(); // [[1, 2], [2, 6]]
 * ```
 */
export function filterVmap<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  options: VmapOptions = {},
): (...args: Args) => Out {
  requireFunction('filterVmap', 'f', f);
  checkVmapOptions('filterVmap', options);
  const { inAxes = 0 } = options;
  return (...args: Args): Out => {
    const leaves = tree.leaves(args) as unknown[];
    const requested = isAxisLeaf(inAxes)
      ? leaves.map(() => inAxes as Axis)
      : axesPerLeaf('filterVmap', 'inAxes', inAxes, args);
    const axes = requested.map((axis, i) => (leaves[i] instanceof Tensor ? axis : null));
    return mapOver('filterVmap', f, args, axes, options);
  };
}

/** Maps `f` over the leaves of `args` along `axes` (one per leaf; null: not mapped). */
function mapOver<Args extends unknown[], Out>(
  op: string,
  f: (...args: Args) => Out,
  args: Args,
  axes: readonly Axis[],
  options: VmapOptions,
): Out {
  const { outAxes = 0, axisSize, axisName } = options;
  const [pairs, argDef] = tree.flattenWithPath(args);
  const sizes: { where: string; size: number; axis: number }[] = [];
  const resolved = pairs.map(([path, leaf], i) => {
    const axis = axes[i]!;
    const where = `argument ${tree.keystr(path).replace(/^\[(\d+)\]/, '$1')}`;
    if (axis === null) return null;
    if (!(leaf instanceof Tensor)) {
      throw new TensorError(
        op,
        `cannot map over axis ${axis} of ${where}, ${valueText(leaf)}: only tensors can be mapped (use null in inAxes, or filterVmap)`,
      );
    }
    const d = normalize(op, axis, leaf.ndim, `${where} (${avalText(leaf)})`);
    sizes.push({ where, size: leaf.shape[d]!, axis: d });
    return d;
  });
  const size = sizes[0]?.size ?? axisSize;
  if (size === undefined)
    throw new TensorError(op, 'no argument is mapped (all inAxes are null): give axisSize');
  const mismatch = sizes.find((s) => s.size !== size);
  if (mismatch || (axisSize !== undefined && axisSize !== size)) {
    const listed = sizes.map((s) => `${s.where} has ${s.size} along axis ${s.axis}`).join(', ');
    throw new TensorError(
      op,
      `mapped axes must all have the same length${axisSize !== undefined ? ` (axisSize ${axisSize})` : ''}: ${listed}`,
    );
  }
  return withBatchTrace(size, axisName, (trace) => {
    const traced = pairs.map(([, leaf]: [tree.KeyPath, unknown], i): unknown =>
      resolved[i] === null ? leaf : trace.tracer(leaf as Tensor, resolved[i]!),
    );
    const out = f(...tree.unflatten<Args>(argDef, traced));
    return placeOutputs(op, trace, out, outAxes);
  });
}

/** The outputs of a mapped function with their batch axes moved to `outAxes` (unbatched ones broadcast). */
function placeOutputs<Out>(op: string, trace: BatchTrace, out: Out, outAxes: unknown): Out {
  const [leaves, def] = tree.flatten(out);
  const axes = axesPerLeaf(op, 'outAxes', outAxes, out);
  const placed = leaves.map((leaf: unknown, i) => {
    const axis = axes[i]!;
    if (!(leaf instanceof Tensor)) return leaf;
    const [value, dim] = trace.unpack(leaf);
    if (axis === null) {
      if (dim !== null)
        throw new TensorError(
          op,
          `output ${i} varies over the batch, so its outAxes entry cannot be null`,
        );
      return value;
    }
    const rank = value.ndim + (dim === null ? 1 : 0);
    const target = normalize(op, axis, rank, `output ${i}`);
    if (dim !== null) return moveAxis(value, dim, target);
    // An output that does not depend on the mapped inputs: the same value for every example.
    const expanded = reshape(value, [1, ...value.shape]);
    return moveAxis(broadcastTo(expanded, [trace.size, ...value.shape]), 0, target);
  });
  return tree.unflatten<Out>(def, placed);
}
