/** `masked`: applies a transformation to some leaves only, as Optax's `masked`. */
import { TensorError } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import type { GradientTransformation } from '../transform.js';

/**
 * Which leaves a masked transformation applies to: a tree of booleans with the params' structure, or a
 * prefix of it (a boolean for a whole subtree), or a function of the params that returns one.
 *
 * @example
 * ```ts
 * // Decay matrices, not vectors (biases, norm scales).
 * const mask: Mask = (params) => tree.map((p: Tensor) => p.ndim > 1, params);
 * (mask as (p: unknown) => { w: boolean }) ({ w: numpy.ones([2, 2]) }).w; // true
 * ```
 */
export type Mask = object | boolean | ((params: unknown) => unknown);

/** The mask as one boolean per leaf of `params`, in a tree shaped like it. */
function maskFor(mask: Mask, params: unknown): unknown {
  const prefix = typeof mask === 'function' ? (mask as (p: unknown) => unknown)(params) : mask;
  let full: unknown;
  try {
    full = tree.broadcast(prefix, params);
  } catch (e) {
    throw new TensorError(
      'masked',
      `the mask must match the params' structure (or a prefix of it): ${(e as Error).message}`,
    );
  }
  for (const [path, flag] of tree.leavesWithPath(full) as [tree.KeyPath, unknown][]) {
    if (typeof flag !== 'boolean') {
      throw new TensorError(
        'masked',
        `mask${tree.keystr(path)} must be a boolean, found ${String(flag)}`,
      );
    }
  }
  return full;
}

/** `value` with the leaves where `flags` is false replaced by `null`. */
function keep(value: unknown, flags: unknown): unknown {
  return tree.map((leaf: unknown, flag: unknown) => (flag ? leaf : null), value, flags);
}

/**
 * Applies `inner` only to the leaves that `mask` selects (Optax's `masked`); the other updates pass
 * through unchanged. `inner`'s state covers the selected leaves only (`null` elsewhere). Weight decay
 * that skips biases and norms is the usual use.
 *
 * @example
 * ```ts
 * const decayWeights = masked(scale(0), { w: true, b: false });
 * const params = { w: numpy.ones([2]), b: numpy.ones([2]) };
 * const [updates] = decayWeights.update(params, decayWeights.init(params), params);
 * updates.w.tolist(); // [0, 0]
 * updates.b.tolist(); // [1, 1]
 * ```
 */
export function masked<S>(inner: GradientTransformation<S>, mask: Mask): GradientTransformation<S> {
  if (typeof inner?.init !== 'function' || typeof inner?.update !== 'function') {
    throw new TensorError(
      'masked',
      `\`inner\` must be a GradientTransformation (init and update functions), found ${typeof inner}`,
    );
  }
  return {
    init: (params) => inner.init(keep(params, maskFor(mask, params))),
    update: (updates, state, params) => {
      const flags = maskFor(mask, params ?? updates);
      const [innerUpdates, next] = inner.update(
        keep(updates, flags),
        state,
        params === undefined ? undefined : keep(params, flags),
      );
      const merged = tree.map(
        (original: unknown, flag: unknown, changed: unknown) => (flag ? changed : original),
        updates,
        flags,
        tree.broadcast(innerUpdates, flags, { isLeaf: (x) => x === null }),
      );
      return [merged, next];
    },
  };
}
