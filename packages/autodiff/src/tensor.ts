/** The Tensor class: an immutable n-dimensional array on one backend. */
import type { Backend, BackendArray, DataArray, DType } from '@equinox-ts/kernels';
import { TensorError } from './core/errors.js';
import { formatValues } from './core/format.js';
import { countTensor, uncountTensor, type TensorCount } from './debug/tensor-count.js';
import type { Trace } from './core/trace.js';
import * as math from './numpy/math.js';
import * as reductions from './numpy/reductions.js';
import * as shapes from './numpy/shape.js';
import { dot, matmul } from './numpy/linalg.js';
import { argsort, sort, type SortOptions } from './numpy/sorting.js';
import { astype } from './numpy/convert.js';
import { index, type Index } from './numpy/indexing.js';
import { at, type IndexUpdate } from './numpy/at.js';
import type { ArrayLike } from './numpy/convert.js';
import type { ReduceOptions, VarOptions } from './numpy/reductions.js';

/**
 * A nested JavaScript array of numbers or booleans, as {@link Tensor.tolist} returns.
 *
 * @example
 * ```ts
 * const rows: NestedArray = [[1, 2], [3, 4]];
 * numpy.array(rows).shape; // [2, 2]
 * ```
 */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An immutable n-dimensional array of float32, int32 or bool elements on one backend. Made by the
 * functions of `numpy` (`numpy.array([[1, 2], [3, 4]])`); every operation returns a new tensor.
 * Memory is freed by the garbage collector: there is nothing to dispose. A tensor is a leaf of every
 * pytree, so models that hold tensors pass through `grad` as a whole.
 *
 * @example
 * ```ts
 * const x = numpy.array([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.dtype; // 'float32'
 * x.mul(2).add(1).dataSync(); // Float32Array [3, 5, 7, 9]
 * x.T.tolist(); // [[1, 3], [2, 4]]
 * await x.sum().data(); // Float32Array [10]
 * ```
 */
export class Tensor {
  /** The number of elements. */
  readonly size: number;
  /** @internal This tensor's place in `debug.memory`'s count; `null` for a tracer. */
  readonly _count: TensorCount | null;

  /**
   * Tensors are made by `numpy` functions, not by this constructor.
   * @internal
   */
  constructor(
    /** The length of each dimension. */
    readonly shape: readonly number[],
    /** `'float32'`, `'int32'` or `'bool'`. */
    readonly dtype: DType,
    /** @internal The transformation this tensor is a tracer of; `null` for a concrete tensor. */
    readonly _trace: Trace | null,
    /** @internal The backend array of a concrete tensor, or the trace's data for a tracer. */
    readonly _payload: unknown,
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    // Frozen so that a shape handed out cannot be changed under the tensor.
    if (!Object.isFrozen(shape)) this.shape = Object.freeze([...shape]);
    // For debug.memory: live concrete tensors per backend.
    this._count = _trace === null ? countTensor(this, (_payload as BackendArray).backend) : null;
  }

  /** @internal A concrete tensor around a backend array. */
  static _fromArray(array: BackendArray): Tensor {
    return new Tensor(array.shape, array.dtype, null, array);
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The backend the elements live on. */
  get backend(): Backend {
    if (this._trace === null) return (this._payload as BackendArray).backend;
    return this._trace.backendOf(this);
  }

  /** @internal The backend array behind this tensor (or behind the value a tracer stands for). */
  _array(op: string): BackendArray {
    if (this._trace === null) return this._payload as BackendArray;
    if (!this._trace.active) {
      throw new TensorError(
        op,
        `this tensor was traced by a ${this._trace.name} that has already returned`,
      );
    }
    return this._trace.concrete(this)._array(op);
  }

  /**
   * The elements in row-major order, as a `Float32Array`, `Int32Array` or (for bool) `Uint8Array`.
   *
   * @example
   * ```ts
   * await numpy.arange(3).data(); // Int32Array [0, 1, 2]
   * ```
   */
  data(): Promise<DataArray> {
    const array = this._array('data');
    return array.backend.read(array);
  }

  /**
   * The elements, read synchronously; throws on a backend that can only read asynchronously (WebGPU in
   * a browser), where {@link Tensor.data} works.
   *
   * @example
   * ```ts
   * numpy.ones([2]).dataSync(); // Float32Array [1, 1]
   * ```
   */
  dataSync(): DataArray {
    const array = this._array('dataSync');
    if (!array.backend.readSync) {
      throw new TensorError(
        'dataSync',
        `the ${array.backend.name} backend cannot read synchronously; use await t.data()`,
      );
    }
    return array.backend.readSync(array);
  }

  /**
   * The elements as nested JavaScript arrays (bool as `true`/`false`); a number for a 0-d tensor.
   *
   * @example
   * ```ts
   * numpy.eye(2).tolist(); // [[1, 0], [0, 1]]
   * ```
   */
  tolist(): NestedArray {
    const data = this.dataSync();
    const asValue = (v: number): number | boolean => (this.dtype === 'bool' ? v !== 0 : v);
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.ndim) return asValue(data[offset]!);
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim]! }, (_, i) =>
        build(dim + 1, offset + i * stride),
      );
    };
    return build(0, 0);
  }

  /**
   * The single element of a tensor of size 1, as a number (bool as 0 or 1).
   *
   * @example
   * ```ts
   * numpy.array([[2.5]]).item(); // 2.5
   * ```
   */
  item(): number {
    if (this.size !== 1) {
      throw new TensorError(
        'item',
        `expected a tensor with one element, found shape [${this.shape.join(', ')}]`,
      );
    }
    return this.dataSync()[0]!;
  }

  /**
   * Frees the elements now instead of at garbage collection (useful on GPU backends). Never required;
   * using the tensor afterwards throws.
   *
   * @example
   * ```ts
   * const big = numpy.zeros([1000, 1000]);
   * big.dispose();
   * ```
   */
  dispose(): void {
    if (this._trace === null) {
      const array = this._payload as BackendArray;
      array.backend.release(array);
      if (this._count !== null) uncountTensor(this._count);
    }
  }

  /**
   * The values in NumPy's style, e.g. `Tensor([1., 2.], dtype=float32)`. Tensors of more than 1000
   * elements show their first and last 3 entries along each dimension.
   *
   * @example
   * ```ts
   * numpy.array([[1, 2], [3, 4]], { dtype: 'int32' }).toString(); // 'Tensor([[1, 2],\n        [3, 4]], dtype=int32)'
   * ```
   */
  toString(): string {
    const head = 'Tensor(';
    const traced = this._trace === null ? '' : `, traced by ${this._trace.name}`;
    const array = this._trace === null || this._trace.active ? this._tryArray() : undefined;
    if (!array || !array.backend.readSync) {
      return `${head}shape=[${this.shape.join(', ')}], dtype=${this.dtype}${traced})`;
    }
    const values = formatValues(array.backend.readSync(array), this.shape, this.dtype, head.length);
    return `${head}${values}, dtype=${this.dtype}${traced})`;
  }

  private _tryArray(): BackendArray | undefined {
    try {
      return this._array('toString');
    } catch {
      return undefined;
    }
  }

  // --- method forms of the common numpy functions ------------------------------------------------

  /** `numpy.add(this, other)`. */
  add(other: ArrayLike): Tensor {
    return math.add(this, other);
  }
  /** `numpy.subtract(this, other)`. */
  sub(other: ArrayLike): Tensor {
    return math.subtract(this, other);
  }
  /** `numpy.multiply(this, other)`. */
  mul(other: ArrayLike): Tensor {
    return math.multiply(this, other);
  }
  /** `numpy.divide(this, other)` (true division). */
  div(other: ArrayLike): Tensor {
    return math.divide(this, other);
  }
  /** `numpy.power(this, other)`. */
  pow(other: ArrayLike): Tensor {
    return math.power(this, other);
  }
  /** `numpy.negative(this)`. */
  neg(): Tensor {
    return math.negative(this);
  }
  /** `numpy.abs(this)`. */
  abs(): Tensor {
    return math.abs(this);
  }
  /** `numpy.exp(this)`. */
  exp(): Tensor {
    return math.exp(this);
  }
  /** `numpy.log(this)`. */
  log(): Tensor {
    return math.log(this);
  }
  /** `numpy.sqrt(this)`. */
  sqrt(): Tensor {
    return math.sqrt(this);
  }
  /** `numpy.square(this)`. */
  square(): Tensor {
    return math.square(this);
  }
  /** `numpy.equal(this, other)`. */
  eq(other: ArrayLike): Tensor {
    return math.equal(this, other);
  }
  /** `numpy.notEqual(this, other)`. */
  ne(other: ArrayLike): Tensor {
    return math.notEqual(this, other);
  }
  /** `numpy.less(this, other)`. */
  lt(other: ArrayLike): Tensor {
    return math.less(this, other);
  }
  /** `numpy.lessEqual(this, other)`. */
  le(other: ArrayLike): Tensor {
    return math.lessEqual(this, other);
  }
  /** `numpy.greater(this, other)`. */
  gt(other: ArrayLike): Tensor {
    return math.greater(this, other);
  }
  /** `numpy.greaterEqual(this, other)`. */
  ge(other: ArrayLike): Tensor {
    return math.greaterEqual(this, other);
  }
  /** `numpy.clip(this, min, max)`. */
  clip(min?: ArrayLike | null, max?: ArrayLike | null): Tensor {
    return math.clip(this, min, max);
  }
  /** `numpy.matmul(this, other)`. */
  matmul(other: ArrayLike): Tensor {
    return matmul(this, other);
  }
  /** `numpy.astype(this, dtype)`. */
  astype(dtype: DType): Tensor {
    return astype(this, dtype);
  }
  /** `numpy.reshape(this, shape)`; one entry may be -1. */
  reshape(shape: number | readonly number[]): Tensor {
    return shapes.reshape(this, shape);
  }
  /** `numpy.transpose(this, axes)`. */
  transpose(axes?: readonly number[]): Tensor {
    return shapes.transpose(this, axes);
  }
  /** The transpose (dimensions reversed). */
  get T(): Tensor {
    return shapes.transpose(this);
  }
  /** `numpy.ravel(this)`: the elements as 1-D. */
  flatten(): Tensor {
    return shapes.ravel(this);
  }
  /** `numpy.squeeze(this, axis)`. */
  squeeze(axis?: number | readonly number[]): Tensor {
    return shapes.squeeze(this, axis);
  }
  /** `numpy.expandDims(this, axis)`. */
  expandDims(axis: number | readonly number[]): Tensor {
    return shapes.expandDims(this, axis);
  }
  /** `numpy.sum(this, options)`. */
  sum(options?: ReduceOptions): Tensor {
    return reductions.sum(this, options);
  }
  /** `numpy.mean(this, options)`. */
  mean(options?: ReduceOptions): Tensor {
    return reductions.mean(this, options);
  }
  /** `numpy.max(this, options)`. */
  max(options?: ReduceOptions): Tensor {
    return reductions.max(this, options);
  }
  /** `numpy.min(this, options)`. */
  min(options?: ReduceOptions): Tensor {
    return reductions.min(this, options);
  }
  /** `numpy.argmax(this, options)`. */
  argmax(options?: { axis?: number; keepdims?: boolean }): Tensor {
    return reductions.argmax(this, options);
  }
  /** `numpy.argmin(this, options)`. */
  argmin(options?: { axis?: number; keepdims?: boolean }): Tensor {
    return reductions.argmin(this, options);
  }
  /** `numpy.prod(this, options)`. */
  prod(options?: ReduceOptions): Tensor {
    return reductions.prod(this, options);
  }
  /** `numpy.variance(this, options)` (NumPy's `var`). */
  var(options?: VarOptions): Tensor {
    return reductions.variance(this, options);
  }
  /** `numpy.std(this, options)`. */
  std(options?: VarOptions): Tensor {
    return reductions.std(this, options);
  }
  /** `numpy.all(this, options)`. */
  all(options?: ReduceOptions): Tensor {
    return reductions.all(this, options);
  }
  /** `numpy.any(this, options)`. */
  any(options?: ReduceOptions): Tensor {
    return reductions.any(this, options);
  }
  /** `numpy.cumsum(this, options)`. */
  cumsum(options?: { axis?: number; reverse?: boolean }): Tensor {
    return reductions.cumsum(this, options);
  }
  /** `numpy.dot(this, other)`. */
  dot(other: ArrayLike): Tensor {
    return dot(this, other);
  }
  /** `numpy.sort(this, options)`. */
  sort(options?: SortOptions): Tensor {
    return sort(this, options);
  }
  /** `numpy.argsort(this, options)`. */
  argsort(options?: SortOptions): Tensor {
    return argsort(this, options);
  }
  /**
   * `numpy.index(this, ...indices)`: NumPy indexing. Each index is a number, a slice string
   * (`'1:3'`, `':'`, `'::-1'`), `null` (a new axis), `'...'`, an int tensor or a bool mask.
   *
   * @example
   * ```ts
   * const x = numpy.arange(12).reshape([3, 4]);
   * x.get(1).tolist(); // [4, 5, 6, 7]
   * x.get(':', '1:3').tolist(); // [[1, 2], [5, 6], [9, 10]]
   * x.get('...', -1).tolist(); // [3, 7, 11]
   * ```
   */
  get(...indices: Index[]): Tensor {
    return index(this, ...indices);
  }

  /**
   * `numpy.at(this, ...indices)`: JAX's `x.at[indices]`, for out-of-place updates at an index.
   *
   * @example
   * ```ts
   * numpy.zeros([3]).at(1).set(5).tolist(); // [0, 5, 0]
   * ```
   */
  at(...indices: Index[]): IndexUpdate {
    return at(this, ...indices);
  }

  /**
   * Iterates over the first axis, as NumPy arrays do: `const [k1, k2] = random.split(key)`. A 0-d
   * tensor yields nothing (NumPy raises instead; test libraries iterate values when comparing them).
   *
   * @example
   * ```ts
   * const [first, second] = numpy.array([[1, 2], [3, 4]]);
   * second!.tolist(); // [3, 4]
   * ```
   */
  *[Symbol.iterator](): Iterator<Tensor> {
    const length = this.ndim === 0 ? 0 : this.shape[0]!;
    for (let i = 0; i < length; i++) yield index(this, i);
  }
}
