/** The batched matrix product primitive. */
import { broadcastShapes, type MatmulOptions } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import { bind, definePrimitive } from '../core/primitive.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './reduce.js';

interface MatmulParams {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

const matmulP = definePrimitive<MatmulParams>({
  name: 'matmul',
  shape: ([a, b], { transposeA, transposeB }) => {
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') {
      throw new TensorError(
        'matmul',
        `expected float32 inputs, found ${avalText(a!)} and ${avalText(b!)}`,
      );
    }
    if (a!.shape.length < 2 || b!.shape.length < 2) {
      throw new TensorError(
        'matmul',
        `expected inputs of rank 2 or more, found ${avalText(a!)} and ${avalText(b!)}`,
      );
    }
    const [m, ka] = transposeA ? a!.shape.slice(-2).reverse() : a!.shape.slice(-2);
    const [kb, n] = transposeB ? b!.shape.slice(-2).reverse() : b!.shape.slice(-2);
    if (ka !== kb) {
      throw new TensorError(
        'matmul',
        `inner dimensions differ: ${avalText(a!)} @ ${avalText(b!)} (${ka} != ${kb})`,
      );
    }
    let batch: number[];
    try {
      batch = broadcastShapes('matmul', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
    } catch {
      throw new TensorError(
        'matmul',
        `batch dimensions of ${avalText(a!)} and ${avalText(b!)} do not broadcast`,
      );
    }
    return { shape: [...batch, m!, n!], dtype: 'float32' };
  },
  impl: (backend, [a, b], options) => backend.matmul(a!, b!, options),
  vjp: (ct, [a, b], _y, { transposeA: tA, transposeB: tB }, needed) => {
    // C = op(A) op(B), so d op(A) = ct op(B)^T and d op(B) = op(A)^T ct; transpose back where op did.
    const da = !needed[0]
      ? null
      : tA
        ? matmul(b!, ct, { transposeA: tB, transposeB: true })
        : matmul(ct, b!, { transposeB: !tB });
    const db = !needed[1]
      ? null
      : tB
        ? matmul(ct, a!, { transposeA: true, transposeB: tA })
        : matmul(a!, ct, { transposeA: !tA });
    return [da && sumToShape(da, a!.shape), db && sumToShape(db, b!.shape)];
  },
});

/** Batched `op(a) @ op(b)` of rank-2+ float32 tensors, batch dimensions broadcast; `op` may transpose. */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  return bind(matmulP, [a, b], {
    transposeA: options.transposeA ?? false,
    transposeB: options.transposeB ?? false,
  });
}
