/** The argsort primitive: the stable order of elements along an axis (an int32 result, so no VJP). */
import { TensorError, avalText } from '../core/errors.js';
import { bind, definePrimitive } from '../core/primitive.js';
import type { Tensor } from '../tensor.js';

interface ArgsortParams {
  readonly axis: number;
  readonly descending: boolean;
}

const argsortP = definePrimitive<ArgsortParams>({
  name: 'argsort',
  shape: ([x]) => {
    if (x!.dtype === 'bool')
      throw new TensorError('argsort', `expected float32 or int32 input, found ${avalText(x!)}`);
    return { shape: x!.shape, dtype: 'int32' };
  },
  impl: (backend, [x], { axis, descending }) => backend.argsort(x!, axis, descending),
});

/** The int32 indices that sort `x` along `axis` (in range): stable, NaN last (first when descending). */
export function argsort(x: Tensor, axis: number, descending: boolean): Tensor {
  return bind(argsortP, [x], { axis, descending });
}
