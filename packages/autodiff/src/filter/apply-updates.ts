/** `applyUpdates`: adds an update tree (e.g. from an optimiser) to a model, as Equinox does. */
import * as tree from '@equinox-ts/pytree';
import { TensorError, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { add } from '../numpy/math.js';

/**
 * `model + updates` leaf by leaf, where `updates` has the model's structure with `null` for leaves to
 * leave alone (the shape of a `filterGrad` result). Returns a new tree; `model` is unchanged.
 *
 * @example
 * ```ts
 * const model = { w: numpy.array([1, 2]), activation: 'relu' };
 * const updates = { w: numpy.array([0.5, -1]), activation: null };
 * const next = applyUpdates(model, updates);
 * next.w.tolist(); // [1.5, 1]
 * next.activation; // 'relu'
 * ```
 */
export function applyUpdates<T>(model: T, updates: unknown): T {
  const isNull = (x: unknown): boolean => x === null || x === undefined;
  const [pairs, updateDef] = tree.flattenWithPath(updates, { isLeaf: isNull });
  let modelParts: unknown[];
  try {
    modelParts = tree.flattenUpTo(updateDef, model);
  } catch (e) {
    throw new TensorError(
      'applyUpdates',
      `updates must have the model's structure (with null to skip leaves): ${(e as Error).message}`,
    );
  }
  const merged = pairs.map(([path, u], i) => {
    const m = modelParts[i];
    if (isNull(u)) return m;
    // A number leaf of the model (a learnable scalar) becomes a tensor once updated, as in Equinox.
    if (!(m instanceof Tensor) && typeof m !== 'number') {
      throw new TensorError(
        'applyUpdates',
        `updates${tree.keystr(path)} is an update, but the model has ${valueText(m)} there, which cannot be added to`,
      );
    }
    return add(m, u as Tensor);
  });
  return tree.unflatten<T>(updateDef, merged);
}
