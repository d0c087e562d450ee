/** Argument checks shared by the random functions, with messages that name the function and argument. */
import type { DType } from '@equinox-ts/kernels';
import { broadcastShapes } from '@equinox-ts/kernels';
import { TensorError, avalText, shapeText, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { scalarLike } from '../primitives/constants.js';
import { cast } from '../primitives/elementwise.js';
import { array, type ArrayLike } from '../numpy/convert.js';

/** Throws unless `key` is one key: an int32 tensor of shape [2], as `random.key` and `random.split` make. */
export function checkKey(op: string, key: unknown): asserts key is Tensor {
  if (!(key instanceof Tensor)) {
    throw new TensorError(
      op,
      `\`key\` must be a key tensor from random.key, found ${valueText(key)}`,
    );
  }
  const batched = key.dtype === 'int32' && key.ndim > 1 && key.shape[key.ndim - 1] === 2;
  if (key.dtype !== 'int32' || key.ndim !== 1 || key.shape[0] !== 2) {
    throw new TensorError(
      op,
      `\`key\` must be one key, an int32 tensor of shape [2] (from random.key or random.split), found ` +
        `${avalText(key)}${batched ? '; for a batch of keys, map over them (vmap)' : ''}`,
    );
  }
}

/** Throws unless `shape` is a list of non-negative integers. */
export function checkShape(
  op: string,
  shape: unknown,
  argument = 'shape',
): asserts shape is readonly number[] {
  if (!Array.isArray(shape) || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new TensorError(
      op,
      `\`${argument}\` must be a list of non-negative integers, found ${valueText(shape)}`,
    );
  }
}

/**
 * Throws unless parameters of `paramShapes` broadcast to exactly `shape`, as JAX's samplers require
 * (a parameter may not add dimensions the requested shape lacks).
 */
export function checkParamShapes(
  op: string,
  shape: readonly number[],
  ...paramShapes: (readonly number[])[]
): void {
  let result: number[] | undefined;
  try {
    result = broadcastShapes(op, shape, ...paramShapes);
  } catch {
    result = undefined;
  }
  if (!result || result.length !== shape.length || result.some((n, d) => n !== shape[d])) {
    throw new TensorError(
      op,
      `parameter shapes ${paramShapes.map(shapeText).join(', ')} must broadcast to the requested shape ` +
        `${shapeText(shape)}`,
    );
  }
}

/** Throws unless `dtype` (default float32) is float32, the only float dtype there is. */
export function checkFloatDtype(op: string, dtype: DType | undefined): void {
  if (dtype !== undefined && dtype !== 'float32') {
    throw new TensorError(
      op,
      `\`dtype\` must be a float dtype ('float32'), found '${String(dtype)}'`,
    );
  }
}

/** `x` as a tensor of `dtype` on the backend of `like` (numbers become 0-d tensors). */
export function tensorOn(like: Tensor, x: ArrayLike, dtype: DType): Tensor {
  if (x instanceof Tensor) return cast(x, dtype);
  if (typeof x === 'number' || typeof x === 'boolean') return scalarLike(like, Number(x), dtype);
  return array(x, { dtype, backend: like.backend });
}

/** The number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
