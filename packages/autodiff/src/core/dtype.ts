/**
 * Dtype rules. float32 is the default; int32 and bool exist for indices and masks. Binary operations
 * promote along bool < int32 < float32. A JavaScript number is *weakly typed*, as a Python scalar is in
 * JAX: next to a tensor it takes the tensor's dtype, unless it is not an integer and the tensor is int32
 * or bool (then the result is float32), or it is an integer next to a bool tensor (then int32).
 */
import type { DType } from '@equinox-ts/kernels';

/** True for dtypes that hold real numbers and so can be differentiated (only float32 today). */
export function isFloatDtype(dtype: DType): boolean {
  return dtype === 'float32';
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };
const BY_RANK: DType[] = ['bool', 'int32', 'float32'];

/** The dtype that both of two strongly typed dtypes convert to. */
export function promoteDtypes(a: DType, b: DType): DType {
  return BY_RANK[Math.max(RANK[a], RANK[b])]!;
}

/** The smallest dtype that holds a JavaScript value as a weak scalar. */
export function weakDtypeOf(value: number | boolean): DType {
  if (typeof value === 'boolean') return 'bool';
  return Number.isInteger(value) ? 'int32' : 'float32';
}

/**
 * The dtype of an operation on `strong` dtypes (from tensors) and `weak` ones (from JavaScript
 * scalars). With no tensor at all, numbers are float32, as tensors made from them are.
 */
export function resultDtype(strong: readonly DType[], weak: readonly DType[]): DType {
  if (strong.length === 0) {
    return weak.length > 0 && weak.every((d) => d === 'bool') ? 'bool' : 'float32';
  }
  let dtype = strong.reduce(promoteDtypes);
  for (const w of weak) if (RANK[w] > RANK[dtype]) dtype = w;
  return dtype;
}
