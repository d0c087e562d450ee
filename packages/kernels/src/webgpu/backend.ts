/// <reference types="@webgpu/types" />
/** The WebGPU backend: every kernel as a WGSL compute shader; arrays stay on the GPU until read. */
import type {
  ArgReduceOp,
  Backend,
  BackendArray,
  BackendMemory,
  FusedProgram,
  MatmulOptions,
  PoolOp,
  ReduceOp,
} from '../backend.js';
import { dtypeOfData, type DataArray, type DType } from '../dtype.js';
import { KernelError, shapeText } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../ops.js';
import { checkShape, sizeOf } from '../shape.js';
import type { ConvOptions, PoolOptions } from '../spatial.js';
import { own, type WebGpuArray } from './array.js';
import { conv, convBackwardFilter, convBackwardInput } from './conv.js';
import { type LostState, type WebGpuOptions, lostError, requestDevice } from './device.js';
import { binary, bitcast, cast, full, fused, iota, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { broadcastTo, concat, pad, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { pool, poolBackward } from './pool.js';
import { argReduce, cumsum, reduce } from './reduce.js';
import { Runner } from './runner.js';
import { liveArraysOf } from '../live-arrays.js';
import { argsort } from './sort.js';

/**
 * The WebGPU backend. Arrays live in GPU buffers, pooled and given back when an array is released or
 * garbage-collected; kernels are WGSL compute shaders compiled once per variant and recorded into one
 * command encoder; `read` waits for the GPU (there is no synchronous read). Runs in browsers
 * (`navigator.gpu`) and in Node through the `webgpu` package (Dawn).
 *
 * If the device is lost (a driver reset, `device.destroy()`, a GPU removed), every later call throws an
 * error saying so; recover by creating a new backend and reloading the model from a checkpoint.
 *
 * @example
 * ```ts
 * // In a browser; in Node pass the `webgpu` package's GPU: WebGpuBackend.create({ gpu: create([]) }).
 * const gpu = await WebGpuBackend.create();
 * const a = gpu.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * await gpu.read(gpu.matmul(a, a)); // Float32Array [7, 10, 15, 22]
 * ```
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  private lost: LostState | null = null;
  /** Resolves when the device is lost. */
  private readonly whenLost: Promise<void>;
  /** The first GPU validation error not yet reported (a kernel that failed to compile or run). */
  private failure: string | null = null;
  /** @internal */
  readonly runner: Runner;

  private constructor(
    readonly device: GPUDevice,
    /** Held so that the GPU object lives as long as its device. */
    private readonly gpu: GPU | undefined,
  ) {
    this.runner = new Runner(device, this);
    this.whenLost = device.lost.then((info) => {
      this.lost = { reason: info.reason, message: info.message };
    });
    // Kernels run asynchronously, so a kernel that fails on the GPU is reported by the next read.
    device.addEventListener('uncapturederror', (event) => {
      this.failure ??= event.error.message;
    });
  }

  /**
   * A backend on a new device (or the one given). Rejects with a clear error where there is no WebGPU
   * or no adapter.
   */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
    const { device, gpu } = await requestDevice(options);
    return new WebGpuBackend(device, gpu);
  }

  /**
   * True once the device is lost: every call on this backend then throws. Recover with a new backend
   * ({@link WebGpuBackend.create}) and reload the model from its last checkpoint.
   */
  get isLost(): boolean {
    return this.lost !== null;
  }

  /** Throws the device-lost error once the device is gone. */
  private alive(): Runner {
    if (this.lost) throw lostError(this.lost);
    return this.runner;
  }

  private own(kernel: string, argument: string, x: BackendArray): WebGpuArray {
    this.alive();
    return own(kernel, argument, x, this);
  }

  upload(data: DataArray, shape: readonly number[]): BackendArray {
    const runner = this.alive();
    const dtype = dtypeOfData(data);
    if (dtype === undefined) {
      throw new KernelError(
        'upload',
        '`data` must be a Float32Array, Int32Array or Uint8Array, found ' +
          (data === null
            ? 'null'
            : typeof data === 'object'
              ? (data as object).constructor.name
              : typeof data),
      );
    }
    checkShape('upload', 'shape', shape);
    if (sizeOf(shape) !== data.length) {
      throw new KernelError(
        'upload',
        `\`data\` has ${data.length} elements but \`shape\` ${shapeText(shape)} needs ${sizeOf(shape)}`,
      );
    }
    // bool travels as one 32-bit integer per element (WGSL storage has no 8-bit type).
    const stored =
      dtype === 'bool' ? Uint32Array.from(data as Uint8Array, (v) => (v ? 1 : 0)) : data;
    return runner.upload(stored, shape, dtype);
  }

  full(shape: readonly number[], value: number, dtype: DType): BackendArray {
    return full(this.alive(), shape, value, dtype);
  }

  iota(shape: readonly number[], axis: number, dtype: DType): BackendArray {
    return iota(this.alive(), shape, axis, dtype);
  }

  async read(x: BackendArray): Promise<DataArray> {
    const array = this.own('read', 'x', x);
    let bytes: ArrayBuffer;
    try {
      bytes = await this.runner.readBytes(array);
    } catch (error) {
      // A read in flight when the device goes fails with an AbortError ("unmapped before mapping was
      // resolved") before the loss itself is reported (Chromium took 240 ms on a busy page). Nothing
      // else aborts our staging buffers, so wait for the loss (at most 5 s) and give the error that
      // says how to recover.
      if ((error as { name?: unknown }).name === 'AbortError') {
        await Promise.race([this.whenLost, delay(5000)]);
      }
      if (this.lost) throw lostError(this.lost);
      throw error;
    }
    if (this.lost) throw lostError(this.lost);
    if (this.failure !== null) {
      const message = this.failure;
      this.failure = null;
      throw new KernelError(
        'webgpu',
        `a kernel failed on the GPU, so results may be wrong: ${message}`,
      );
    }
    if (array.dtype === 'float32') return new Float32Array(bytes);
    if (array.dtype === 'int32') return new Int32Array(bytes);
    return Uint8Array.from(new Uint32Array(bytes), (v) => (v ? 1 : 0));
  }

  release(x: BackendArray): void {
    own('release', 'x', x, this).release();
  }

  /**
   * See {@link Backend.memory}. `bytes` are the live arrays' GPU buffers (rounded up to the pool's size
   * classes); `buffers` and `bufferBytes` count every buffer in use (kernel parameters included),
   * `pooledBuffers` and `pooledBytes` the buffers kept for reuse, `buffersCreated` all made so far.
   */
  memory(): BackendMemory {
    const pool = this.runner.pool;
    return {
      ...liveArraysOf(this).snapshot(),
      buffers: pool.live,
      bufferBytes: pool.liveBytes,
      pooledBuffers: pool.pooled,
      pooledBytes: pool.pooledBytes,
      buffersCreated: pool.created,
    };
  }

  unary(op: UnaryOp, x: BackendArray): BackendArray {
    return unary(this.runner, op, this.own(op, 'x', x));
  }

  binary(op: BinaryOp, a: BackendArray, b: BackendArray): BackendArray {
    return binary(this.runner, op, this.own(op, 'a', a), this.own(op, 'b', b));
  }

  where(cond: BackendArray, a: BackendArray, b: BackendArray): BackendArray {
    return where(
      this.runner,
      this.own('where', 'cond', cond),
      this.own('where', 'a', a),
      this.own('where', 'b', b),
    );
  }

  cast(x: BackendArray, dtype: DType): BackendArray {
    return cast(this.runner, this.own('cast', 'x', x), dtype);
  }

  fused(program: FusedProgram, inputs: readonly BackendArray[]): BackendArray {
    if (!Array.isArray(inputs)) throw new KernelError('fused', '`inputs` must be a list of arrays');
    const arrays = (inputs as readonly BackendArray[]).map((x, i) =>
      this.own('fused', `inputs[${i}]`, x),
    );
    return fused(this.runner, program, arrays);
  }

  bitcast(x: BackendArray, dtype: 'float32' | 'int32'): BackendArray {
    return bitcast(this.runner, this.own('bitcast', 'x', x), dtype);
  }

  reduce(op: ReduceOp, x: BackendArray, axes: readonly number[]): BackendArray {
    return reduce(this.runner, op, this.own('reduce', 'x', x), axes);
  }

  argReduce(op: ArgReduceOp, x: BackendArray, axis: number): BackendArray {
    return argReduce(this.runner, op, this.own(op, 'x', x), axis);
  }

  cumsum(x: BackendArray, axis: number, reverse = false): BackendArray {
    return cumsum(this.runner, this.own('cumsum', 'x', x), axis, reverse);
  }

  argsort(x: BackendArray, axis: number, descending = false): BackendArray {
    return argsort(this.runner, this.own('argsort', 'x', x), axis, descending);
  }

  reshape(x: BackendArray, shape: readonly number[]): BackendArray {
    const array = this.own('reshape', 'x', x);
    checkShape('reshape', 'shape', shape);
    if (sizeOf(shape) !== array.size) {
      throw new KernelError(
        'reshape',
        `cannot reshape ${shapeText(array.shape)} (${array.size} elements) to ${shapeText(shape)} ` +
          `(${sizeOf(shape)} elements)`,
      );
    }
    return this.runner.view(array, [...shape]);
  }

  transpose(x: BackendArray, perm: readonly number[]): BackendArray {
    return transpose(this.runner, this.own('transpose', 'x', x), perm);
  }

  broadcastTo(x: BackendArray, shape: readonly number[]): BackendArray {
    return broadcastTo(this.runner, this.own('broadcastTo', 'x', x), shape);
  }

  slice(
    x: BackendArray,
    start: readonly number[],
    limit: readonly number[],
    strides?: readonly number[],
  ): BackendArray {
    return slice(this.runner, this.own('slice', 'x', x), start, limit, strides);
  }

  concat(xs: readonly BackendArray[], axis: number): BackendArray {
    if (!Array.isArray(xs) || xs.length === 0) {
      throw new KernelError('concat', '`xs` must be a non-empty list of arrays');
    }
    const arrays = (xs as readonly BackendArray[]).map((x, i) => this.own('concat', `xs[${i}]`, x));
    return concat(this.runner, arrays, axis);
  }

  pad(
    x: BackendArray,
    lo: readonly number[],
    hi: readonly number[],
    value: number,
    interior?: readonly number[],
  ): BackendArray {
    return pad(this.runner, this.own('pad', 'x', x), lo, hi, value, interior);
  }

  gather(x: BackendArray, indices: BackendArray, axis: number): BackendArray {
    return gather(
      this.runner,
      this.own('gather', 'x', x),
      this.own('gather', 'indices', indices),
      axis,
    );
  }

  scatterAdd(
    updates: BackendArray,
    indices: BackendArray,
    axis: number,
    size: number,
  ): BackendArray {
    return scatterAdd(
      this.runner,
      this.own('scatterAdd', 'updates', updates),
      this.own('scatterAdd', 'indices', indices),
      axis,
      size,
    );
  }

  matmul(a: BackendArray, b: BackendArray, options?: MatmulOptions): BackendArray {
    return matmul(this.runner, this.own('matmul', 'a', a), this.own('matmul', 'b', b), options);
  }

  conv(x: BackendArray, w: BackendArray, options?: ConvOptions): BackendArray {
    return conv(this.runner, this.own('conv', 'x', x), this.own('conv', 'w', w), options);
  }

  convBackwardInput(
    dy: BackendArray,
    w: BackendArray,
    xShape: readonly number[],
    options?: ConvOptions,
  ): BackendArray {
    return convBackwardInput(
      this.runner,
      this.own('convBackwardInput', 'dy', dy),
      this.own('convBackwardInput', 'w', w),
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
      this.runner,
      this.own('convBackwardFilter', 'x', x),
      this.own('convBackwardFilter', 'dy', dy),
      wShape,
      options,
    );
  }

  pool(op: PoolOp, x: BackendArray, options: PoolOptions): BackendArray {
    return pool(this.runner, op, this.own('pool', 'x', x), options);
  }

  poolBackward(op: PoolOp, dy: BackendArray, x: BackendArray, options: PoolOptions): BackendArray {
    return poolBackward(
      this.runner,
      op,
      this.own('poolBackward', 'dy', dy),
      this.own('poolBackward', 'x', x),
      options,
    );
  }
}

/** Resolves after `ms` milliseconds. (The package compiles with the ES library only, which has no timers.) */
function delay(ms: number): Promise<void> {
  const timers = globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown };
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
