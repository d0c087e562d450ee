/** The Backend interface: what every backend (cpu, webgpu, gpujs) implements and autodiff builds on. */
import type { DataArray, DType } from './dtype.js';
import type { BinaryOp, UnaryOp } from './ops.js';
import type { ConvOptions, PoolOptions } from './spatial.js';

/**
 * A backend's n-dimensional array: a shape, a dtype, and elements that live wherever the backend keeps
 * them (a typed array, a GPU buffer). Arrays are immutable: every kernel returns a new array, which may
 * share memory with its input when the backend can do that without a copy (a reshape, a transpose).
 * Kernels only accept arrays of their own backend.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * x.shape; // [2, 3]
 * x.dtype; // 'float32'
 * ```
 */
export interface BackendArray {
  /** Dimensions, outermost first. `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements: the product of `shape`. */
  readonly size: number;
  /** The backend that owns the elements. */
  readonly backend: Backend;
}

/**
 * Reductions over a set of axes. An empty reduction gives the identity: 0, 1, -Infinity, +Infinity.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 5, 2, 4]), [2, 2]);
 * cpu.readSync(cpu.reduce('max', x, [0])); // Float32Array [2, 5]
 * ```
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/**
 * Reductions that return the index of the extreme element along one axis.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 5, 2, 4]), [2, 2]);
 * cpu.readSync(cpu.argReduce('argmax', x, 1)); // Int32Array [1, 1]
 * ```
 */
export type ArgReduceOp = 'argmax' | 'argmin';

/**
 * Pooling reductions over a sliding window.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 5, 2, 4]), [1, 1, 4]);
 * cpu.readSync(cpu.pool('avg', x, { window: [2] })); // Float32Array [3, 3]
 * ```
 */
export type PoolOp = 'max' | 'avg';

/**
 * One step of a {@link FusedProgram}: an elementwise op of the {@link UNARY_OPS} / {@link BINARY_OPS}
 * tables, `where` (`args` = condition, then, else) or `cast` (to `dtype`). `args` name values: the
 * fused kernel's inputs are values `0 .. inputs.length - 1`, and step `i` makes value `inputs.length + i`.
 *
 * @example
 * ```ts
 * const scaled: FusedStep = { op: 'mul', args: [0, 1] };
 * const toInt: FusedStep = { op: 'cast', args: [2], dtype: 'int32' };
 * ```
 */
export interface FusedStep {
  readonly op: UnaryOp | BinaryOp | 'where' | 'cast';
  readonly args: readonly number[];
  /** For `cast` only: the dtype to convert to. */
  readonly dtype?: DType;
}

/**
 * A chain (or tree) of elementwise ops run as one kernel by {@link Backend.fused}: one pass over the
 * broadcast shape of the inputs, with no arrays in between; the last step's value is the result.
 * Each step rounds as its own kernel would, so the result equals running the steps one by one.
 *
 * @example
 * ```ts
 * // w - lr * g, with lr as a 0-d input: values 0 = w, 1 = g, 2 = lr, 3 = lr * g, 4 = w - 3.
 * const sgd: FusedProgram = { steps: [{ op: 'mul', args: [2, 1] }, { op: 'sub', args: [0, 3] }] };
 * ```
 */
export interface FusedProgram {
  readonly steps: readonly FusedStep[];
}

/**
 * Options of {@link Backend.matmul}.
 *
 * @example
 * ```ts
 * const a = cpu.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * cpu.readSync(cpu.matmul(a, a, { transposeA: true })); // Float32Array [10, 14, 14, 20]
 * ```
 */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two dimensions, without copying it. Default false. */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two dimensions, without copying it. Default false. */
  transposeB?: boolean;
}

/**
 * What {@link Backend.memory} reports: the arrays a backend holds now (made and not yet released or
 * garbage-collected) and the bytes of their elements. An array that shares another's elements (a
 * reshape without a copy) counts as an array but adds no bytes. A backend adds details of its own, such
 * as the GPU buffers its pool keeps for reuse; those are numbers too. The CPU and gpu.js backends count
 * only the arrays made while `setArrayCounting` is on (WebGPU counts always).
 *
 * @example
 * ```ts
 * setArrayCounting(true);
 * const before = cpu.memory();
 * const x = cpu.upload(new Float32Array(4), [4]);
 * cpu.memory().arrays - before.arrays; // 1
 * cpu.memory().bytes - before.bytes; // 16
 * cpu.release(x);
 * cpu.memory().arrays - before.arrays; // 0
 * setArrayCounting(false);
 * ```
 */
export interface BackendMemory {
  /** Live arrays: made and not yet released or garbage-collected. */
  readonly arrays: number;
  /** Bytes of the elements that live arrays hold (views of another array's elements add none). */
  readonly bytes: number;
  /** Backend-specific details, e.g. `pooledBytes`: memory kept for reuse after its arrays went. */
  readonly [detail: string]: number;
}

/**
 * What every backend implements. Arrays are channel-first, as in Equinox: a batch of images is
 * `[N, C, H, W]`, a filter bank `[C_out, C_in / groups, KH, KW]`, and in general a convolution's input is
 * `[N, C, ...spatial]` with 1, 2 or 3 spatial dimensions.
 *
 * Every kernel checks its arguments and throws a {@link KernelError} naming itself (kernels that take an
 * op, like `binary` or `reduce`, go by the op's name: `add: ...`, `sum: ...`), the argument, what it
 * expected and what it found. Axes may be negative, counting from the end, as in NumPy. Kernels never change their inputs. Dtypes are never promoted: a binary
 * kernel needs both operands of one dtype (promotion is a job for the layer above).
 *
 * Memory: arrays are released when they are garbage collected; {@link Backend.release} is an early
 * release, never a requirement. A backend may keep working memory between calls (the CPU backend keeps
 * its WebAssembly heap and convolution scratch at the size of the largest call so far), but never grows
 * it from one call to the next of the same size: a training loop runs in flat memory.
 *
 * @example
 * ```ts
 * const a = cpu.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * const b = cpu.binary('mul', a, cpu.full([], 10, 'float32')); // broadcasting a scalar
 * await cpu.read(b); // Float32Array [10, 20, 30, 40]
 * ```
 */
export interface Backend {
  /** A short name: `'cpu'`, `'webgpu'`, `'gpujs'`. */
  readonly name: string;
  /**
   * True once the backend's device is lost (WebGPU), after which every call throws: start a new backend
   * and reload the model from its last checkpoint. Absent on backends whose device cannot be lost.
   */
  readonly isLost?: boolean;

  // --- memory -------------------------------------------------------------------------------------

  /**
   * A new array holding a copy of `data` (row-major), whose dtype follows the typed array:
   * `Float32Array` is float32, `Int32Array` is int32, `Uint8Array` is bool (nonzero bytes are true).
   * `data.length` must equal the product of `shape`.
   */
  upload(data: DataArray, shape: readonly number[]): BackendArray;
  /** A new array of `shape` with every element `value` (converted to `dtype` as {@link Backend.cast} does). */
  full(shape: readonly number[], value: number, dtype: DType): BackendArray;
  /** A new array of `shape` whose elements count up along `axis`: element `[i0, ..., in]` is `i_axis`. */
  iota(shape: readonly number[], axis: number, dtype: DType): BackendArray;
  /** The elements of `x`, row-major, in a new typed array of its dtype. */
  read(x: BackendArray): Promise<DataArray>;
  /**
   * The same as {@link Backend.read}, synchronously; absent on backends that cannot read without waiting
   * (a GPU backend in a browser).
   */
  readSync?(x: BackendArray): DataArray;
  /**
   * Marks `x` as no longer needed, so a GPU backend can free its buffer now instead of at garbage
   * collection. Passing `x` to a kernel afterwards throws. (The CPU backend keeps the elements of a
   * released array that no view shares, and reuses them for a later elementwise result of the same
   * dtype and size; otherwise the garbage collector frees them.)
   */
  release(x: BackendArray): void;
  /**
   * The live arrays and their bytes now, plus backend-specific details (see {@link BackendMemory}): the
   * answer to "what leaks?". Collection is up to the garbage collector, so counts of arrays the program
   * dropped fall only after it runs. The CPU and gpu.js backends count the arrays made while
   * `setArrayCounting` is on.
   */
  memory(): BackendMemory;
  /**
   * Runs `fn`, a run of kernels whose intermediate arrays are released as soon as they are no longer
   * needed (as `jit` replays a graph), and returns its result. A backend may keep the arrays made
   * meanwhile in faster scratch memory; those still alive when `fn` returns are moved to ordinary memory
   * then, so nothing changes for the caller. Absent where a backend has no such memory.
   */
  scoped?<T>(fn: () => T): T;

  // --- elementwise --------------------------------------------------------------------------------

  /** Applies a unary op of the {@link UNARY_OPS} table to each element. */
  unary(op: UnaryOp, x: BackendArray): BackendArray;
  /**
   * Applies a binary op of the {@link BINARY_OPS} table elementwise, with NumPy broadcasting. Both
   * operands have one dtype; comparisons return bool.
   */
  binary(op: BinaryOp, a: BackendArray, b: BackendArray): BackendArray;
  /** `cond ? a : b` elementwise, with broadcasting of all three; `cond` is bool, `a` and `b` share a dtype. */
  where(cond: BackendArray, a: BackendArray, b: BackendArray): BackendArray;
  /**
   * Converts elements to `dtype`: float to int truncates toward zero and saturates at the int32 range
   * (NaN gives 0), anything to bool is `x != 0` (so NaN is true), bool to a number is 0 or 1.
   */
  cast(x: BackendArray, dtype: DType): BackendArray;
  /**
   * Runs a {@link FusedProgram} of elementwise steps over `inputs` (broadcast together, NumPy rules) in
   * one pass: the result equals applying the steps one at a time, without the arrays in between.
   */
  fused(program: FusedProgram, inputs: readonly BackendArray[]): BackendArray;
  /** Reinterprets the bits of float32 as int32 or the other way round (for random number generation). */
  bitcast(x: BackendArray, dtype: 'float32' | 'int32'): BackendArray;

  // --- reductions ---------------------------------------------------------------------------------

  /**
   * Reduces over `axes` (any set); the result drops those axes. A NaN makes `max` and `min` NaN. Empty
   * reductions give the identity (for int32 `max` and `min`, the smallest and largest int32). bool input
   * is not accepted; int32 sums and products wrap around.
   */
  reduce(op: ReduceOp, x: BackendArray, axes: readonly number[]): BackendArray;
  /**
   * The int32 index along `axis` of the largest (`argmax`) or smallest (`argmin`) element; the first one
   * on ties; a NaN counts as the extreme. The result drops `axis`, which must not be empty.
   */
  argReduce(op: ArgReduceOp, x: BackendArray, axis: number): BackendArray;
  /** Cumulative sum along `axis` (inclusive; `reverse` sums from the end). */
  cumsum(x: BackendArray, axis: number, reverse?: boolean): BackendArray;
  /**
   * The int32 indices that sort float32 or int32 `x` along `axis`, in `x`'s shape. Stable: equal
   * elements (-0 and +0 among them) keep their order. NaN sorts after every number, so with
   * `descending` (largest first) NaNs come first; equal elements still keep their order.
   */
  argsort(x: BackendArray, axis: number, descending?: boolean): BackendArray;

  // --- layout -------------------------------------------------------------------------------------

  /** The same elements in a new shape of the same size; no copy when `x` is contiguous. */
  reshape(x: BackendArray, shape: readonly number[]): BackendArray;
  /** Permutes dimensions: the result's dimension `i` is `x`'s dimension `perm[i]`. */
  transpose(x: BackendArray, perm: readonly number[]): BackendArray;
  /** Broadcasts `x` to `shape` by NumPy rules. */
  broadcastTo(x: BackendArray, shape: readonly number[]): BackendArray;
  /**
   * The elements from `start` (inclusive) to `limit` (exclusive) along each dimension, taking every
   * `strides[d]`-th (default 1; positive), as `lax.slice`.
   */
  slice(
    x: BackendArray,
    start: readonly number[],
    limit: readonly number[],
    strides?: readonly number[],
  ): BackendArray;
  /** Joins arrays of one dtype along `axis`; their other dimensions must agree. */
  concat(xs: readonly BackendArray[], axis: number): BackendArray;
  /**
   * Pads each dimension `d` with `lo[d]` elements before, `hi[d]` after, and `interior[d]` between every
   * two elements (default 0), all of value `value` (converted to `x`'s dtype as {@link Backend.cast}
   * does), as `lax.pad` with non-negative padding.
   */
  pad(
    x: BackendArray,
    lo: readonly number[],
    hi: readonly number[],
    value: number,
    interior?: readonly number[],
  ): BackendArray;
  /**
   * `jnp.take(x, indices, axis)`: picks entries of `x` along `axis` by int32 `indices` of any shape. The
   * result's shape is `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. A negative index counts from
   * the end; indices still out of range are clamped to the nearest valid one.
   */
  gather(x: BackendArray, indices: BackendArray, axis: number): BackendArray;
  /**
   * The transpose of {@link Backend.gather}: a zero array whose dimension `axis` has length `size`, to
   * which each slice of `updates` is added at its index. `updates` has the shape gather would return,
   * `out.shape[:axis] + indices.shape + out.shape[axis+1:]`; repeated indices accumulate.
   */
  scatterAdd(
    updates: BackendArray,
    indices: BackendArray,
    axis: number,
    size: number,
  ): BackendArray;

  // --- linear algebra and convolution -------------------------------------------------------------

  /**
   * Batched matrix product of float32 arrays `a: [...batchA, M, K]` and `b: [...batchB, K, N]` (rank 2 or
   * more each), with batch dimensions broadcast by NumPy rules: the result is `[...batch, M, N]`.
   */
  matmul(a: BackendArray, b: BackendArray, options?: MatmulOptions): BackendArray;
  /**
   * Convolution (cross-correlation, as in every deep learning library) of `x: [N, C_in, ...spatial]` with
   * `w: [C_out, C_in / groups, ...kernel]`, 1 to 3 spatial dimensions; the result is
   * `[N, C_out, ...outSpatial]` (see {@link convOutputShape}).
   */
  conv(x: BackendArray, w: BackendArray, options?: ConvOptions): BackendArray;
  /**
   * The gradient of {@link Backend.conv} with respect to its input: given `dy` (shaped like conv's output)
   * and `w`, an array of `xShape`. A transposed convolution is this kernel.
   */
  convBackwardInput(
    dy: BackendArray,
    w: BackendArray,
    xShape: readonly number[],
    options?: ConvOptions,
  ): BackendArray;
  /** The gradient of {@link Backend.conv} with respect to its filter: an array of `wShape`. */
  convBackwardFilter(
    x: BackendArray,
    dy: BackendArray,
    wShape: readonly number[],
    options?: ConvOptions,
  ): BackendArray;
  /**
   * Max or average pooling of `x: [N, C, ...spatial]` over windows (see {@link PoolOptions}). Max pools
   * pad with -Infinity; average pools divide by the whole window size, padding included (as Equinox's
   * `AvgPool`). A NaN in a window makes its max and its average NaN.
   */
  pool(op: PoolOp, x: BackendArray, options: PoolOptions): BackendArray;
  /**
   * The gradient of {@link Backend.pool} with respect to `x`, given `dy` shaped like pool's output. Max
   * pooling routes each window's gradient to the first NaN of the window if it has one, else to its first
   * largest element (first in row-major order; padding never receives gradient).
   */
  poolBackward(op: PoolOp, dy: BackendArray, x: BackendArray, options: PoolOptions): BackendArray;
}
