/** Constant tensors made directly on a backend, for rules and functions that need fixed values. */
import type { Backend, DType } from '@equinox-ts/kernels';
import { Tensor } from '../tensor.js';

/** A tensor of `shape` filled with `value`, on `backend`. */
export function filled(
  shape: readonly number[],
  value: number,
  dtype: DType,
  backend: Backend,
): Tensor {
  return Tensor._fromArray(backend.full(shape, value, dtype));
}

/** A 0-d tensor holding `value`, on the same backend as `like` and with its dtype unless given. */
export function scalarLike(like: Tensor, value: number, dtype: DType = like.dtype): Tensor {
  return filled([], value, dtype, like.backend);
}

/** Zeros with the shape and dtype of `like`, on its backend. */
export function zerosLike(like: Tensor): Tensor {
  return filled(like.shape, 0, like.dtype, like.backend);
}

/** Counting along `axis` of `shape`: element `[..., i, ...]` is `i`. */
export function iotaLike(
  shape: readonly number[],
  axis: number,
  dtype: DType,
  backend: Backend,
): Tensor {
  return Tensor._fromArray(backend.iota(shape, axis, dtype));
}
