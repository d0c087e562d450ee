// Matmul benchmark: equinox-ts's CPU backend (WebAssembly SIMD + worker threads) against TensorFlow.js
// (wasm and cpu backends) and jax-js (wasm), on the same inputs in the same run.
// Run with `pnpm --filter @equinox-ts/bench exec tsx src/matmul.ts`.
import { cpu } from '@equinox-ts/kernels';
import { compare, type Case } from './harness.js';
import { loadPeers } from './peers.js';

interface Workload {
  name: string;
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Timing budget in ms (shared by all implementations). */
  budget: number;
  /** Runs per timed sample. */
  per: number;
  /** Leave out the slow plain-JS tfjs cpu backend. */
  skipTfCpu?: boolean;
}

const WORKLOADS: Workload[] = [
  {
    name: '1024x1024 @ 1024x1024',
    batch: 1,
    m: 1024,
    n: 1024,
    k: 1024,
    budget: 8000,
    per: 2,
    skipTfCpu: true,
  },
  { name: '256x256 @ 256x256', batch: 1, m: 256, n: 256, k: 256, budget: 3000, per: 10 },
  { name: '64 x (128x128 @ 128x128)', batch: 64, m: 128, n: 128, k: 128, budget: 3000, per: 5 },
  { name: '10000 x (4x4 @ 4x4)', batch: 10000, m: 4, n: 4, k: 4, budget: 3000, per: 10 },
];

function filled(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

const peers = await loadPeers();
const { tf, jax } = peers;
const threads = await cpu.ready();
console.log(`equinox-ts cpu: ${threads} thread(s); peers: ${peers.info}`);
console.log(`node ${process.version}\n`);

const rows: string[] = [];
for (const w of WORKLOADS) {
  const { batch, m, n, k } = w;
  const aShape = batch === 1 ? [m, k] : [batch, m, k];
  const bShape = batch === 1 ? [k, n] : [batch, k, n];
  const aData = filled(batch * m * k, 1);
  const bData = filled(batch * k * n, 2);
  const flops = 2 * batch * m * n * k;

  const ours = { a: cpu.upload(aData, aShape), b: cpu.upload(bData, bShape) };
  peers.useTf('wasm');
  const tw = { a: tf.tensor(aData, aShape), b: tf.tensor(bData, bShape) };
  peers.useTf('cpu');
  const tc = { a: tf.tensor(aData, aShape), b: tf.tensor(bData, bShape) };
  const ja = jax.numpy.array(aData, { shape: aShape });
  const jb = jax.numpy.array(bData, { shape: bShape });

  const runOurs = () => cpu.readSync(cpu.matmul(ours.a, ours.b)) as Float32Array;
  const runTf = (backend: 'wasm' | 'cpu', t: typeof tw) => () => {
    peers.useTf(backend);
    const y = tf.matMul(t.a, t.b);
    const data = y.dataSync() as Float32Array;
    y.dispose();
    return data;
  };
  const runJax = () => {
    const y = jax.numpy.matmul(ja.ref, jb.ref);
    return y.dataSync() as Float32Array;
  };

  // Same answer as a peer, before timing anything.
  const mine = runOurs();
  const theirs = runTf('wasm', tw)();
  const fromJax = runJax();
  let maxErr = 0;
  let maxJaxErr = 0;
  for (let i = 0; i < mine.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(mine[i]! - theirs[i]!));
    maxJaxErr = Math.max(maxJaxErr, Math.abs(mine[i]! - fromJax[i]!));
  }
  if (!(maxErr < 1e-3 && maxJaxErr < 1e-3)) {
    throw new Error(`${w.name}: results differ (tfjs wasm ${maxErr}, jax-js ${maxJaxErr})`);
  }

  const cases: Case[] = [
    { name: 'equinox-ts', run: runOurs },
    { name: 'tfjs-wasm', run: runTf('wasm', tw) },
    { name: 'jax-js', run: runJax },
  ];
  if (!w.skipTfCpu) cases.push({ name: 'tfjs-cpu', run: runTf('cpu', tc) });
  const timings = compare(cases, w.budget, w.per);
  const gflops = (ms: number) => flops / ms / 1e6;
  const ourMs = timings[0]!.medianMs;
  for (const t of timings) {
    const ratio = t === timings[0] ? '' : `${(t.medianMs / ourMs).toFixed(2)}x`;
    rows.push(
      `| ${w.name} | ${t.name} | ${t.medianMs.toFixed(3)} | ${gflops(t.medianMs).toFixed(1)} | ${ratio} |`,
    );
  }
  console.log(
    `${w.name}: checked against tfjs-wasm (max |diff| ${maxErr.toExponential(1)}) and jax-js (${maxJaxErr.toExponential(1)})`,
  );

  for (const t of [tw, tc]) {
    t.a.dispose();
    t.b.dispose();
  }
  ja.dispose();
  jb.dispose();
}

console.log('\n| workload | implementation | ms (median) | GFLOP/s | equinox-ts speedup |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
