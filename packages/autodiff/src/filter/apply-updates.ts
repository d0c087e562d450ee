/** `applyUpdates`: adds an update tree (e.g. from an optimiser) to a model, as Equinox does. */
import * as tree from '@equinox-ts/pytree';
import { TensorError, avalText, shapeText, valueText } from '../core/errors.js';
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
      `argument updates must have the structure of argument model (with null to skip leaves): ` +
        `${(e as Error).message}`,
    );
  }
  const merged = pairs.map(([path, u], i) => {
    const m = modelParts[i];
    if (isNull(u)) return m;
    checkUpdate(tree.keystr(path), m, u);
    return add(m as Tensor | number, u as Tensor | number);
  });
  return tree.unflatten<T>(updateDef, merged);
}

/**
 * Throws unless the update `u` at `where` can be added to the model's leaf `m` without changing its
 * shape: a broadcast would silently turn a parameter into one of another shape.
 */
function checkUpdate(where: string, m: unknown, u: unknown): void {
  // A number leaf of the model (a learnable scalar) becomes a tensor once updated, as in Equinox.
  if (!(m instanceof Tensor) && typeof m !== 'number') {
    throw new TensorError(
      'applyUpdates',
      `updates${where} is an update, but the model has ${valueText(m)} there, which cannot be added to`,
    );
  }
  const modelShape = m instanceof Tensor ? m.shape : [];
  const modelText = m instanceof Tensor ? avalText(m) : `the number ${m}`;
  if (typeof u === 'number' && modelShape.length === 0) return;
  if (!(u instanceof Tensor) || u.shape.join() !== modelShape.join()) {
    const found = u instanceof Tensor ? `a tensor of ${avalText(u)}` : valueText(u);
    throw new TensorError(
      'applyUpdates',
      `updates${where}: expected a tensor of shape ${shapeText(modelShape)} like the model's leaf ` +
        `(${modelText}), found ${found}`,
    );
  }
}
