// The WebGPU buffer pool's bound: buffers freed beyond it are destroyed (only once the commands that
// use them are submitted), while loops that stay within it go on reusing buffers instead of making
// new ones. In Node on Dawn; the garbage-collected case forces collections through V8's flags.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BufferPool, DEFAULT_POOL_LIMITS } from '../src/webgpu/buffers.js';
import type { WebGpuBackend } from '../src/webgpu/backend.js';
import { createWebGpu, webgpuWanted } from './conformance/gpu-availability.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a GPU that cannot start fails these tests.
const describeGpu = webgpuWanted() ? describe : describe.skip;

/** Collects garbage and lets the FinalizationRegistry callbacks (which free buffers) run. */
async function collect(): Promise<void> {
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describeGpu('webgpu buffer pool bound', () => {
  let be: WebGpuBackend;
  beforeAll(async () => {
    be = await createWebGpu();
  });
  afterAll(() => be.device.destroy());

  test('keeps at most `limits.buffers` freed buffers and destroys the rest', () => {
    const pool = new BufferPool(be.device, { buffers: 4, bytes: 1 << 20 });
    const taken = Array.from({ length: 10 }, () => pool.acquire(64));
    // Nothing is being recorded, so the pool keeps or destroys each at once.
    for (const shared of taken) pool.drop(shared);
    expect({ pooled: pool.pooled, destroyed: pool.destroyed, live: pool.live }).toEqual({
      pooled: 4,
      destroyed: 6,
      live: 0,
    });
    expect(pool.pooledBytes).toBe(4 * 64);
    // The 4 kept are reused; only the other 6 are made anew.
    for (let i = 0; i < 10; i++) pool.acquire(64);
    expect(pool.created).toBe(10 + 6);
    expect(pool.pooled).toBe(0);
  });

  test('while commands are recorded, freed buffers wait for the submission', () => {
    const pool = new BufferPool(be.device, { buffers: 1, bytes: 1 << 20 });
    const [a, b] = [pool.acquire(64), pool.acquire(64)];
    pool.recording = true;
    pool.drop(a);
    pool.drop(b);
    // a is counted as pooled but not yet reusable, b is not yet destroyed.
    expect({ pooled: pool.pooled, destroyed: pool.destroyed }).toEqual({ pooled: 1, destroyed: 0 });
    expect(pool.acquire(64).buffer).not.toBe(a.buffer);
    pool.submitted();
    expect(pool.recording).toBe(false);
    expect(pool.destroyed).toBe(1);
    expect(pool.acquire(64).buffer).toBe(a.buffer);
  });

  test('keeps at most `limits.bytes` of freed buffers', () => {
    const pool = new BufferPool(be.device, { buffers: 100, bytes: 256 });
    const taken = [pool.acquire(128), pool.acquire(128), pool.acquire(100), pool.acquire(1000)];
    for (const shared of taken) pool.drop(shared);
    // 128 + 128 fill the 256 bytes; the third (128 after rounding) and the 1024-byte one are destroyed.
    expect(pool.pooledBytes).toBe(256);
    expect(pool.pooled).toBe(2);
    expect(pool.destroyed).toBe(2);
  });

  test('a buffer freed beyond the bound while recorded work reads it lives until submitted', async () => {
    const pool = be.runner.pool;
    pool.submitted();
    const saved = pool.limits;
    pool.limits = { buffers: 0, bytes: 0 };
    try {
      be.device.pushErrorScope('validation');
      const x = be.upload(new Float32Array([1, 2, 3]), [3]);
      const y = be.unary('neg', x); // recorded, not yet submitted
      const destroyedBefore = pool.destroyed;
      be.release(x); // x's buffer is doomed, but the recorded `neg` still reads it
      expect(pool.destroyed).toBe(destroyedBefore);
      expect(Array.from(await be.read(y))).toEqual([-1, -2, -3]);
      // Destroyed after the read's submission: x's buffer and neg's parameter buffer.
      expect(pool.destroyed - destroyedBefore).toBe(2);
      expect(await be.device.popErrorScope()).toBeNull();
      expect(pool.pooled).toBe(0);
    } finally {
      pool.limits = saved;
    }
  });

  test('a released array gives its buffer back once, not again when it is collected', async () => {
    const pool = be.runner.pool;
    await collect();
    const live = pool.live;
    const pooled = pool.pooled;
    const created = pool.created;
    (() => {
      const x = be.full([64], 1, 'float32');
      expect(pool.live).toBe(live + 1);
      be.release(x);
    })();
    await collect();
    // A second give-back would count one buffer fewer in use, and one more pooled than there are:
    // every buffer made meanwhile (for x, or its parameters) is now pooled.
    expect(pool.live).toBe(live);
    expect(pool.pooled).toBe(pooled + pool.created - created);
  });

  test('collected arrays refill the pool only up to its bound', async () => {
    const pool = be.runner.pool;
    const saved = pool.limits;
    pool.limits = { buffers: 50, bytes: 1 << 20 };
    const destroyedBefore = pool.destroyed;
    try {
      const a = be.full([8], 1, 'float32');
      for (let i = 0; i < 200; i++) be.unary('neg', a); // results dropped unread
      await be.read(a);
      await collect();
      // Collected arrays come back during the collections; submitting puts them in the free lists.
      await be.read(a);
      expect(pool.pooled).toBe(50);
      // The 200 results were all in use at once; once collected, at most 50 of their buffers are kept
      // (and `a` still holds one).
      expect(pool.destroyed - destroyedBefore).toBeGreaterThanOrEqual(200 - 50 - 1);
    } finally {
      pool.limits = saved;
    }
  });

  test('within the default bound, a loop that drops its results reuses buffers', async () => {
    expect(DEFAULT_POOL_LIMITS.buffers).toBeGreaterThan(1000);
    const pool = be.runner.pool;
    const a = be.full([256], 1, 'float32');
    // A step: a few kernels whose results are left to the collector, as an eager loop leaves them.
    const steps = async (count: number) => {
      for (let i = 0; i < count; i++) {
        be.binary('mul', be.unary('neg', a), a);
        if (i % 10 === 9) await collect();
      }
      await be.read(a);
      await collect();
    };
    await steps(50); // fills the pool
    const created = pool.created;
    const destroyed = pool.destroyed;
    await steps(100);
    // 100 steps take 400 buffers (two results, two parameter lists). A collection that finds the
    // arrays a little later than usual makes a few more; without reuse it would be all 400.
    expect(pool.created - created).toBeLessThanOrEqual(20);
    expect(pool.destroyed).toBe(destroyed);
  });
});
