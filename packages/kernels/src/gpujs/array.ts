/**
 * The gpu.js backend's array. Elements are always contiguous and row-major, in one of two places:
 * float32 elements in whatever gpu.js gave back (a texture in WebGL pipeline mode, a Float32Array in
 * `cpu` mode, or the uploaded Float32Array until a kernel reads it), int32 and bool elements in typed
 * arrays on the host, since gpu.js computes in float32 and cannot hold every int32 exactly.
 */
import type { Backend, BackendArray } from '../backend.js';
import { elementBytes, type DType } from '../dtype.js';
import { liveArraysOf, type LiveEntry } from '../live-arrays.js';
import { ownArray } from '../own-array.js';
import { sizeOf } from '../shape.js';
import type { DeviceTexture } from './adapter.js';

/** Float32 elements where gpu.js keeps them. */
export type FloatData = Float32Array | DeviceTexture;

/** Elements shared by an array and its reshapes; freed when the last of them is released. */
export interface Storage {
  readonly data: FloatData | Int32Array | Uint8Array;
  holders: number;
}

export class GpuJsArray implements BackendArray {
  readonly size: number;
  released = false;
  /** Its place in the backend's live-array count (see `Backend.memory`). */
  readonly liveEntry: LiveEntry | null;

  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly storage: Storage,
  ) {
    this.size = sizeOf(shape);
    // The first holder of the elements counts their bytes; a reshape sharing them adds none.
    const bytes = storage.holders === 0 ? this.size * elementBytes(dtype) : 0;
    storage.holders++;
    this.liveEntry = liveArraysOf(backend).track(this, bytes);
  }

  get data(): Storage['data'] {
    return this.storage.data;
  }
}

/** A new storage for `data`, held by nobody yet. */
export function storageOf(data: Storage['data']): Storage {
  return { data, holders: 0 };
}

/** `x` as one of `backend`'s arrays, or a KernelError naming the kernel and the argument. */
export function own(kernel: string, argument: string, x: unknown, backend: Backend): GpuJsArray {
  return ownArray(kernel, argument, x, backend, GpuJsArray);
}
