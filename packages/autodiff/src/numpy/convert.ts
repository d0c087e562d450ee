/** Turning JavaScript values into tensors, and tensors into other dtypes and backends. */
import { type Backend, type DType, allocData } from '@equinox-ts/kernels';
import { getDefaultBackend } from '../core/default-backend.js';
import { TensorError, avalText } from '../core/errors.js';
import { resultDtype, weakDtypeOf } from '../core/dtype.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { cast } from '../primitives/elementwise.js';

/** Anything the numpy functions accept where a tensor is expected. */
export type ArrayLike =
  | Tensor
  | NestedArray
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array;

/** Options of {@link array}. */
export interface ArrayOptions {
  /** The dtype; by default float32 for numbers, bool for booleans, and the typed array's own for typed arrays. */
  dtype?: DType;
  /** The shape, for flat data (typed arrays); by default the nesting of the data. */
  shape?: readonly number[];
  /** Where the tensor lives; the default backend unless given. */
  backend?: Backend;
}

function typedDtype(data: ArrayBufferView): DType | undefined {
  if (data instanceof Float32Array || data instanceof Float64Array) return 'float32';
  if (
    data instanceof Int32Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array ||
    data instanceof Uint16Array ||
    data instanceof Uint8Array
  )
    return 'int32';
  return undefined;
}

function nestedShape(op: string, data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

function flattenNested(
  op: string,
  data: NestedArray,
  shape: readonly number[],
  out: number[],
): void {
  const visit = (value: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof value === 'number') out.push(value);
      else if (typeof value === 'boolean') out.push(value ? 1 : 0);
      else
        throw new TensorError(
          op,
          `ragged nested array: expected a number at ${path}, found an array`,
        );
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new TensorError(
        op,
        `ragged nested array: expected ${shape[dim]} entries at ${path || 'the top'}, found ` +
          (Array.isArray(value) ? `${value.length}` : typeof value),
      );
    }
    value.forEach((v, i) => visit(v, dim + 1, `${path}[${i}]`));
  };
  visit(data, 0, '');
}

/**
 * A new tensor from a nested array, a typed array (with `shape` for more than one dimension), a
 * number, a boolean or another tensor. JavaScript numbers become float32 (there is no separate integer
 * type to tell them apart) unless `dtype` says otherwise; typed arrays keep their kind (Int32Array and
 * the small integer arrays give int32).
 *
 * @example
 * ```ts
 * numpy.array([[1, 2], [3, 4]]).shape; // [2, 2]
 * numpy.array([1, 2], { dtype: 'int32' }).dtype; // 'int32'
 * numpy.array([true, false]).dtype; // 'bool'
 * numpy.array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export function array(data: ArrayLike, options: ArrayOptions = {}): Tensor {
  const backend = options.backend ?? getDefaultBackend();
  if (data instanceof Tensor) {
    const moved = data.backend === backend ? data : devicePut(data, backend);
    return options.dtype ? astype(moved, options.dtype) : moved;
  }
  let values: ArrayBufferView | number[];
  let shape: readonly number[];
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    const natural = typedDtype(data);
    if (!natural)
      throw new TensorError('array', `unsupported typed array ${data.constructor.name}`);
    dtype = options.dtype ?? natural;
    shape = options.shape ?? [data.length];
    values = data;
  } else {
    const nested = nestedShape('array', data);
    const flat: number[] = [];
    flattenNested('array', data, nested, flat);
    const first = nested.length === 0 ? data : undefined;
    const isBool =
      typeof first === 'boolean' || (Array.isArray(data) && typeof deepFirst(data) === 'boolean');
    dtype = options.dtype ?? (isBool ? 'bool' : 'float32');
    shape = options.shape ?? nested;
    values = flat;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const source = values as unknown as { readonly length: number; readonly [i: number]: number };
  if (size !== source.length) {
    throw new TensorError(
      'array',
      `shape [${shape.join(', ')}] needs ${size} elements, found ${source.length}`,
    );
  }
  const buffer = allocData(dtype, size);
  for (let i = 0; i < size; i++) buffer[i] = dtype === 'bool' ? (source[i] ? 1 : 0) : source[i]!;
  return Tensor._fromArray(backend.upload(buffer, shape));
}

function deepFirst(data: NestedArray): NestedArray | undefined {
  let level = data;
  while (Array.isArray(level)) {
    if (level.length === 0) return undefined;
    level = level[0]!;
  }
  return level;
}

/**
 * `x` as a tensor: tensors are returned as they are (converted when `dtype` differs); anything else is
 * made into a tensor as {@link array} does.
 *
 * @example
 * ```ts
 * const x = numpy.ones([2]);
 * numpy.asarray(x) === x; // true
 * numpy.asarray(3).shape; // []
 * ```
 */
export function asarray(x: ArrayLike, options: { dtype?: DType } = {}): Tensor {
  if (x instanceof Tensor) return options.dtype ? astype(x, options.dtype) : x;
  return array(x, options);
}

/**
 * `x` converted to `dtype`: float to int truncates toward zero, anything to bool is `x != 0`.
 *
 * @example
 * ```ts
 * numpy.astype(numpy.array([-1.5, 2.7]), 'int32').tolist(); // [-1, 2]
 * ```
 */
export function astype(x: ArrayLike, dtype: DType): Tensor {
  return cast(asarray(x), dtype);
}

/**
 * A copy of `x` on `backend` (`jax.device_put`): the way to move tensors between backends.
 *
 * @example
 * ```ts
 * const target = getDefaultBackend(); // e.g. a WebGPU backend from @equinox-ts/kernels
 * devicePut(numpy.ones([2]), target).backend === target; // true
 * ```
 */
export function devicePut(x: Tensor, backend: Backend): Tensor {
  if (x.backend === backend) return x;
  if (x._trace !== null)
    throw new TensorError('devicePut', 'cannot move a traced tensor between backends');
  const source = x._array('devicePut');
  const data = source.backend.readSync?.(source);
  if (!data) {
    throw new TensorError(
      'devicePut',
      `the ${source.backend.name} backend cannot read synchronously; await x.data() and make a new tensor`,
    );
  }
  return Tensor._fromArray(backend.upload(data, x.shape));
}

/**
 * Converts the operands of an elementwise operation to tensors of one dtype, with JAX's promotion:
 * JavaScript numbers are weakly typed and take the tensors' dtype where they fit. `backend` is that of
 * the first tensor operand.
 */
export function promoteOperands(
  op: string,
  operands: readonly ArrayLike[],
  minimum?: DType,
): Tensor[] {
  const strong: DType[] = [];
  const weak: DType[] = [];
  let backend: Backend | undefined;
  for (const x of operands) {
    if (x instanceof Tensor) {
      strong.push(x.dtype);
      backend ??= x.backend;
    } else if (typeof x === 'number' || typeof x === 'boolean') weak.push(weakDtypeOf(x));
    else strong.push(asarray(x).dtype);
  }
  let dtype = resultDtype(strong, weak);
  if (minimum === 'float32') dtype = 'float32';
  else if (minimum === 'int32' && dtype === 'bool') dtype = 'int32';
  backend ??= getDefaultBackend();
  return operands.map((x) => {
    if (x instanceof Tensor) return cast(x, dtype);
    if (typeof x === 'number' || typeof x === 'boolean') {
      return Tensor._fromArray(backend.full([], Number(x), dtype));
    }
    return array(x, { dtype, backend });
  });
}

/** Throws unless `x` has one of `dtypes`. */
export function requireDtype(
  op: string,
  argument: string,
  x: Tensor,
  dtypes: readonly DType[],
): void {
  if (!dtypes.includes(x.dtype)) {
    throw new TensorError(
      op,
      `\`${argument}\` must be ${dtypes.join(' or ')}, found ${avalText(x)}`,
    );
  }
}
