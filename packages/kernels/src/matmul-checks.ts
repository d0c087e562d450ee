/**
 * Argument checks and result shape of matmul, shared by every backend so that each accepts the same
 * arguments and reports the same errors.
 */
import type { MatmulOptions } from './backend.js';
import type { DType } from './dtype.js';
import { KernelError, shapeText } from './errors.js';
import { broadcastShapes } from './shape.js';

/** What matmul needs of an operand to check it. */
interface Operand {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A checked product `[...batch, m, k] @ [...batch, k, n]`, after the options' transposes. */
export interface MatmulShapes {
  transposeA: boolean;
  transposeB: boolean;
  m: number;
  k: number;
  n: number;
  /** The broadcast batch shape; the result is `[...batch, m, n]`. */
  batch: number[];
}

/** `[rows, cols]` of an operand's last two dimensions after an optional transpose. */
function matrixOf(name: string, x: Operand, transpose: boolean): [number, number] {
  if (x.dtype !== 'float32') {
    throw new KernelError('matmul', `\`${name}\` must be float32, found ${x.dtype}`);
  }
  const r = x.shape.length;
  if (r < 2) {
    throw new KernelError(
      'matmul',
      `\`${name}\` must have rank 2 or more, found shape ${shapeText(x.shape)}`,
    );
  }
  const [rows, cols] = [x.shape[r - 2]!, x.shape[r - 1]!];
  return transpose ? [cols, rows] : [rows, cols];
}

/** Checks `a @ b` as {@link Backend.matmul} defines it and returns its sizes. */
export function checkMatmul(a: Operand, b: Operand, options?: MatmulOptions): MatmulShapes {
  const transposeA = options?.transposeA ?? false;
  const transposeB = options?.transposeB ?? false;
  const [m, k] = matrixOf('a', a, transposeA);
  const [kb, n] = matrixOf('b', b, transposeB);
  const described = (x: Operand, t: boolean) => shapeText(x.shape) + (t ? ' (transposed)' : '');
  if (k !== kb) {
    throw new KernelError(
      'matmul',
      `inner dimensions differ: ${described(a, transposeA)} @ ${described(b, transposeB)} (${k} != ${kb})`,
    );
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', batchA, batchB);
  } catch {
    throw new KernelError(
      'matmul',
      `batch dimensions cannot be broadcast together: ${shapeText(a.shape)} @ ${shapeText(b.shape)} ` +
        `(batch ${shapeText(batchA)} vs ${shapeText(batchB)})`,
    );
  }
  return { transposeA, transposeB, m, k, n, batch };
}
