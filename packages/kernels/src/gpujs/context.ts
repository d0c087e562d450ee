/**
 * What every kernel file of the gpu.js backend needs: the backend (to own results), the gpu.js runtime,
 * and a CPU backend for the int32 and bool kernels, which run on the host. Also the moves between the
 * two: host elements of any array, and CPU arrays wrapped as gpu.js arrays.
 */
import type { Backend } from '../backend.js';
import { CpuArray, denseData } from '../cpu/array.js';
import type { CpuBackend } from '../cpu/backend.js';
import type { DataArray, DType } from '../dtype.js';
import type { GpuJsRuntime, KernelInput } from './adapter.js';
import { GpuJsArray, storageOf, type Storage } from './array.js';

export interface GpuJsContext {
  readonly backend: Backend;
  readonly runtime: GpuJsRuntime;
  /** Runs the kernels whose results are int32 or bool (see the package's README: int32 on gpu.js). */
  readonly host: CpuBackend;
}

/** A new array of `ctx`'s backend over `data`. */
export function wrap(
  ctx: GpuJsContext,
  dtype: DType,
  shape: readonly number[],
  data: Storage['data'],
): GpuJsArray {
  return new GpuJsArray(ctx.backend, dtype, [...shape], storageOf(data));
}

/** The elements of `x` on the host, row-major; a texture is read back. Callers must not write to it. */
export function hostData(ctx: GpuJsContext, x: GpuJsArray): DataArray {
  const data = x.data;
  if (data instanceof Int32Array || data instanceof Uint8Array || data instanceof Float32Array) {
    return data;
  }
  return ctx.runtime.read(data);
}

/** `x` as an array of the host CPU backend (sharing its host elements). */
export function toHost(ctx: GpuJsContext, x: GpuJsArray): CpuArray {
  return new CpuArray(ctx.host, x.dtype, [...x.shape], hostData(ctx, x));
}

/** A result of the host CPU backend as an array of `ctx`'s backend. */
export function fromHost(ctx: GpuJsContext, x: unknown): GpuJsArray {
  const array = x as CpuArray;
  return wrap(ctx, array.dtype, array.shape, denseData(array));
}

/** What a gpu.js kernel reads for `x`: its texture or host elements, as they are. */
export function kernelInput(x: GpuJsArray): KernelInput {
  return x.data;
}

/** Runs a generated float32 kernel over `inputs` (arrays or scalars) into a new array of `shape`. */
export function runFloat(
  ctx: GpuJsContext,
  kernel: string,
  source: string,
  shape: readonly number[],
  inputs: readonly (GpuJsArray | number)[],
): GpuJsArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const args = inputs.map((x) => (typeof x === 'number' ? x : kernelInput(x)));
  return wrap(ctx, 'float32', shape, ctx.runtime.run(kernel, source, size, args));
}
