/// <reference types="@webgpu/types" />
/**
 * GPU buffers, pooled by size. An array's buffer returns to the pool when the array is released or
 * garbage-collected (a FinalizationRegistry), so users never call dispose. A buffer freed while
 * commands that use it are still being recorded waits until they are submitted: the queue runs
 * submissions in order, so later work may then reuse it.
 */

/** Storage buffers: kernels read and write them, uploads and reads copy in and out. */
const USAGE = 0x80 /* STORAGE */ | 0x4 /* COPY_SRC */ | 0x8; /* COPY_DST */

/** One GPU buffer, shared by the arrays that view it (a reshape shares its input's buffer). */
export interface SharedBuffer {
  readonly buffer: GPUBuffer;
  /** Bytes, a multiple of 16 (the pool's size classes). */
  readonly bytes: number;
  /** Arrays that still use it. */
  users: number;
}

/** Rounds up to the pool's size class: powers of two from 16 bytes, then multiples of 1 MiB. */
export function sizeClass(bytes: number): number {
  const atLeast = Math.max(16, bytes);
  if (atLeast >= 1 << 20) return Math.ceil(atLeast / (1 << 20)) * (1 << 20);
  return 2 ** Math.ceil(Math.log2(atLeast));
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Freed while the current command encoder may still use them. */
  private waiting: SharedBuffer[] = [];
  /** Buffers made so far, and how many are in use: for tests and the leak report. */
  created = 0;
  live = 0;
  /** Buffers not in use that the pool keeps for reuse, and their bytes: for the leak report. */
  pooled = 0;
  pooledBytes = 0;
  /** Bytes of the buffers in use. */
  liveBytes = 0;

  constructor(private readonly device: GPUDevice) {}

  /** A buffer of at least `bytes`, reused from the pool when one of its size class is free. */
  acquire(bytes: number): SharedBuffer {
    const size = sizeClass(bytes);
    let buffer = this.free.get(size)?.pop();
    if (buffer === undefined) buffer = this.create(size);
    else this.unpool(size);
    this.live++;
    this.liveBytes += size;
    return { buffer, bytes: size, users: 1 };
  }

  private create(size: number): GPUBuffer {
    this.created++;
    return this.device.createBuffer({ size, usage: USAGE });
  }

  /** One user fewer; the last one gives the buffer back (after the pending commands are submitted). */
  drop(shared: SharedBuffer): void {
    if (--shared.users > 0) return;
    this.live--;
    this.liveBytes -= shared.bytes;
    this.pooled++;
    this.pooledBytes += shared.bytes;
    this.waiting.push(shared);
  }

  private unpool(bytes: number): void {
    this.pooled--;
    this.pooledBytes -= bytes;
  }

  /** Called after each submission: buffers freed meanwhile may be reused by later commands. */
  submitted(): void {
    for (const { buffer, bytes } of this.waiting) {
      let list = this.free.get(bytes);
      if (!list) this.free.set(bytes, (list = []));
      list.push(buffer);
    }
    this.waiting = [];
  }

  /** Destroys every pooled buffer not in use (e.g. after a memory-hungry phase). */
  trim(): void {
    for (const [bytes, list] of this.free) {
      for (const buffer of list) {
        buffer.destroy();
        this.unpool(bytes);
      }
    }
    this.free.clear();
  }
}
