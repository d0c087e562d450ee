/** `inferenceMode`: switches every layer that behaves differently at inference (Dropout, BatchNorm). */
import * as tree from '@equinox-ts/pytree';
import { isModule } from './module.js';

// By key, not by value: treeAt hands `where` a copy whose leaves are stand-ins.
const hasInference = (x: unknown): boolean =>
  isModule(x) && Object.prototype.hasOwnProperty.call(x, 'inference');

/**
 * A copy of `model` with the `inference` field of every layer that has one set to `value` (Equinox's
 * `eqx.nn.inference_mode`): `Dropout` stops dropping, `BatchNorm` uses its running statistics.
 *
 * @example
 * ```ts
 * const model = new Sequential([new Dropout(0.5), new Identity()]);
 * const evaluating = inferenceMode(model);
 * (evaluating.layers[0] as Dropout).inference; // true
 * (inferenceMode(evaluating, false).layers[0] as Dropout).inference; // false
 * ```
 */
export function inferenceMode<T>(model: T, value = true): T {
  if (typeof value !== 'boolean') {
    throw new TypeError(`inferenceMode: \`value\` must be a boolean, found ${typeof value}`);
  }
  const layers = (tree.leaves(model, { isLeaf: hasInference }) as unknown[]).filter(hasInference);
  if (layers.length === 0) return model;
  return tree.treeAt(
    (m: T) =>
      (tree.leaves(m, { isLeaf: hasInference }) as unknown[])
        .filter(hasInference)
        .map((layer) => (layer as { inference: boolean }).inference),
    model,
    { replaceFn: () => value },
  );
}
