/** Making tensors from shapes and ranges: zeros, ones, full, arange, linspace, eye, and the `*Like` forms. */
import type { Backend, DType } from '@equinox-ts/kernels';
import { getDefaultBackend } from '../core/default-backend.js';
import { TensorError, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { filled, iotaLike } from '../primitives/constants.js';
import { binary, cast } from '../primitives/elementwise.js';
import { scalarLike } from '../primitives/constants.js';
import { asarrayFor, type ArrayLike } from './convert.js';

/** Options of the creation functions. */
export interface CreationOptions {
  /** The element type (default float32). */
  dtype?: DType;
  /** Where the tensor lives (default: the default backend). */
  backend?: Backend;
}

/** `shape` as a list (a number is one dimension, as in NumPy), checked. */
function checkShape(op: string, shape: number | readonly number[]): readonly number[] {
  const list: unknown = typeof shape === 'number' ? [shape] : shape;
  const valid = Array.isArray(list) && list.every((n) => Number.isInteger(n) && (n as number) >= 0);
  if (!valid) {
    throw new TensorError(
      op,
      `shape must be a list of non-negative integers, found ${valueText(list)}`,
    );
  }
  return list as readonly number[];
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * numpy.full([2], 7).tolist(); // [7, 7]
 * numpy.full([2], 7, { dtype: 'int32' }).dtype; // 'int32'
 * ```
 */
export function full(
  shape: number | readonly number[],
  value: number | boolean,
  options: CreationOptions = {},
): Tensor {
  return fill('full', shape, value, options);
}

function fill(
  op: string,
  shape: number | readonly number[],
  value: number | boolean,
  options: CreationOptions,
): Tensor {
  const dims = checkShape(op, shape);
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  return filled(dims, Number(value), dtype, options.backend ?? getDefaultBackend());
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * numpy.zeros([2, 3]).shape; // [2, 3]
 * numpy.zeros(4).shape; // [4]
 * ```
 */
export function zeros(shape: number | readonly number[], options: CreationOptions = {}): Tensor {
  return fill('zeros', shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * numpy.ones([2]).tolist(); // [1, 1]
 * ```
 */
export function ones(shape: number | readonly number[], options: CreationOptions = {}): Tensor {
  return fill('ones', shape, 1, options);
}

/**
 * A tensor with the shape (and by default dtype and backend) of `like`, filled with `value`.
 *
 * @example
 * ```ts
 * numpy.fullLike(numpy.zeros([2], { dtype: 'int32' }), 3).tolist(); // [3, 3]
 * ```
 */
export function fullLike(
  like: ArrayLike,
  value: number | boolean,
  options: { dtype?: DType } = {},
): Tensor {
  return filledLike('fullLike', like, value, options);
}

/** {@link fullLike}, with `op` (the function the user called) named in errors. */
function filledLike(
  op: string,
  like: ArrayLike,
  value: number | boolean,
  options: { dtype?: DType },
): Tensor {
  const t = asarrayFor(op, like);
  return filled(t.shape, Number(value), options.dtype ?? t.dtype, t.backend);
}

/**
 * Zeros with the shape, dtype and backend of `like`.
 *
 * @example
 * ```ts
 * numpy.zerosLike(numpy.ones([2, 2])).tolist(); // [[0, 0], [0, 0]]
 * ```
 */
export function zerosLike(like: ArrayLike, options: { dtype?: DType } = {}): Tensor {
  return filledLike('zerosLike', like, 0, options);
}

/**
 * Ones with the shape, dtype and backend of `like`.
 *
 * @example
 * ```ts
 * numpy.onesLike(numpy.zeros([2])).tolist(); // [1, 1]
 * ```
 */
export function onesLike(like: ArrayLike, options: { dtype?: DType } = {}): Tensor {
  return filledLike('onesLike', like, 1, options);
}

/**
 * Evenly spaced values in `[start, stop)`: `arange(stop)`, `arange(start, stop)` or
 * `arange(start, stop, step)`. int32 when every argument is an integer (as JAX), else float32.
 *
 * @example
 * ```ts
 * numpy.arange(4).tolist(); // [0, 1, 2, 3]
 * numpy.arange(1, 2, 0.25).tolist(); // [1, 1.25, 1.5, 1.75]
 * numpy.arange(5, 0, -2).tolist(); // [5, 3, 1]
 * ```
 */
export function arange(
  start: number,
  stop?: number,
  step = 1,
  options: CreationOptions = {},
): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new TensorError(
      'arange',
      `step must be a nonzero finite number, found ${valueText(step)}`,
    );
  if (!Number.isFinite(start) || !Number.isFinite(stop))
    throw new TensorError(
      'arange',
      `start and stop must be finite numbers, found ${valueText(start)} and ${valueText(stop)}`,
    );
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const integral = Number.isInteger(start) && Number.isInteger(step) && Number.isInteger(stop);
  const dtype = options.dtype ?? (integral ? 'int32' : 'float32');
  const backend = options.backend ?? getDefaultBackend();
  // Computed in float64 here so that start + i * step is exact for integer ranges of any length.
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
  return cast(Tensor._fromArray(backend.upload(data, [n])), dtype);
}

/** Options of {@link linspace}. */
export interface LinspaceOptions extends CreationOptions {
  /** Include `stop` as the last value (default true). */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced values from `start` to `stop` (inclusive unless `endpoint: false`). With an
 * int32 `dtype` the values are rounded down, as in JAX.
 *
 * @example
 * ```ts
 * numpy.linspace(0, 1, 5).tolist(); // [0, 0.25, 0.5, 0.75, 1]
 * numpy.linspace(0, 1, 4, { endpoint: false }).tolist(); // [0, 0.25, 0.5, 0.75]
 * numpy.linspace(-1, 0, 3, { dtype: 'int32' }).tolist(); // [-1, -1, 0]
 * ```
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  options: LinspaceOptions = {},
): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new TensorError('linspace', `num must be a non-negative integer, found ${num}`);
  // NaN and infinite ends give NaN and infinite values, as in NumPy; a non-number is a mistake.
  if (typeof start !== 'number' || typeof stop !== 'number')
    throw new TensorError(
      'linspace',
      `start and stop must be numbers, found ${valueText(start)} and ${valueText(stop)}`,
    );
  const endpoint = options.endpoint ?? true;
  const divisions = endpoint ? num - 1 : num;
  const step = divisions > 0 ? (stop - start) / divisions : 0;
  const values = new Float32Array(num);
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  if (endpoint && num > 1) values[num - 1] = stop;
  const backend = options.backend ?? getDefaultBackend();
  const dtype = options.dtype ?? 'float32';
  // Integer results are floored, as JAX does (a cast would round toward zero: -0.5 would give 0).
  const data = dtype === 'int32' ? Int32Array.from(values, (v) => Math.floor(v)) : values;
  return cast(Tensor._fromArray(backend.upload(data, [num])), dtype);
}

/** Options of {@link eye}. */
export interface EyeOptions extends CreationOptions {
  /** The diagonal: 0 the main one, positive above it, negative below. */
  k?: number;
}

/**
 * An `n` by `m` (default `n`) matrix with ones on diagonal `k` and zeros elsewhere.
 *
 * @example
 * ```ts
 * numpy.eye(2).tolist(); // [[1, 0], [0, 1]]
 * numpy.eye(2, 3, { k: 1 }).tolist(); // [[0, 1, 0], [0, 0, 1]]
 * ```
 */
export function eye(n: number, m: number = n, options: EyeOptions = {}): Tensor {
  checkShape('eye', [n, m]);
  const backend = options.backend ?? getDefaultBackend();
  const rows = iotaLike([n, m], 0, 'int32', backend);
  const cols = iotaLike([n, m], 1, 'int32', backend);
  const onDiagonal = binary('eq', binary('sub', cols, rows), scalarLike(rows, options.k ?? 0));
  return cast(onDiagonal, options.dtype ?? 'float32');
}

/**
 * The `n` by `n` identity matrix.
 *
 * @example
 * ```ts
 * numpy.identity(3).sum().item(); // 3
 * ```
 */
export function identity(n: number, options: CreationOptions = {}): Tensor {
  checkShape('identity', [n]);
  return eye(n, n, options);
}
