// Elementwise benchmark: the CPU backend's two elementwise paths (WebAssembly SIMD kernels generated per
// program, and the generated JavaScript loops it uses for small results and untranslated ops) against
// TensorFlow.js's wasm backend and jax-js on its wasm device, on the elementwise work of an MLP training
// step: a plain add, a bias add (a row broadcast), and an SGD update `p - lr * g` (one fused program for
// equinox-ts, one jitted function for jax-js). Run with `pnpm --filter @equinox-ts/bench elementwise`.
//
// It runs against the kernels' TypeScript sources (the `@equinox-ts/source` condition), because choosing
// the path is an internal switch (`setSimdMinElements`) that the published build does not export.
import type { Array as JaxArray } from '@jax-js/jax';
import { cpu, type BackendArray, type FusedProgram } from '@equinox-ts/kernels';
import {
  setSimdMinElements,
  SIMD_MIN_ELEMENTS,
} from '../../packages/kernels/src/cpu/simd-elementwise.js';
import { compare, type Case } from './harness.js';
import { loadPeers } from './peers.js';

const peers = await loadPeers();
const { tf, jax } = peers;
peers.useTf('wasm');

const LR = 0.01;
const SGD: FusedProgram = {
  steps: [
    { op: 'mul', args: [1, 2] },
    { op: 'sub', args: [0, 3] },
  ],
};

/** Random float32 values in [-1, 1). */
function randomData(size: number): Float32Array {
  return Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
}

/** A workload: its name, shapes, and one run per implementation. */
interface Workload {
  name: string;
  size: number;
  cases: Case[];
}

/** equinox-ts with the SIMD path on (its default) or off, releasing each result as jit does. */
function ours(path: 'SIMD' | 'JS loops', run: () => BackendArray): Case {
  return {
    name: `equinox-ts (${path})`,
    run: () => {
      setSimdMinElements(path === 'SIMD' ? SIMD_MIN_ELEMENTS : Infinity);
      cpu.release(run());
    },
  };
}

function tfCase(run: () => ReturnType<typeof tf.add>): Case {
  // dataSync waits for the result; tfjs-wasm computes eagerly anyway.
  return { name: 'tfjs-wasm', run: () => tf.tidy(() => void run().dataSync()) };
}

function jaxCase(run: () => JaxArray): Case {
  // jax-js is lazy: reading the result makes it compute.
  return { name: 'jax-js', run: () => void run().dataSync() };
}

function workloads(rows: number, cols: number): Workload[] {
  const size = rows * cols;
  const [a, b, bias] = [randomData(size), randomData(size), randomData(cols)];
  const ca = cpu.upload(a, [rows, cols]);
  const cb = cpu.upload(b, [rows, cols]);
  const cbias = cpu.upload(bias, [cols]);
  const clr = cpu.full([], LR, 'float32');
  const ta = tf.tensor2d(a, [rows, cols]);
  const tb = tf.tensor2d(b, [rows, cols]);
  const tbias = tf.tensor1d(bias);
  const ja = jax.numpy.array(a, { shape: [rows, cols] });
  const jb = jax.numpy.array(b, { shape: [rows, cols] });
  const jbias = jax.numpy.array(bias);
  const jaxSgd = jax.jit((p: JaxArray, g: JaxArray) => p.sub(g.mul(LR)));
  const shape = `${rows}x${cols}`;
  return [
    {
      name: `add ${shape}`,
      size,
      cases: [
        ours('SIMD', () => cpu.binary('add', ca, cb)),
        ours('JS loops', () => cpu.binary('add', ca, cb)),
        tfCase(() => tf.add(ta, tb)),
        jaxCase(() => ja.ref.add(jb.ref)),
      ],
    },
    {
      name: `bias add ${shape} + ${cols}`,
      size,
      cases: [
        ours('SIMD', () => cpu.binary('add', ca, cbias)),
        ours('JS loops', () => cpu.binary('add', ca, cbias)),
        tfCase(() => tf.add(ta, tbias)),
        jaxCase(() => ja.ref.add(jbias.ref)),
      ],
    },
    {
      name: `SGD update ${shape}`,
      size,
      cases: [
        ours('SIMD', () => cpu.fused(SGD, [ca, cb, clr])),
        ours('JS loops', () => cpu.fused(SGD, [ca, cb, clr])),
        tfCase(() => tf.sub(ta, tf.mul(tb, LR))),
        jaxCase(() => jaxSgd(ja.ref, jb.ref)),
      ],
    },
  ];
}

console.log(
  `Elementwise kernels, float32; equinox-ts cpu on one thread; ${peers.info}; node ${process.version}\n`,
);
console.log('| workload | implementation | ns per element | equinox-ts (SIMD) speed-up |');
console.log('| --- | --- | --- | --- |');
for (const workload of [...workloads(128, 512), ...workloads(784, 512)]) {
  const timings = compare(workload.cases, 3000, 5);
  const ours = timings[0]!.medianMs;
  for (const t of timings) {
    const ns = ((t.medianMs * 1e6) / workload.size).toFixed(2);
    console.log(`| ${workload.name} | ${t.name} | ${ns} | ${(t.medianMs / ours).toFixed(2)}x |`);
  }
}
setSimdMinElements(SIMD_MIN_ELEMENTS);
