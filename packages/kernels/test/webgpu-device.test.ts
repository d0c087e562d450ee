// The WebGPU backend's own behaviour beyond the conformance suite: getting a device, losing it, the
// buffer pool, and errors raised on the GPU.
import { KernelError } from '../src/index.js';
import { WebGpuBackend } from '../src/webgpu/index.js';
import { createWebGpu, webgpuWanted } from './conformance/gpu-availability.js';

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a GPU that cannot start fails these tests.
const describeGpu = webgpuWanted() ? describe : describe.skip;

test('without WebGPU, create says how to get it', async () => {
  const saved = (globalThis as { navigator?: unknown }).navigator;
  delete (globalThis as { navigator?: unknown }).navigator;
  try {
    await expect(WebGpuBackend.create()).rejects.toThrow(
      /webgpu: no WebGPU here: .*in Node, install the `webgpu` package and pass its GPU/,
    );
  } finally {
    if (saved !== undefined) (globalThis as { navigator?: unknown }).navigator = saved;
  }
});

describeGpu('webgpu device', () => {
  test('a lost device makes every later call fail with the recovery advice, and a new backend works', async () => {
    const be = await createWebGpu();
    const x = be.upload(new Float32Array([1, 2]), [2]);
    expect(Array.from(await be.read(be.unary('neg', x)))).toEqual([-1, -2]);
    be.device.destroy();
    await be.device.lost; // the loss is reported asynchronously
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(() => be.unary('neg', x)).toThrow(KernelError);
    expect(() => be.upload(new Float32Array([1]), [1])).toThrow(
      /webgpu: the GPU device was lost \(destroyed: .*\); its arrays are gone\. Recover by creating a new backend/,
    );
    await expect(be.read(x)).rejects.toThrow(/the GPU device was lost/);
    const fresh = await createWebGpu();
    expect(Array.from(await fresh.read(fresh.full([2], 3, 'float32')))).toEqual([3, 3]);
    fresh.device.destroy();
  });

  test('a read in flight when the device is lost rejects with the device-lost error', async () => {
    const be = await createWebGpu();
    const x = be.upload(new Float32Array([1, 2]), [2]);
    const reading = be.read(be.unary('neg', x));
    be.device.destroy();
    await expect(reading).rejects.toThrow(/the GPU device was lost \(destroyed: .*\)/);
  });

  test('released buffers go back to the pool and are reused', async () => {
    const be = await createWebGpu();
    const pool = be.runner.pool;
    const a = be.full([1000], 1, 'float32');
    await be.read(a);
    const created = pool.created;
    const live = pool.live;
    for (let i = 0; i < 20; i++) {
      const b = be.unary('neg', a);
      await be.read(b);
      be.release(b);
    }
    expect(pool.live).toBe(live);
    // Each step takes one buffer for the result and one for its parameters; both come back.
    expect(pool.created - created).toBeLessThanOrEqual(2);
    expect(() =>
      be.unary(
        'neg',
        (() => {
          const c = be.full([1], 0, 'float32');
          be.release(c);
          return c;
        })(),
      ),
    ).toThrow(/neg: `x` was released and cannot be used/);
    be.device.destroy();
  });

  test('arrays of another backend are refused by name', async () => {
    const be = await createWebGpu();
    const other = await createWebGpu();
    expect(() => be.unary('neg', other.full([1], 0, 'float32'))).toThrow(
      /neg: `x` must be an array of this webgpu backend, found an array of another webgpu backend instance/,
    );
    be.device.destroy();
    other.device.destroy();
  });
});
