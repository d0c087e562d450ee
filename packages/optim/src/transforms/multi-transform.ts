/** `partition` (formerly `multiTransform`): a different transformation per group of params, as Optax's. */
import { TensorError } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import type { GradientTransformation } from '../transform.js';
import { masked } from './masked.js';

/**
 * Which group each param belongs to: a tree of string labels with the params' structure, or a prefix of
 * it (one label for a whole subtree), or a function of the params (or updates) that returns one.
 *
 * @example
 * ```ts
 * // Every leaf named `bias` in one group, the rest in another.
 * const labels: ParamLabels = (params) =>
 *   tree.mapWithPath((path) => (tree.keystr(path).endsWith('.bias') ? 'bias' : 'weight'), params);
 * (labels as (p: unknown) => { bias: string }) ({ bias: numpy.zeros([1]) }).bias; // 'bias'
 * ```
 */
export type ParamLabels = string | object | ((params: unknown) => unknown);

/**
 * The state of {@link partition}: each group's state, by label (Optax's `PartitionState`).
 *
 * @example
 * ```ts
 * const t = partition({ a: sgd(0.1), b: scale(0) }, { x: 'a', y: 'b' });
 * const state: PartitionState = t.init({ x: numpy.zeros([1]), y: numpy.zeros([1]) });
 * Object.keys(state.innerStates); // ['a', 'b']
 * ```
 */
export interface PartitionState {
  /** The state of each label's transformation, which covers that label's leaves only. */
  innerStates: Record<string, unknown>;
}

/**
 * The former name of {@link PartitionState} (Optax's `MultiTransformState`).
 *
 * @example
 * ```ts
 * const state: MultiTransformState = { innerStates: {} };
 * Object.keys(state.innerStates).length; // 0
 * ```
 */
export type MultiTransformState = PartitionState;

/** The labels as one string per leaf of `params`, checked against the transformations. */
function labelsFor(
  op: string,
  paramLabels: ParamLabels,
  params: unknown,
  groups: ReadonlySet<string>,
): unknown {
  const prefix =
    typeof paramLabels === 'function'
      ? (paramLabels as (p: unknown) => unknown)(params)
      : paramLabels;
  let full: unknown;
  try {
    full = tree.broadcast(prefix, params);
  } catch (e) {
    throw new TensorError(
      op,
      `the labels must match the params' structure (or a prefix of it): ${(e as Error).message}`,
    );
  }
  for (const [path, label] of tree.leavesWithPath(full) as [tree.KeyPath, unknown][]) {
    if (typeof label !== 'string') {
      throw new TensorError(
        op,
        `labels${tree.keystr(path)} must be a string, found ${String(label)}`,
      );
    }
    if (!groups.has(label)) {
      throw new TensorError(
        op,
        `labels${tree.keystr(path)} is '${label}', which has no transformation (transforms has ${[...groups].map((g) => `'${g}'`).join(', ')})`,
      );
    }
  }
  return full;
}

/** The transformation `partition` and `multiTransform` build, with `op` naming it in errors. */
function partitionAs(
  op: string,
  transforms: Record<string, GradientTransformation>,
  paramLabels: ParamLabels,
): GradientTransformation<PartitionState> {
  if (typeof transforms !== 'object' || transforms === null) {
    throw new TensorError(
      op,
      `\`transforms\` must be an object of label: transformation, found ${String(transforms)}`,
    );
  }
  const entries = Object.entries(transforms);
  for (const [label, t] of entries) {
    if (typeof t?.init !== 'function' || typeof t?.update !== 'function') {
      throw new TensorError(
        op,
        `transforms.${label} is not a GradientTransformation (init and update functions), found ${typeof t}`,
      );
    }
  }
  const groups = new Set(entries.map(([label]) => label));
  // Each group is `masked` to its own leaves; the masks are disjoint, so the order does not matter.
  const maskedGroups = (labels: unknown) =>
    entries.map(
      ([label, t]) =>
        [
          label,
          masked(
            t,
            tree.map((l: unknown) => l === label, labels),
          ),
        ] as const,
    );
  return {
    init: (params) => {
      const groupsOf = maskedGroups(labelsFor(op, paramLabels, params, groups));
      return {
        innerStates: Object.fromEntries(groupsOf.map(([label, t]) => [label, t.init(params)])),
      };
    },
    update: (updates, state, params) => {
      if (typeof state?.innerStates !== 'object' || state.innerStates === null) {
        throw new TensorError(
          op,
          "expected the state made by this transformation's init ({ innerStates })",
        );
      }
      // As Optax, a label function sees the updates here (they have the params' structure).
      const labels = labelsFor(op, paramLabels, updates, groups);
      let current = updates;
      const next: Record<string, unknown> = {};
      for (const [label, t] of maskedGroups(labels)) {
        [current, next[label]] = t.update(current, state.innerStates[label], params);
      }
      return [current, { innerStates: next }];
    },
  };
}

/**
 * Splits the params into groups by label and applies a different transformation to each (Optax's
 * `partition`, formerly `multi_transform`): `transforms` maps each label to its transformation, and
 * each transformation sees only its own leaves (via {@link masked}). Every label used must have a
 * transformation. To freeze a group, give it `scale(0)`.
 *
 * @example
 * ```ts
 * // SGD for the weights, frozen biases.
 * const t = partition({ train: sgd(0.1), freeze: scale(0) }, { w: 'train', b: 'freeze' });
 * const params = { w: numpy.array([1]), b: numpy.array([1]) };
 * const [updates] = t.update({ w: numpy.array([2]), b: numpy.array([2]) }, t.init(params), params);
 * updates.w.tolist(); // [-0.20000000298023224]
 * updates.b.tolist(); // [0]
 * ```
 */
export function partition(
  transforms: Record<string, GradientTransformation>,
  paramLabels: ParamLabels,
): GradientTransformation<PartitionState> {
  return partitionAs('partition', transforms, paramLabels);
}

/**
 * The former name of {@link partition} (Optax's `multi_transform`, which Optax renamed `partition`):
 * the same transformation, with errors that name `multiTransform`.
 *
 * @example
 * ```ts
 * const t = multiTransform({ a: sgd(1), b: sgd(0.5) }, { x: 'a', y: 'b' });
 * const params = { x: numpy.array([1]), y: numpy.array([1]) };
 * const [updates] = t.update(params, t.init(params), params);
 * updates.y.tolist(); // [-0.5]
 * ```
 */
export function multiTransform(
  transforms: Record<string, GradientTransformation>,
  paramLabels: ParamLabels,
): GradientTransformation<MultiTransformState> {
  return partitionAs('multiTransform', transforms, paramLabels);
}
