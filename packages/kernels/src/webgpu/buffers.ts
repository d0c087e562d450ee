/// <reference types="@webgpu/types" />
/**
 * GPU buffers, pooled by size. An array's buffer returns to the pool when the array is released or
 * garbage-collected (a FinalizationRegistry), so users never call dispose. A buffer freed while
 * commands are being recorded waits until they are submitted (they may use it): the queue runs
 * submissions in order, so later work may then reuse it. One freed while nothing is recorded is
 * pooled at once.
 *
 * The pool is bounded (see {@link PoolLimits}): a buffer that would take it past its bound is destroyed
 * instead of kept. Without one, eager loops kept growing it: their arrays come back only when the
 * collector finds them, which V8 does in its rare full collections, so tens of thousands of buffers
 * return at once, and the pool kept the largest such wave seen so far (100,000 buffers, 25 MB, after
 * 2,500 eager steps of a small MLP, and still more as rarer, larger waves came).
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

/** How much a {@link BufferPool} keeps for reuse; a buffer freed beyond either bound is destroyed. */
export interface PoolLimits {
  /** Most buffers kept. */
  buffers: number;
  /** Most bytes kept. */
  bytes: number;
}

/**
 * The default bound. A jitted training loop of a small MLP cycles through about 2,500 buffers, well
 * within it, so it makes no new ones once warm. The byte bound keeps the large activations of a bigger
 * model without holding on to a memory-hungry phase's worth of GPU memory forever.
 */
export const DEFAULT_POOL_LIMITS: PoolLimits = { buffers: 8192, bytes: 256 * 1024 * 1024 };

/** Rounds up to the pool's size class: powers of two from 16 bytes, then multiples of 1 MiB. */
export function sizeClass(bytes: number): number {
  const atLeast = Math.max(16, bytes);
  if (atLeast >= 1 << 20) return Math.ceil(atLeast / (1 << 20)) * (1 << 20);
  return 2 ** Math.ceil(Math.log2(atLeast));
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Freed, to be pooled once the current command encoder (which may still use them) is submitted. */
  private waiting: SharedBuffer[] = [];
  /** Freed beyond the bound, to be destroyed once the current command encoder is submitted. */
  private doomed: GPUBuffer[] = [];
  /** Buffers made so far, and how many are in use: for tests and the leak report. */
  created = 0;
  live = 0;
  /** Buffers destroyed because the pool was full: for tests. */
  destroyed = 0;
  /** Buffers not in use that the pool keeps for reuse (or will, once submitted), and their bytes. */
  pooled = 0;
  pooledBytes = 0;
  /** Bytes of the buffers in use. */
  liveBytes = 0;
  /**
   * True while commands are being recorded (set by the runner, cleared by {@link submitted}): a buffer
   * freed meanwhile may be used by them, so it waits for the submission. Otherwise it is pooled or
   * destroyed at once, so that a wave of collected arrays holds nothing until the next submission.
   */
  recording = false;

  constructor(
    private readonly device: GPUDevice,
    /** The bound; tests lower it. */
    public limits: PoolLimits = DEFAULT_POOL_LIMITS,
  ) {}

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

  /**
   * One user fewer; the last one gives the buffer back (after the pending commands are submitted), to
   * the pool while it is within its bound, else to be destroyed.
   */
  drop(shared: SharedBuffer): void {
    if (--shared.users > 0) return;
    this.live--;
    this.liveBytes -= shared.bytes;
    const full =
      this.pooled + 1 > this.limits.buffers || this.pooledBytes + shared.bytes > this.limits.bytes;
    if (full) {
      if (this.recording) this.doomed.push(shared.buffer);
      else this.destroy(shared.buffer);
      return;
    }
    this.pooled++;
    this.pooledBytes += shared.bytes;
    if (this.recording) this.waiting.push(shared);
    else this.pool(shared);
  }

  private pool({ buffer, bytes }: SharedBuffer): void {
    let list = this.free.get(bytes);
    if (!list) this.free.set(bytes, (list = []));
    list.push(buffer);
  }

  private destroy(buffer: GPUBuffer): void {
    buffer.destroy();
    this.destroyed++;
  }

  private unpool(bytes: number): void {
    this.pooled--;
    this.pooledBytes -= bytes;
  }

  /** Called after each submission: buffers freed meanwhile may be reused by later commands. */
  submitted(): void {
    this.recording = false;
    for (const shared of this.waiting) this.pool(shared);
    this.waiting = [];
    // Destroying waits for the submission: a destroyed buffer in a later submit is a validation error,
    // while one destroyed after its submission is freed once the GPU is done with it.
    for (const buffer of this.doomed) this.destroy(buffer);
    this.doomed = [];
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
