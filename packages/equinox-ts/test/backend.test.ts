// Backend selection: by name, automatically, moving tensors between backends, and recovering from a lost
// WebGPU device. WebGPU runs on Dawn (SwiftShader here and in CI), as in the kernels' conformance suite.
import { dawn, webgpuWanted } from '../../kernels/test/conformance/gpu-availability.js';
import { availableParallelism } from 'node:os';
import {
  type kernels,
  availableBackends,
  devicePut,
  devicePutAsync,
  getBackend,
  jnp,
  nn,
  random,
  setBackend,
} from '../src/index.js';

afterEach(() => setBackend('cpu'));

test('setBackend names a backend, makes new tensors there and keeps it for the next call', async () => {
  const cpu = await setBackend('cpu');
  // Its worker threads are running (one per core, the calling thread included).
  const threads = await (cpu as kernels.CpuBackend).ready();
  expect(threads).toBe(Math.min(availableParallelism(), threads));
  if (availableParallelism() > 1) expect(threads).toBeGreaterThan(1);
  expect(cpu.name).toBe('cpu');
  expect(getBackend()).toBe(cpu);
  expect(jnp.ones([2]).backend).toBe(cpu);
  expect(await setBackend('cpu')).toBe(cpu);
});

test('bad choices are errors that list the backends', async () => {
  await expect(setBackend('tpu' as never)).rejects.toThrow(
    "setBackend: argument `choice` must be 'auto', 'webgpu', 'gpujs', 'cpu'; found 'tpu'",
  );
  expect(getBackend().name).toBe('cpu');
});

test('without WebGPU, asking for it says why and auto falls back to the CPU', async () => {
  // Node has no navigator.gpu.
  await expect(setBackend('webgpu')).rejects.toThrow(/webgpu: no WebGPU here/);
  expect((await setBackend('auto')).name).toBe('cpu');
  expect(await availableBackends()).toEqual(['cpu']);
});

test("gpu.js in Node runs in its JavaScript mode, chosen only by name (auto skips it: it's slower than the CPU)", async () => {
  const gpujs = await setBackend('gpujs');
  expect(gpujs.name).toBe('gpujs');
  const x = jnp.array([1, 2, 3]);
  expect(x.backend).toBe(gpujs);
  expect(Array.from(await x.mul(2).data())).toEqual([2, 4, 6]);
  expect(await availableBackends()).not.toContain('gpujs');
});

test('a model moves between backends and computes the same there', async () => {
  const gpujs = await setBackend('gpujs');
  const cpu = await setBackend('cpu');
  const model = new nn.Linear(3, 2, { key: random.key(0) });
  const x = jnp.array([1, -2, 0.5]);
  const there = devicePut(model, gpujs);
  expect(there.weight.backend).toBe(gpujs);
  expect(there).toBeInstanceOf(nn.Linear);
  const y = there.call(devicePut(x, gpujs));
  const back = await devicePutAsync(y, cpu);
  expect(back.backend).toBe(cpu);
  const expected = model.call(x).tolist() as number[];
  (back.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
});

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a WebGPU that cannot start fails these tests.
(webgpuWanted() ? describe : describe.skip)('on WebGPU (Dawn)', () => {
  test('setBackend takes the GPU object in Node; auto prefers WebGPU; models come back with devicePutAsync', async () => {
    const gpu = dawn().create([]);
    const backend = await setBackend('webgpu', { gpu });
    expect(backend.name).toBe('webgpu');
    expect(await availableBackends({ gpu })).toEqual(['webgpu', 'cpu']);
    expect(await setBackend('auto', { gpu })).toBe(backend);
    const model = new nn.Linear(2, 2, { key: random.key(1) });
    expect(model.weight.backend).toBe(backend);
    const cpu = await setBackend('cpu');
    expect(() => devicePut(model, cpu)).toThrow(/use await devicePutAsync/);
    const moved = await devicePutAsync(model, cpu);
    expect(moved.weight.backend).toBe(cpu);
    expect(Array.from(moved.weight.dataSync())).toEqual(Array.from(await model.weight.data()));
  });

  test('after the device is lost, setBackend starts a new one', async () => {
    const gpu = dawn().create([]);
    const first = await setBackend('webgpu', { gpu });
    (first as unknown as { device: GPUDevice }).device.destroy();
    // The loss is reported asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(() => jnp.ones([2]).add(1)).toThrow(/lost/);
    const second = await setBackend('webgpu', { gpu });
    expect(second).not.toBe(first);
    expect(Array.from(await jnp.ones([2]).add(1).data())).toEqual([2, 2]);
  });
});
