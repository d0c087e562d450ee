/** The gpu.js backend: float32 kernels generated for gpu.js, int32 and bool kernels on the host. */
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
import { CpuBackend } from '../cpu/backend.js';
import { liveArraysOf } from '../live-arrays.js';
import type { DataArray, DType } from '../dtype.js';
import { KernelError } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../ops.js';
import type { ConvOptions, PoolOptions } from '../spatial.js';
import { GpuJsRuntime, type GpuJsMode } from './adapter.js';
import { own } from './array.js';
import { fromHost, hostData, toHost, type GpuJsContext } from './context.js';
import { conv, convBackwardFilter, convBackwardInput } from './conv.js';
import { binary, cast, full, fused, iota, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { broadcastTo, concat, pad, reshape, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { pool, poolBackward } from './pool.js';
import { argReduce, argsort, cumsum, reduce } from './reduce.js';

/**
 * Options of {@link GpuJsBackend}.
 *
 * @example
 * ```ts
 * const options: GpuJsOptions = { mode: 'cpu' };
 * new GpuJsBackend(options).mode; // 'cpu'
 * ```
 */
export interface GpuJsOptions {
  /**
   * `'webgl2'` runs kernels on the GPU through WebGL2 (browsers); `'cpu'` runs gpu.js's JavaScript
   * translation of the same kernels (anywhere, Node included). Default: `'webgl2'` where gpu.js finds
   * WebGL2, else `'cpu'`.
   */
  mode?: GpuJsMode;
}

/**
 * The gpu.js backend. float32 kernels are generated as gpu.js kernels (compiled once per variant and
 * cached) whose results stay in WebGL textures between kernels (`pipeline` mode) until read. gpu.js
 * computes in float32, which holds integers exactly only up to 2^24, so int32 and bool arrays live on the
 * host as typed arrays, and kernels with int32 or bool results run there in JavaScript, on the CPU
 * backend. In WebGL, arrays of more than 2^24 elements (or more than a texture holds) are refused
 * with a KernelError, since flat indices are float32 there.
 *
 * @example
 * ```ts
 * const gpujs = new GpuJsBackend({ mode: 'cpu' });
 * const x = gpujs.upload(new Float32Array([1, 2, 3]), [3]);
 * gpujs.readSync(gpujs.unary('square', x)); // Float32Array [1, 4, 9]
 * ```
 */
export class GpuJsBackend implements Backend {
  readonly name = 'gpujs';
  /** Where kernels run: `'webgl2'` or `'cpu'`. */
  readonly mode: GpuJsMode;
  private readonly ctx: GpuJsContext;

  constructor(options: GpuJsOptions = {}) {
    this.mode = options.mode ?? (GpuJsRuntime.webgl2Available() ? 'webgl2' : 'cpu');
    this.ctx = { backend: this, runtime: new GpuJsRuntime(this.mode), host: new CpuBackend() };
  }

  upload(data: DataArray, shape: readonly number[]): BackendArray {
    const copy = this.ctx.host.upload(data, shape);
    return fromHost(this.ctx, copy);
  }

  full(shape: readonly number[], value: number, dtype: DType): BackendArray {
    return full(this.ctx, shape, value, dtype);
  }

  iota(shape: readonly number[], axis: number, dtype: DType): BackendArray {
    return iota(this.ctx, shape, axis, dtype);
  }

  read(x: BackendArray): Promise<DataArray> {
    return new Promise((resolve) => resolve(this.readSync(x)));
  }

  /** Reads synchronously; in WebGL this waits for the GPU, as gpu.js always does. */
  readSync(x: BackendArray): DataArray {
    return hostData(this.ctx, own('read', 'x', x, this)).slice();
  }

  release(x: BackendArray): void {
    const array = own('release', 'x', x, this);
    array.released = true;
    liveArraysOf(this).forget(array.liveEntry);
    if (--array.storage.holders === 0) this.ctx.runtime.free(array.storage.data);
  }

  /**
   * See {@link Backend.memory}. `hostArrays` and `hostBytes` count the arrays of the host CPU backend
   * that runs the int32 and bool kernels (most are short-lived stepping stones).
   */
  memory(): BackendMemory {
    const host = this.ctx.host.memory();
    return { ...liveArraysOf(this).snapshot(), hostArrays: host.arrays, hostBytes: host.bytes };
  }

  unary(op: UnaryOp, x: BackendArray): BackendArray {
    return unary(this.ctx, op, own(op, 'x', x, this));
  }

  binary(op: BinaryOp, a: BackendArray, b: BackendArray): BackendArray {
    return binary(this.ctx, op, own(op, 'a', a, this), own(op, 'b', b, this));
  }

  where(cond: BackendArray, a: BackendArray, b: BackendArray): BackendArray {
    return where(
      this.ctx,
      own('where', 'cond', cond, this),
      own('where', 'a', a, this),
      own('where', 'b', b, this),
    );
  }

  cast(x: BackendArray, dtype: DType): BackendArray {
    return cast(this.ctx, own('cast', 'x', x, this), dtype);
  }

  fused(program: FusedProgram, inputs: readonly BackendArray[]): BackendArray {
    if (inputs.length === 0) throw new KernelError('fused', '`inputs` must not be empty');
    return fused(
      this.ctx,
      program,
      inputs.map((x, i) => own('fused', `inputs[${i}]`, x, this)),
    );
  }

  /** Bit reinterpretation needs exact bits, so it runs on the host. */
  bitcast(x: BackendArray, dtype: 'float32' | 'int32'): BackendArray {
    const array = own('bitcast', 'x', x, this);
    return fromHost(this.ctx, this.ctx.host.bitcast(toHost(this.ctx, array), dtype));
  }

  reduce(op: ReduceOp, x: BackendArray, axes: readonly number[]): BackendArray {
    return reduce(this.ctx, op, own(op, 'x', x, this), axes);
  }

  argReduce(op: ArgReduceOp, x: BackendArray, axis: number): BackendArray {
    return argReduce(this.ctx, op, own(op, 'x', x, this), axis);
  }

  cumsum(x: BackendArray, axis: number, reverse = false): BackendArray {
    return cumsum(this.ctx, own('cumsum', 'x', x, this), axis, reverse);
  }

  argsort(x: BackendArray, axis: number, descending = false): BackendArray {
    return argsort(this.ctx, own('argsort', 'x', x, this), axis, descending);
  }

  reshape(x: BackendArray, shape: readonly number[]): BackendArray {
    return reshape(own('reshape', 'x', x, this), shape);
  }

  transpose(x: BackendArray, perm: readonly number[]): BackendArray {
    return transpose(this.ctx, own('transpose', 'x', x, this), perm);
  }

  broadcastTo(x: BackendArray, shape: readonly number[]): BackendArray {
    return broadcastTo(this.ctx, own('broadcastTo', 'x', x, this), shape);
  }

  slice(
    x: BackendArray,
    start: readonly number[],
    limit: readonly number[],
    strides?: readonly number[],
  ): BackendArray {
    return slice(this.ctx, own('slice', 'x', x, this), start, limit, strides);
  }

  concat(xs: readonly BackendArray[], axis: number): BackendArray {
    if (!Array.isArray(xs) || xs.length === 0) {
      throw new KernelError('concat', '`xs` must be a non-empty list of arrays');
    }
    return concat(
      this.ctx,
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
    return pad(this.ctx, own('pad', 'x', x, this), lo, hi, value, interior);
  }

  gather(x: BackendArray, indices: BackendArray, axis: number): BackendArray {
    return gather(
      this.ctx,
      own('gather', 'x', x, this),
      own('gather', 'indices', indices, this),
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
      this.ctx,
      own('scatterAdd', 'updates', updates, this),
      own('scatterAdd', 'indices', indices, this),
      axis,
      size,
    );
  }

  matmul(a: BackendArray, b: BackendArray, options?: MatmulOptions): BackendArray {
    return matmul(this.ctx, own('matmul', 'a', a, this), own('matmul', 'b', b, this), options);
  }

  conv(x: BackendArray, w: BackendArray, options?: ConvOptions): BackendArray {
    return conv(this.ctx, own('conv', 'x', x, this), own('conv', 'w', w, this), options);
  }

  convBackwardInput(
    dy: BackendArray,
    w: BackendArray,
    xShape: readonly number[],
    options?: ConvOptions,
  ): BackendArray {
    return convBackwardInput(
      this.ctx,
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
      this.ctx,
      own('convBackwardFilter', 'x', x, this),
      own('convBackwardFilter', 'dy', dy, this),
      wShape,
      options,
    );
  }

  pool(op: PoolOp, x: BackendArray, options: PoolOptions): BackendArray {
    return pool(this.ctx, op, own('pool', 'x', x, this), options);
  }

  poolBackward(op: PoolOp, dy: BackendArray, x: BackendArray, options: PoolOptions): BackendArray {
    return poolBackward(
      this.ctx,
      op,
      own('poolBackward', 'dy', dy, this),
      own('poolBackward', 'x', x, this),
      options,
    );
  }
}
