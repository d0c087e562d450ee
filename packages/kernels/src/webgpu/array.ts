/// <reference types="@webgpu/types" />
/** The WebGPU backend's array: a shape, a dtype and a pooled GPU buffer holding the elements, row-major. */
import type { Backend, BackendArray } from '../backend.js';
import type { DType } from '../dtype.js';
import { liveArraysOf, type LiveArrays, type LiveEntry } from '../live-arrays.js';
import { ownArray } from '../own-array.js';
import type { BufferPool, SharedBuffer } from './buffers.js';

/** What an array gives back, once: at its release or, failing that, at its collection. */
interface Held {
  pool: BufferPool;
  shared: SharedBuffer;
  live: LiveArrays;
  entry: LiveEntry;
  given: boolean;
}

function giveBack(held: Held): void {
  if (held.given) return;
  held.given = true;
  held.live.forget(held.entry);
  held.pool.drop(held.shared);
}

// An array the program no longer reaches gives its buffer back to the pool, and stops counting. A
// released array is not unregistered (its record's callback then does nothing): unregister tokens
// live in a table that the engine never shrinks, and eager loops have tens of thousands of arrays
// awaiting collection at once (measured in Node: 4.5 MB of heap kept after a wave of 150,000).
const collected = new FinalizationRegistry<Held>(giveBack);

export class WebGpuArray implements BackendArray {
  readonly size: number;
  released = false;
  /** What it gives back when released or collected. */
  private readonly held: Held;

  constructor(
    readonly backend: Backend,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly shared: SharedBuffer,
    pool: BufferPool,
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    // Counted always: the registration that pools the buffer also reports the collection. A view (a
    // second user of the buffer) adds no bytes.
    const live = liveArraysOf(backend);
    const entry = live.add(shared.users === 1 ? shared.bytes : 0);
    this.held = { pool, shared, live, entry, given: false };
    collected.register(this, this.held);
  }

  get buffer(): GPUBuffer {
    return this.shared.buffer;
  }

  /** Gives the buffer back now rather than at garbage collection. */
  release(): void {
    if (this.released) return;
    this.released = true;
    giveBack(this.held);
  }
}

/** `x` as one of `backend`'s arrays, or a KernelError naming the kernel and the argument. */
export function own(kernel: string, argument: string, x: unknown, backend: Backend): WebGpuArray {
  return ownArray(kernel, argument, x, backend, WebGpuArray);
}
