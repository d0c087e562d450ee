// MLP training-step benchmark (the workload of issue 5): an MLP 784-512-512-10 with ReLU, softmax
// cross-entropy averaged over a batch of 128, and one SGD step (lr 0.01) on every parameter. equinox-ts
// eagerly and under `jit`, against TensorFlow.js (wasm and cpu backends, `variableGrads` in `tidy`) and
// jax-js (wasm, its jitted `grad` step), from the same initial parameters and data, in the same run.
// Run with `pnpm --filter @equinox-ts/bench mlp`.
//
// Every implementation's loss is printed before its first step and after it: equal losses at step 0
// mean the same model and data, equal losses at step 1 the same gradients and update. A timed run is
// a few steps, then a read of the last layer's bias, which every later parameter depends on: jax-js is
// lazy, and the read makes it finish the work.
//
// tfjs-wasm is slow here because of its own matmul gradient: the weight gradients are products with
// `transposeA`, which its wasm BatchMatMul runs about 20x slower than the forward products (profiled
// with tf.profile: those three products take about 85% of its step).
import { grad, jit, nn, numpy, random, type Tensor } from '@equinox-ts/autodiff';
import { cpu, CpuBackend } from '@equinox-ts/kernels';
import * as tree from '@equinox-ts/pytree';
import type { Array as JaxArray } from '@jax-js/jax';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { compare, type Timing } from './harness.js';
import { loadPeers, type TfBackend } from './peers.js';
// tfjs-core's Node build registers no gradients (the `@tensorflow/tfjs` package registers them all
// from tfjs-core's ES-module files): register tfjs-core's own ones for the kernels this model records.
// Not all of them, as the umbrella does: one of those files loads all of tfjs-core a second time.
// (After peers.js, so that tfjs-core's Node build makes the engine these files then share.)
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad.js';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad.js';
import { castGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Cast_grad.js';
import { meanGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad.js';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad.js';
import { negGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Neg_grad.js';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad.js';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad.js';

const SIZES = [784, 512, 512, 10];
const CLASSES = SIZES.at(-1)!;
const BATCH = 128;
const LR = 0.01;
/** Steps per timed run (each run ends with a read). */
const STEPS_PER_RUN = 4;
/** Interleaved timing budget (ms) shared by the fast implementations. */
const BUDGET_MS = 20000;
/** Slower than this per step (ms), an implementation is timed alone, over three single steps. */
const SLOW_MS = 250;
/** Slower than this per step (ms), it is left out. */
const TOO_SLOW_MS = 3000;

/** One implementation of the training step, holding its own parameters. */
interface Trainer {
  name: string;
  /** The loss at the current parameters. */
  loss(): number;
  /** One training step: forward, backward, SGD update. */
  step(): void;
  /** Reads back the last layer's bias (waits for every pending step). */
  read(): Float32Array;
}

// --- shared data, drawn with equinox-ts's random keys -------------------------------------------
const peers = await loadPeers();
const { tf, jax } = peers;
for (const config of [
  addGradConfig,
  batchMatMulGradConfig,
  castGradConfig,
  meanGradConfig,
  multiplyGradConfig,
  negGradConfig,
  reluGradConfig,
  sumGradConfig,
]) {
  tf.registerGradient(config);
}
const threads = await cpu.ready();

const keys = random.split(random.key(0), SIZES.length); // one per layer, one for the data
const layerKeys = Array.from({ length: SIZES.length - 1 }, (_, i) => keys.get(i));
const [xKey, yKey] = random.split(keys.get(SIZES.length - 1), 2);
const x = random.normal(xKey!, [BATCH, SIZES[0]!]);
const y = random.randint(yKey!, [BATCH], 0, CLASSES);
// Uniform in +-1/sqrt(fan-in), zero biases (PyTorch's Linear, but with zero biases).
const init = layerKeys.map((key, i) => {
  const [fanIn, fanOut] = [SIZES[i]!, SIZES[i + 1]!];
  const bound = 1 / Math.sqrt(fanIn);
  return {
    w: random.uniform(key, [fanIn, fanOut], { minval: -bound, maxval: bound }),
    b: numpy.zeros([fanOut]),
  };
});
const initData = init.map(({ w, b }) => ({
  w: w.dataSync() as Float32Array,
  b: b.dataSync() as Float32Array,
}));
const xData = x.dataSync() as Float32Array;
const yData = y.dataSync() as Int32Array;

// --- equinox-ts ---------------------------------------------------------------------------------
type Params = { w: Tensor; b: Tensor }[];

function loss(params: Params, inputs: Tensor, labels: Tensor): Tensor {
  let h = inputs;
  params.forEach(({ w, b }, i) => {
    h = h.matmul(w).add(b);
    if (i < params.length - 1) h = nn.relu(h);
  });
  return nn.logSoftmax(h).mul(nn.oneHot(labels, CLASSES)).sum({ axis: -1 }).mean().neg();
}

const sgd = (params: Params, grads: Params): Params =>
  tree.map((p: Tensor, g: Tensor) => p.sub(g.mul(LR)), params, grads);
const eagerStep = (params: Params, inputs: Tensor, labels: Tensor): Params =>
  sgd(params, grad(loss)(params, inputs, labels));
// The jitted step consumes the old parameters (donation), so the new ones reuse their memory.
const jitStep = jit(eagerStep, { donateArgnums: 0 });

function equinoxTrainer(name: string, step: typeof eagerStep): Trainer {
  // A copy of the shared initial parameters: a donating step consumes what it is given.
  let params: Params = tree.map((t: Tensor) => t.mul(1), init);
  return {
    name,
    loss: () => loss(params, x, y).item(),
    step: () => void (params = step(params, x, y)),
    read: () => params.at(-1)!.b.dataSync() as Float32Array,
  };
}

// The jitted step with the CPU backend's scratch scopes turned off (jit replays without one when the
// backend has no `scoped`), to measure what keeping a replay's intermediates in WebAssembly memory
// gains. A benchmark-only switch: the method is taken off the prototype for the duration of a step.
function withoutScratch(step: typeof eagerStep): typeof eagerStep {
  const proto = CpuBackend.prototype as { scoped?: unknown };
  const scoped = proto.scoped;
  return (params, inputs, labels) => {
    proto.scoped = undefined;
    try {
      return step(params, inputs, labels);
    } finally {
      proto.scoped = scoped;
    }
  };
}

// --- TensorFlow.js ------------------------------------------------------------------------------
function tfTrainer(backend: TfBackend): Trainer {
  peers.useTf(backend); // tensors are made on the active backend
  const variables = initData.map(({ w, b }, i) => ({
    w: tf.variable(tf.tensor2d(w, [SIZES[i]!, SIZES[i + 1]!]), true, `${backend}-w${i}`),
    b: tf.variable(tf.tensor1d(b), true, `${backend}-b${i}`),
  }));
  const varList = variables.flatMap(({ w, b }) => [w, b]);
  const tx = tf.tensor2d(xData, [BATCH, SIZES[0]!]);
  const ty = tf.tensor1d(yData, 'int32');
  const lossOf = (): tfTypes.Scalar => {
    let h: tfTypes.Tensor = tx;
    variables.forEach(({ w, b }, i) => {
      h = tf.add(tf.matMul(h, w), b);
      if (i < variables.length - 1) h = tf.relu(h);
    });
    const picked = tf.mul(tf.logSoftmax(h), tf.oneHot(ty, CLASSES));
    return tf.neg(tf.mean(tf.sum(picked, -1)));
  };
  return {
    name: `tfjs-${backend}`,
    loss: () => {
      peers.useTf(backend);
      return tf.tidy(() => lossOf().dataSync()[0]!);
    },
    step: () => {
      peers.useTf(backend);
      tf.tidy(() => {
        const { grads } = tf.variableGrads(lossOf, varList);
        for (const v of varList) v.assign(tf.sub(v, tf.mul(grads[v.name]!, LR)));
      });
    },
    read: () => variables.at(-1)!.b.dataSync() as Float32Array,
  };
}

// --- jax-js (wasm device, set up by peers.ts); every function consumes its array arguments ------
type JaxParams = { w: JaxArray; b: JaxArray }[];

function jaxLoss(params: JaxParams, inputs: JaxArray, labels: JaxArray): JaxArray {
  let h = inputs;
  params.forEach(({ w, b }, i) => {
    h = jax.numpy.matmul(h, w).add(b);
    if (i < params.length - 1) h = jax.nn.relu(h);
  });
  const picked = jax.nn.logSoftmax(h).mul(jax.nn.oneHot(labels, CLASSES));
  return picked.sum(-1).mean().neg();
}

function jaxTrainer(): Trainer {
  const jx = jax.numpy.array(xData, { shape: [BATCH, SIZES[0]!] });
  const jy = jax.numpy.array(yData, { dtype: jax.numpy.int32 });
  let params: JaxParams = initData.map(({ w, b }, i) => ({
    w: jax.numpy.array(w, { shape: [SIZES[i]!, SIZES[i + 1]!] }),
    b: jax.numpy.array(b),
  }));
  const step = jax.jit((p: JaxParams, inputs: JaxArray, labels: JaxArray): JaxParams => {
    const grads = jax.grad(jaxLoss)(jax.tree.ref(p), inputs, labels) as JaxParams;
    return jax.tree.map((w: JaxArray, g: JaxArray) => w.sub(g.mul(LR)), p, grads);
  });
  return {
    name: 'jax-js',
    loss: () => (jaxLoss(jax.tree.ref(params), jx.ref, jy.ref).dataSync() as Float32Array)[0]!,
    step: () => void (params = step(params, jx.ref, jy.ref)),
    // dataSync takes ownership of what it reads, so it reads a new reference.
    read: () => params.at(-1)!.b.ref.dataSync() as Float32Array,
  };
}

// --- check, then measure -----------------------------------------------------------------------
const trainers = [
  equinoxTrainer('equinox-ts jit', jitStep),
  equinoxTrainer('jit, no scratch', withoutScratch(jitStep)),
  equinoxTrainer('equinox-ts eager', eagerStep),
  tfTrainer('wasm'),
  tfTrainer('cpu'),
  jaxTrainer(),
];
console.log(
  `MLP ${SIZES.join('-')}, ReLU, softmax cross-entropy, batch ${BATCH}, SGD lr ${LR}: ` +
    `equinox-ts cpu on ${threads} thread(s); ${peers.info}; node ${process.version}\n`,
);

const tensorsBefore = tf.memory().numTensors;
const timeOf = (f: () => void): number => {
  const start = performance.now();
  f();
  return performance.now() - start;
};
const runSteps = (t: Trainer, steps: number) => () => {
  for (let i = 0; i < steps; i++) t.step();
  t.read();
};
// First step (tracing, compilation), then one more as a probe of each one's speed.
const losses = trainers.map((t) => {
  const before = t.loss();
  runSteps(t, 1)();
  return [before, t.loss()] as const;
});
const probes = trainers.map((t) => timeOf(runSteps(t, 1)));
for (const [i, t] of trainers.entries()) {
  const [step0, step1] = losses[i]!;
  console.log(
    `${t.name.padEnd(17)} loss at step 0: ${step0.toFixed(6)}, after one step: ${step1.toFixed(6)}`,
  );
}
const [reference0, reference1] = losses[0]!;
for (const [i, [step0, step1]] of losses.entries()) {
  if (!(Math.abs(step0 - reference0) < 1e-4 && Math.abs(step1 - reference1) < 1e-4)) {
    throw new Error(`${trainers[i]!.name}: its losses differ from ${trainers[0]!.name}'s`);
  }
}

const fast = trainers.filter((_, i) => probes[i]! < SLOW_MS);
const fastTimings = compare(
  fast.map((t) => ({ name: t.name, run: runSteps(t, STEPS_PER_RUN) })),
  BUDGET_MS,
  1,
);
/** Milliseconds per step, with the number of steps timed; null where left out. */
const perStep = trainers.map((t, i): { ms: number; steps: number } | null => {
  const fastTiming: Timing | undefined = fastTimings[fast.indexOf(t)];
  if (fastTiming) {
    return { ms: fastTiming.medianMs / STEPS_PER_RUN, steps: fastTiming.runs * STEPS_PER_RUN };
  }
  if (probes[i]! > TOO_SLOW_MS) return null;
  const runs = [probes[i]!, ...[0, 1].map(() => timeOf(runSteps(t, 1)))];
  return { ms: runs.sort((a, b) => a - b)[1]!, steps: 3 };
});
if (tf.memory().numTensors !== tensorsBefore) {
  throw new Error(`tfjs leaked ${tf.memory().numTensors - tensorsBefore} tensors`);
}

const jitMs = perStep[0]!.ms;
const rows = trainers.map((t, i) => {
  const timing = perStep[i];
  if (!timing) return [t.name, '—', '—', '0', `left out (probe ${probes[i]!.toFixed(0)} ms)`];
  return [
    t.name,
    timing.ms.toFixed(2),
    (1000 / timing.ms).toFixed(2),
    String(timing.steps),
    i === 0 ? '1.00x' : `${(timing.ms / jitMs).toFixed(2)}x`,
  ];
});
const header = [
  'implementation',
  'ms per step',
  'steps/s',
  'steps timed',
  'equinox-ts jit speed-up',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(
  '\n' + [line(header), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n'),
);
const eagerMs = perStep[trainers.findIndex((t) => t.name === 'equinox-ts eager')]!.ms;
console.log(`\nequinox-ts jit / eager: ${(eagerMs / jitMs).toFixed(2)}x steps/s`);
