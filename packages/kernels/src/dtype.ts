/** Element types, and the typed arrays that hold them. */

/**
 * The element types a backend stores. `float32` is first class; `int32` holds indices and random bits;
 * `bool` holds masks (one byte per element, 0 or 1).
 *
 * @example
 * ```ts
 * const dtype: DType = 'float32';
 * ```
 */
export type DType = 'float32' | 'int32' | 'bool';

/**
 * The typed array that holds elements of each {@link DType}: `Float32Array`, `Int32Array`, or a
 * `Uint8Array` of 0s and 1s for `bool`.
 *
 * @example
 * ```ts
 * const mask: DataFor<'bool'> = new Uint8Array([1, 0, 1]);
 * ```
 */
export type DataFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : Uint8Array;

/**
 * Any array of elements a backend reads from or writes to.
 *
 * @example
 * ```ts
 * const data: DataArray = new Float32Array([1, 2, 3]);
 * ```
 */
export type DataArray = Float32Array | Int32Array | Uint8Array;

/**
 * A new zero-filled typed array for `size` elements of `dtype`.
 *
 * @example
 * ```ts
 * allocData('int32', 3); // Int32Array [0, 0, 0]
 * ```
 */
export function allocData<D extends DType>(dtype: D, size: number): DataFor<D> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size) as DataFor<D>;
    case 'int32':
      return new Int32Array(size) as DataFor<D>;
    default:
      return new Uint8Array(size) as DataFor<D>;
  }
}

/**
 * The dtype a typed array holds: `Float32Array` is `float32`, `Int32Array` is `int32`, `Uint8Array` is `bool`.
 * Returns `undefined` for any other value.
 *
 * @example
 * ```ts
 * dtypeOfData(new Int32Array(2)); // 'int32'
 * ```
 */
export function dtypeOfData(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  return undefined;
}

/** Bytes per element as stored: bool arrays are bytes. */
export const elementBytes = (dtype: DType): number => (dtype === 'bool' ? 1 : 4);

/** True for the three dtype names. */
export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'int32' || value === 'bool';
}
