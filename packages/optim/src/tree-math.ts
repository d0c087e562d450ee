/**
 * Leaf-wise arithmetic on update trees, shared by the transformations. Trees hold tensors, with `null`
 * for leaves that do not train (they stay `null`).
 */
import { Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';

/** Throws unless every leaf of `value` is a tensor, naming the operation and the path. */
export function checkTensors(op: string, what: string, value: unknown): void {
  for (const [path, leaf] of tree.leavesWithPath(value) as [tree.KeyPath, unknown][]) {
    if (!(leaf instanceof Tensor)) {
      const kind =
        leaf === null ? 'null' : typeof leaf === 'object' ? leaf.constructor.name : typeof leaf;
      throw new TensorError(
        op,
        `${what}${tree.keystr(path)} is ${kind}, expected a tensor; keep only the arrays of a model ` +
          "(tree.filter(model, isArray) or filterGrad's result), with null elsewhere",
      );
    }
  }
}

/**
 * `fn` applied to the tensors of `first` and the matching leaves of `rest` (same structure). Every
 * call with several trees is inside a transformation's `update`, with the updates (or a tree made from
 * them) first and the state or the params after: a mismatch there means the updates do not fit the
 * params the state was made from, so it is reported as `update`'s, not as `tree.map`'s.
 */
export function mapTensors<T>(
  fn: (...leaves: Tensor[]) => Tensor,
  first: T,
  ...rest: unknown[]
): T {
  try {
    return tree.map<T>(fn as (...leaves: unknown[]) => unknown, first, ...rest);
  } catch (e) {
    if (!(e instanceof tree.TreeStructureError) || rest.length === 0) throw e;
    const detail = e.message
      .replace(/^map: /, '')
      .replace('tree 0 has', 'the updates have')
      .replace('tree 1 has', 'the state (or params) has');
    throw new TensorError(
      'update',
      `the updates must have the structure of the params given to init: ${detail}`,
    );
  }
}

/** A tree of zeros shaped like the tensors of `params` (`null` stays `null`). */
export function zerosLike<T>(op: string, params: T): T {
  checkTensors(op, 'params', params);
  return mapTensors((p) => numpy.zerosLike(p), params);
}

/** A step counter as an int32 scalar tensor, so `jit` traces it instead of recompiling per step. */
export function zeroCount(): Tensor {
  return numpy.zeros([], { dtype: 'int32' });
}

const INT32_MAX = 2147483647;

/** `count + 1`, saturating at the largest int32 (Optax's `safe_int32_increment`). */
export function incrementCount(count: Tensor): Tensor {
  return numpy.where(count.lt(INT32_MAX), count.add(1), INT32_MAX).astype('int32');
}

/** `decay * moment + (1 - decay) * update`, leaf by leaf: an exponential moving average. */
export function updateMoment<T>(updates: T, moments: T, decay: number, order: 1 | 2): T {
  return mapTensors(
    (g, m) => (order === 1 ? g : g.square()).mul(1 - decay).add(m.mul(decay)),
    updates,
    moments,
  );
}

/** `moments / (1 - decay^count)`: Adam's bias correction, with `count` the step number (from 1). */
export function biasCorrection<T>(moments: T, decay: number, count: Tensor): T {
  const correction = numpy.power(decay, count.astype('float32')).neg().add(1);
  return mapTensors((m) => m.div(correction), moments);
}

/** The sum of every tensor's squared entries, as a float32 scalar. */
export function sumOfSquares(value: unknown): Tensor {
  const leaves = tree.leaves(value) as Tensor[];
  return leaves.reduce((total, leaf) => total.add(leaf.square().sum()), numpy.zeros([]));
}
