/** Helpers of the wrapper layers (WeightNorm, SpectralNorm): reading and replacing a wrapped layer's weight. */
import { Tensor, TensorError } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';

/** A layer's field names, for messages. */
function fieldNames(layer: object): string {
  return Object.keys(layer).join(', ') || 'none';
}

/** The tensor field `weightName` of `layer`, or an error that names the layer and its fields. */
export function weightOf(wrapper: string, layer: unknown, weightName: unknown): Tensor {
  if (typeof weightName !== 'string') {
    throw new TensorError(wrapper, `\`weightName\` must be a string, found ${typeof weightName}`);
  }
  if (typeof layer !== 'object' || layer === null) {
    throw new TensorError(wrapper, `\`layer\` must be a layer (a Module), found ${String(layer)}`);
  }
  const kind = layer.constructor?.name ?? 'object';
  if (!Object.prototype.hasOwnProperty.call(layer, weightName)) {
    throw new TensorError(
      wrapper,
      `\`weightName\` '${weightName}' is not a field of the ${kind} layer (its fields: ${fieldNames(layer)})`,
    );
  }
  const weight = (layer as Record<string, unknown>)[weightName];
  if (!(weight instanceof Tensor)) {
    throw new TensorError(
      wrapper,
      `the field '${weightName}' of the ${kind} layer must be a tensor, found ${weight === null ? 'null' : typeof weight}`,
    );
  }
  return weight;
}

/** A copy of `layer` with the field `weightName` set to `weight`. */
export function withWeight<L>(layer: L, weightName: string, weight: Tensor): L {
  return tree.treeAt((l: L) => (l as Record<string, unknown>)[weightName], layer, weight);
}
