/// <reference types="@webgpu/types" />
/** The WebGPU backend's array: a shape, a dtype and a pooled GPU buffer holding the elements, row-major. */
import type { Backend, BackendArray } from '../backend.js';
import type { DType } from '../dtype.js';
import { liveArraysOf, type LiveArrays, type LiveEntry } from '../live-arrays.js';
import { ownArray } from '../own-array.js';
import type { BufferPool, SharedBuffer } from './buffers.js';

interface Held {
  pool: BufferPool;
  shared: SharedBuffer;
  live: LiveArrays;
  entry: LiveEntry;
}

// An array the program no longer reaches gives its buffer back to the pool, and stops counting.
const collected = new FinalizationRegistry<Held>(({ pool, shared, live, entry }) => {
  live.forget(entry);
  pool.drop(shared);
});

export class WebGpuArray implements BackendArray {
  readonly size: number;
  released = false;
  /** Its place in the backend's live-array count (see `Backend.memory`). */
  private readonly liveEntry: LiveEntry;

  constructor(
    readonly backend: Backend,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly shared: SharedBuffer,
    private readonly pool: BufferPool,
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    // Counted always: the registration that pools the buffer also reports the collection. A view (a
    // second user of the buffer) adds no bytes.
    const live = liveArraysOf(backend);
    this.liveEntry = live.add(shared.users === 1 ? shared.bytes : 0);
    collected.register(this, { pool, shared, live, entry: this.liveEntry }, this);
  }

  get buffer(): GPUBuffer {
    return this.shared.buffer;
  }

  /** Gives the buffer back now rather than at garbage collection. */
  release(): void {
    if (this.released) return;
    this.released = true;
    collected.unregister(this);
    liveArraysOf(this.backend).forget(this.liveEntry);
    this.pool.drop(this.shared);
  }
}

/** `x` as one of `backend`'s arrays, or a KernelError naming the kernel and the argument. */
export function own(kernel: string, argument: string, x: unknown, backend: Backend): WebGpuArray {
  return ownArray(kernel, argument, x, backend, WebGpuArray);
}
