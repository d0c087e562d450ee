// Losing the WebGPU device in the middle of training, and recovering as docs/guides/backends.md says:
// train on 'webgpu' with a checkpoint every few steps, destroy the device, check that the next step and
// the next read fail with the device-lost error (which names the loss and the way back), then start a new
// device with setBackend('webgpu'), reload the model and the optimiser state from the checkpoints, and
// train on. WebGPU runs on Dawn (SwiftShader here and in CI), as in test/backend.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dawn, webgpuWanted } from '../../kernels/test/conformance/gpu-availability.js';
import {
  type Tensor,
  applyUpdates,
  filter,
  filterJit,
  filterValueAndGrad,
  isArray,
  jax,
  jnp,
  loadSafetensors,
  nn,
  optim,
  random,
  saveSafetensors,
  setBackend,
  tree,
} from '../src/index.js';

jest.setTimeout(60_000); // a software GPU: every step is a few shader dispatches on the CPU

const CHECKPOINT_EVERY = 5;
const LOST_AT = 12; // two steps after the checkpoint of step 10, so those two steps are lost with the device

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqx-device-loss-'));
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await setBackend('cpu');
});

/** A fresh model, made on the current default backend; `seed` 0 is the one trained. */
const makeModel = (seed = 0): nn.MLP =>
  new nn.MLP(1, 1, 8, 2, { activation: jax.nn.tanh, key: random.key(seed) });
type Model = nn.MLP;

/** The training data, made on the current default backend (a dataset's batches come from the host). */
function makeData(): [Tensor, Tensor] {
  const xs = Array.from({ length: 32 }, (_, i) => [-2 + (4 * i) / 31]);
  return [jnp.array(xs), jnp.array(xs.map(([v]) => [Math.sin(v!)]))];
}

const lossFn = (m: Model, xs: Tensor, ys: Tensor): Tensor =>
  jnp.mean(
    jax
      .vmap((xi: Tensor) => m.call(xi))(xs)
      .sub(ys)
      .square(),
  );
const optimiser = optim.adam(0.03);
const step = filterJit((m: Model, state: unknown, xs: Tensor, ys: Tensor) => {
  const [loss, grads] = filterValueAndGrad(lossFn)(m, xs, ys);
  const [updates, next] = optimiser.update(grads, state, m);
  return [applyUpdates(m, updates), next, loss] as const;
});

/** Every array leaf's values, read back to the host, in flattening order. */
async function leafValues(t: unknown): Promise<number[][]> {
  const leaves = tree.leaves(filter(t, isArray)) as Tensor[];
  return Promise.all(leaves.map(async (leaf) => Array.from(await leaf.data())));
}

const lossValue = async (loss: Tensor): Promise<number> => (await loss.data())[0]!;

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a WebGPU that cannot start fails this test.
(webgpuWanted() ? describe : describe.skip)('a WebGPU device lost mid-training (Dawn)', () => {
  test('fails with the device-lost error, then recovers from the checkpoint and trains on', async () => {
    const gpu = dawn().create([]);
    const first = await setBackend('webgpu', { gpu });
    const modelPath = join(dir, 'model.safetensors');
    const statePath = join(dir, 'optimiser.safetensors');

    let [x, y] = makeData();
    let model = makeModel();
    let state: unknown = optimiser.init(filter(model, isArray));
    let loss = lossFn(model, x, y);
    const initialLoss = await lossValue(loss);
    let checkpointLoss = initialLoss;
    let checkpointValues: number[][] = [];

    for (let i = 1; i <= LOST_AT; i++) {
      [model, state, loss] = step(model, state, x, y);
      if (i % CHECKPOINT_EVERY === 0) {
        await saveSafetensors(modelPath, model);
        await saveSafetensors(statePath, state);
        checkpointValues = await leafValues(model);
        checkpointLoss = await lossValue(lossFn(model, x, y));
      }
    }
    expect(checkpointLoss).toBeLessThan(initialLoss);

    (first as unknown as { device: GPUDevice }).device.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the loss is reported asynchronously

    // The next step and the next read both say what happened and how to recover.
    const lostError =
      /^webgpu: the GPU device was lost \(destroyed: .*\); its arrays are gone\. Recover by .*setBackend\('webgpu'\).*reloading the model from its last checkpoint/;
    expect(() => step(model, state, x, y)).toThrow(lostError);
    await expect(loss.data()).rejects.toThrow(lostError);

    // The recovery of docs/guides/backends.md: a new device, a fresh model of the same structure made
    // on it, and the checkpoint loaded into it; the optimiser state comes back the same way, and the data
    // (on the lost device too) is uploaded again.
    const second = await setBackend('webgpu', { gpu });
    [x, y] = makeData();
    expect(second).not.toBe(first);
    expect(second.name).toBe('webgpu');
    model = await loadSafetensors(modelPath, makeModel(7)); // another seed: every value must come from the file
    state = await loadSafetensors(statePath, optimiser.init(filter(model, isArray)));
    expect(await leafValues(model)).toEqual(checkpointValues);
    expect(
      (tree.leaves(filter(model, isArray)) as Tensor[]).every((t) => t.backend === second),
    ).toBe(true);
    const restoredLoss = await lossValue(lossFn(model, x, y));
    expect(restoredLoss).toBeCloseTo(checkpointLoss, 5);

    // Training goes on from the checkpoint, on the new device, and the loss keeps falling.
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      [model, state, loss] = step(model, state, x, y);
      losses.push(await lossValue(loss));
    }
    expect(losses[losses.length - 1]!).toBeLessThan(restoredLoss);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    expect(await lossValue(lossFn(model, x, y))).toBeLessThan(restoredLoss / 2);
    // About 20 s alone on SwiftShader; over 60 s once in CI beside the other packages' GPU tests.
  }, 240_000);
});
