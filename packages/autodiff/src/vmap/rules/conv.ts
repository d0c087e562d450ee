/**
 * Batching rules of the convolution primitives, each one call of its primitive. A batch that only the
 * image (or only `dy`) carries folds into the examples axis N. A batch the filter carries becomes
 * feature groups: the examples' filter banks side by side as one bank, each example's features
 * convolved only with its own filters, so per-example gradients (`vmap(grad(loss))`) cost one
 * convolution, not one per example.
 *
 * Group convention (the kernels'): with `groups` G, the input features split into G consecutive
 * blocks, the filter's output features too, and block g of the outputs sees only block g of the
 * inputs. A batch folded into features is therefore placed inside each group: `[G, B, n / G]`.
 */
import type { ConvParams } from '../../primitives/conv.js';
import { conv, convBackwardFilter, convBackwardInput } from '../../primitives/conv.js';
import type { Tensor } from '../../tensor.js';
import { batchSize, foldIntoLeading, mergeAxes, moveAxis, splitAxis } from '../axes.js';
import { defineBatchRule } from './define.js';

interface BackwardInputParams extends ConvParams {
  readonly xShape: readonly number[];
}

interface BackwardFilterParams extends ConvParams {
  readonly wShape: readonly number[];
}

/** Installs the batching rules of `conv`, `convBackwardInput` and `convBackwardFilter`. */
export function installConvRules(): void {
  defineBatchRule<ConvParams>('conv', ([x, w], dims, params) => {
    const [dimX = null, dimW = null] = dims;
    if (dimW === null) {
      const [folded, unfold] = foldIntoLeading(x!, dimX!, 1);
      return unfold(conv(folded, w!, params));
    }
    const size = batchSize([x!, w!], dims);
    if (dimX === null) {
      // Every example's filters on the same images: B times the output features, in the same groups.
      const y = conv(x!, foldBatch(w!, dimW, 0, params.groups), params);
      return unfoldBatch(y, 1, size, params.groups);
    }
    const y = conv(foldBatch(x!, dimX, 1), foldBatch(w!, dimW, 0), {
      ...params,
      groups: params.groups * size,
    });
    return unfoldBatch(y, 1, size);
  });

  defineBatchRule<BackwardInputParams>('convBackwardInput', ([dy, w], dims, params) => {
    const [dimDy = null, dimW = null] = dims;
    const { xShape, ...options } = params;
    if (dimW === null) {
      const [folded, unfold] = foldIntoLeading(dy!, dimDy!, 1);
      return unfold(convBackwardInput(folded, w!, [folded.shape[0]!, ...xShape.slice(1)], options));
    }
    const size = batchSize([dy!, w!], dims);
    const [n, c, ...spatial] = xShape;
    const batchedShape = [n!, size * c!, ...spatial];
    if (dimDy === null) {
      // Each input feature's gradient reads one column of the filter, so the examples' filters side
      // by side along the filter's input features give every example's gradient in one call.
      const dx = convBackwardInput(dy!, foldBatch(w!, dimW, 1), batchedShape, options);
      return unfoldBatch(dx, 1, size, options.groups);
    }
    const dx = convBackwardInput(foldBatch(dy!, dimDy, 1), foldBatch(w!, dimW, 0), batchedShape, {
      ...options,
      groups: options.groups * size,
    });
    return unfoldBatch(dx, 1, size);
  });

  defineBatchRule<BackwardFilterParams>('convBackwardFilter', ([x, dy], dims, params) => {
    const [dimX = null, dimDy = null] = dims;
    const { wShape, ...options } = params;
    const size = batchSize([x!, dy!], dims);
    const [outFeatures, groupFeatures, ...kernel] = wShape;
    if (dimDy === null) {
      // The examples' images side by side within each group's input features: [O, B * C / G, ...].
      const dw = convBackwardFilter(
        foldBatch(x!, dimX!, 1, options.groups),
        dy!,
        [outFeatures!, size * groupFeatures!, ...kernel],
        options,
      );
      return unfoldBatch(dw, 1, size);
    }
    const batchedShape = [size * outFeatures!, groupFeatures!, ...kernel];
    if (dimX === null) {
      // The examples' dy side by side within each group's output features: [B * O, C / G, ...].
      const dw = convBackwardFilter(
        x!,
        foldBatch(dy!, dimDy, 1, options.groups),
        batchedShape,
        options,
      );
      return unfoldBatch(dw, 0, size, options.groups);
    }
    // Per-example filter gradients: one grouped call, example b's features forming groups of their own.
    const dw = convBackwardFilter(foldBatch(x!, dimX, 1), foldBatch(dy!, dimDy, 1), batchedShape, {
      ...options,
      groups: options.groups * size,
    });
    return unfoldBatch(dw, 0, size);
  });
}

/**
 * `x` with its batch axis (at `dim`) merged into its logical axis `axis`, laid out along the merged
 * axis as `[groups, batch, n / groups]` (n: the logical axis's size).
 */
function foldBatch(x: Tensor, dim: number, axis: number, groups = 1): Tensor {
  let t = moveAxis(x, dim, axis); // [..., B, n, ...]
  if (groups > 1) {
    t = moveAxis(splitAxis(t, axis + 1, groups), axis, axis + 1); // [..., G, B, n / G, ...]
    t = mergeAxes(t, axis);
  }
  return mergeAxes(t, axis);
}

/**
 * The inverse of {@link foldBatch} on an output: axis `axis` of `y`, laid out as `[groups, size,
 * rest]`, split into a batch axis at `axis` followed by the logical axis of `groups * rest`.
 */
function unfoldBatch(y: Tensor, axis: number, size: number, groups = 1): [Tensor, number] {
  if (groups === 1) return [splitAxis(y, axis, size), axis];
  const t = moveAxis(splitAxis(splitAxis(y, axis, groups), axis + 1, size), axis + 1, axis);
  return [mergeAxes(t, axis + 1), axis]; // [..., B, G, rest, ...] -> [..., B, G * rest, ...]
}
