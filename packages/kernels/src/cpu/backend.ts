/** The CPU backend: typed arrays in JavaScript, WebAssembly SIMD and worker threads for matmul and conv. */
import type {
  FusedProgram,
  ArgReduceOp,
  Backend,
  BackendArray,
  BackendMemory,
  MatmulOptions,
  PoolOp,
  ReduceOp,
} from '../backend.js';
import { dtypeOfData, type DataArray, type DType } from '../dtype.js';
import { KernelError, shapeText } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../ops.js';
import { checkShape, sizeOf } from '../shape.js';
import type { ConvOptions, PoolOptions } from '../spatial.js';
import { CpuArray, denseData, own } from './array.js';
import { conv, convBackwardFilter, convBackwardInput } from './conv.js';
import { binary, bitcast, cast, full, iota, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { broadcastTo, concat, pad, reshape, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { pool, poolBackward } from './pool.js';
import { argReduce, cumsum, reduce } from './reduce.js';
import { argsort } from './sort.js';
import { fused } from './fused.js';
import { pooledBytes, recycle, scoped } from './buffers.js';
import { liveArraysOf } from '../live-arrays.js';
import { startThreads } from './threads.js';

/**
 * The CPU backend. Elements live in typed arrays and are freed by the garbage collector. Matmul and
 * convolution run in WebAssembly SIMD when the platform has it (plain JavaScript otherwise) and spread
 * over worker threads once {@link CpuBackend.ready} has started them; large elementwise kernels run in
 * WebAssembly SIMD too, with the same results as their JavaScript loops.
 *
 * @example
 * ```ts
 * const x = cpu.upload(new Float32Array([1, 2, 3]), [3]);
 * cpu.readSync(cpu.unary('square', x)); // Float32Array [1, 4, 9]
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';

  /**
   * Starts worker threads for matmul and convolution (as many as the machine has cores, or `threads`),
   * and resolves once they are running. Without it, or where threads are not available (a browser page
   * that is not cross-origin isolated), kernels run on the calling thread. Resolves to the number of
   * threads in use, the calling one included. The threads are one pool for the whole module, shared by
   * every `CpuBackend`; later calls resolve to the first call's count.
   */
  ready(threads?: number): Promise<number> {
    return startThreads(threads);
  }

  upload(data: DataArray, shape: readonly number[]): BackendArray {
    const dtype = dtypeOfData(data);
    if (dtype === undefined) {
      throw new KernelError(
        'upload',
        '`data` must be a Float32Array, Int32Array or Uint8Array, found ' +
          (data === null ? 'null' : typeof data === 'object' ? data.constructor.name : typeof data),
      );
    }
    checkShape('upload', 'shape', shape);
    if (data.length !== sizeOf(shape)) {
      throw new KernelError(
        'upload',
        `\`data\` has ${data.length} elements but shape ${shapeText(shape)} needs ${sizeOf(shape)}`,
      );
    }
    const copy = dtype === 'bool' ? Uint8Array.from(data, (v) => (v ? 1 : 0)) : data.slice();
    return new CpuArray(this, dtype, [...shape], copy);
  }

  full(shape: readonly number[], value: number, dtype: DType): BackendArray {
    return full(this, shape, value, dtype);
  }

  iota(shape: readonly number[], axis: number, dtype: DType): BackendArray {
    return iota(this, shape, axis, dtype);
  }

  read(x: BackendArray): Promise<DataArray> {
    return new Promise((resolve) => resolve(this.readSync(x)));
  }

  readSync(x: BackendArray): DataArray {
    return denseData(own('read', 'x', x, this)).slice();
  }

  release(x: BackendArray): void {
    const array = own('release', 'x', x, this);
    array.released = true;
    liveArraysOf(this).forget(array.liveEntry);
    recycle(array);
  }

  /**
   * See {@link Backend.memory}; `pooledBytes` are elements of released arrays kept for reuse (shared by
   * every CPU backend instance).
   */
  memory(): BackendMemory {
    return { ...liveArraysOf(this).snapshot(), pooledBytes: pooledBytes() };
  }

  /**
   * See {@link Backend.scoped}: arrays made inside live in the WebAssembly engine's memory (where it is
   * shared), so that matmul and the SIMD elementwise kernels read and write them in place.
   */
  scoped<T>(fn: () => T): T {
    return scoped(fn);
  }

  unary(op: UnaryOp, x: BackendArray): BackendArray {
    return unary(op, own(op, 'x', x, this));
  }

  binary(op: BinaryOp, a: BackendArray, b: BackendArray): BackendArray {
    return binary(op, own(op, 'a', a, this), own(op, 'b', b, this));
  }

  where(cond: BackendArray, a: BackendArray, b: BackendArray): BackendArray {
    return where(
      own('where', 'cond', cond, this),
      own('where', 'a', a, this),
      own('where', 'b', b, this),
    );
  }

  cast(x: BackendArray, dtype: DType): BackendArray {
    return cast(own('cast', 'x', x, this), dtype);
  }

  fused(program: FusedProgram, inputs: readonly BackendArray[]): BackendArray {
    if (inputs.length === 0) throw new KernelError('fused', '`inputs` must not be empty');
    return fused(
      program,
      inputs.map((x, i) => own('fused', `inputs[${i}]`, x, this)),
    );
  }

  bitcast(x: BackendArray, dtype: 'float32' | 'int32'): BackendArray {
    return bitcast(own('bitcast', 'x', x, this), dtype);
  }

  reduce(op: ReduceOp, x: BackendArray, axes: readonly number[]): BackendArray {
    return reduce(op, own(op, 'x', x, this), axes);
  }

  argReduce(op: ArgReduceOp, x: BackendArray, axis: number): BackendArray {
    return argReduce(op, own(op, 'x', x, this), axis);
  }

  cumsum(x: BackendArray, axis: number, reverse = false): BackendArray {
    return cumsum(own('cumsum', 'x', x, this), axis, reverse);
  }

  argsort(x: BackendArray, axis: number, descending = false): BackendArray {
    return argsort(own('argsort', 'x', x, this), axis, descending);
  }

  reshape(x: BackendArray, shape: readonly number[]): BackendArray {
    return reshape(own('reshape', 'x', x, this), shape);
  }

  transpose(x: BackendArray, perm: readonly number[]): BackendArray {
    return transpose(own('transpose', 'x', x, this), perm);
  }

  broadcastTo(x: BackendArray, shape: readonly number[]): BackendArray {
    return broadcastTo(own('broadcastTo', 'x', x, this), shape);
  }

  slice(
    x: BackendArray,
    start: readonly number[],
    limit: readonly number[],
    strides?: readonly number[],
  ): BackendArray {
    return slice(own('slice', 'x', x, this), start, limit, strides);
  }

  concat(xs: readonly BackendArray[], axis: number): BackendArray {
    if (!Array.isArray(xs) || xs.length === 0) {
      throw new KernelError('concat', '`xs` must be a non-empty list of arrays');
    }
    return concat(
      xs.map((x, i) => own('concat', `xs[${i}]`, x, this)),
      axis,
    );
  }

  pad(
    x: BackendArray,
    lo: readonly number[],
    hi: readonly number[],
    value: number,
    interior?: readonly number[],
  ): BackendArray {
    return pad(own('pad', 'x', x, this), lo, hi, value, interior);
  }

  gather(x: BackendArray, indices: BackendArray, axis: number): BackendArray {
    return gather(own('gather', 'x', x, this), own('gather', 'indices', indices, this), axis);
  }

  scatterAdd(
    updates: BackendArray,
    indices: BackendArray,
    axis: number,
    size: number,
  ): BackendArray {
    return scatterAdd(
      own('scatterAdd', 'updates', updates, this),
      own('scatterAdd', 'indices', indices, this),
      axis,
      size,
    );
  }

  matmul(a: BackendArray, b: BackendArray, options?: MatmulOptions): BackendArray {
    return matmul(own('matmul', 'a', a, this), own('matmul', 'b', b, this), options);
  }

  conv(x: BackendArray, w: BackendArray, options?: ConvOptions): BackendArray {
    return conv(own('conv', 'x', x, this), own('conv', 'w', w, this), options);
  }

  convBackwardInput(
    dy: BackendArray,
    w: BackendArray,
    xShape: readonly number[],
    options?: ConvOptions,
  ): BackendArray {
    return convBackwardInput(
      own('convBackwardInput', 'dy', dy, this),
      own('convBackwardInput', 'w', w, this),
      xShape,
      options,
    );
  }

  convBackwardFilter(
    x: BackendArray,
    dy: BackendArray,
    wShape: readonly number[],
    options?: ConvOptions,
  ): BackendArray {
    return convBackwardFilter(
      own('convBackwardFilter', 'x', x, this),
      own('convBackwardFilter', 'dy', dy, this),
      wShape,
      options,
    );
  }

  pool(op: PoolOp, x: BackendArray, options: PoolOptions): BackendArray {
    return pool(op, own('pool', 'x', x, this), options);
  }

  poolBackward(op: PoolOp, dy: BackendArray, x: BackendArray, options: PoolOptions): BackendArray {
    return poolBackward(
      op,
      own('poolBackward', 'dy', dy, this),
      own('poolBackward', 'x', x, this),
      options,
    );
  }
}

/**
 * The CPU backend that everything uses by default. Call `await cpu.ready()` once to spread matmul and
 * convolution over all cores.
 *
 * @example
 * ```ts
 * const threads = await cpu.ready(); // the threads in use, this one included
 * const a = cpu.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * cpu.readSync(cpu.matmul(a, a)); // Float32Array [7, 10, 15, 22]
 * ```
 */
export const cpu = new CpuBackend();
