// GPU backends benchmark: equinox-ts's WebGPU backend against TensorFlow.js's webgpu backend, both on
// Dawn (the `webgpu` package) in this process, and equinox-ts's gpu.js backend (gpu.js `cpu` mode: its
// JavaScript translation of the kernels, since Node has no WebGL) against TensorFlow.js's plain-JS cpu
// backend; equinox-ts's CPU backend runs as the reference every result is checked against.
// Run with `pnpm --filter @equinox-ts/bench gpu` (about a minute on a 2-core machine with SwiftShader).
//
// Inputs are uploaded once, before timing; every timed run ends with an awaited read of its result to the
// host, so a WebGPU time covers submitting the kernels, the GPU's work and the copy back. Without a GPU,
// Dawn runs on a software Vulkan driver (Chromium's SwiftShader, used when VK_ICD_FILENAMES is unset and
// it is installed): figures from it say how SwiftShader runs these shaders on this CPU, not how a GPU would.
import { existsSync } from 'node:fs';
import { cpu, type Backend, type BackendArray } from '@equinox-ts/kernels';
import { GpuJsBackend } from '@equinox-ts/kernels/gpujs';
import { WebGpuBackend } from '@equinox-ts/kernels/webgpu';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { create, globals } from 'webgpu';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}

// Dawn as the browser's WebGPU: tfjs-backend-webgpu registers itself on import only if `navigator.gpu`
// exists (Node 20 has no `navigator`), so it is set before tfjs is imported.
Object.assign(globalThis, globals);
const gpu = create([]);
Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-webgpu');

/** One implementation of a workload: returns its result, read back to the host. */
interface Case {
  name: string;
  run: () => Promise<Float32Array>;
  /** Puts a result in the reference's layout for the check (outside the timed region). */
  layout?: (result: Float32Array) => Promise<Float32Array>;
}

interface Workload {
  name: string;
  flops: number;
  /** Timing budget in ms, shared by all cases. At least 3 rounds run, whatever it is. */
  budget: number;
  cases: Case[];
}

/** Frees the current workload's inputs, on every backend. */
let disposers: (() => void)[] = [];

function randoms(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

// --- the implementations --------------------------------------------------------------------------
const adapterInfo = (await gpu.requestAdapter())?.info;
const webgpu = await WebGpuBackend.create({ gpu });
const gpujs = new GpuJsBackend({ mode: 'cpu' });
const threads = await cpu.ready();
tf.env().set('WEBGPU_CPU_FORWARD', false); // small ops would otherwise run on tfjs's CPU kernels
for (const name of ['cpu', 'webgpu']) {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs ${name} backend did not start`);
}

/** A case per equinox-ts backend: `op` on inputs uploaded once, then each run computes and reads. */
function oursCases(
  inputs: Float32Array[],
  shapes: number[][],
  op: (b: Backend, xs: BackendArray[]) => BackendArray,
): Case[] {
  const backends: [string, Backend][] = [
    ['equinox-ts cpu', cpu],
    ['equinox-ts webgpu', webgpu],
    ['equinox-ts gpujs (cpu mode)', gpujs],
  ];
  return backends.map(([name, backend]) => {
    const xs = inputs.map((data, i) => backend.upload(data, shapes[i]!));
    disposers.push(() => xs.forEach((x) => backend.release(x)));
    return {
      name,
      run: async () => {
        const y = op(backend, xs);
        const data = (await backend.read(y)) as Float32Array;
        backend.release(y);
        return data;
      },
    };
  });
}

/** A case per tfjs backend, on tensors made there from `inputs`. */
function tfCases(
  inputs: () => tfTypes.Tensor[],
  op: (xs: tfTypes.Tensor[]) => tfTypes.Tensor,
  layout?: Case['layout'],
): Case[] {
  return ['webgpu', 'cpu'].map((backend) => {
    void tf.setBackend(backend);
    const xs = tf.tidy(inputs);
    disposers.push(() => tf.dispose(xs));
    return {
      name: `tfjs-${backend}`,
      layout,
      run: async () => {
        await tf.setBackend(backend);
        const y = op(xs);
        const data = (await y.data()) as Float32Array;
        y.dispose();
        return data;
      },
    };
  });
}

function matmul(n: number, budget: number): Workload {
  const a = randoms(n * n, 1);
  const b = randoms(n * n, 2);
  const shapes = [
    [n, n],
    [n, n],
  ];
  return {
    name: `${n}x${n} @ ${n}x${n}`,
    flops: 2 * n ** 3,
    budget,
    cases: [
      ...oursCases([a, b], shapes, (backend, [x, y]) => backend.matmul(x!, y!)),
      ...tfCases(
        () => [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])],
        ([x, y]) => tf.matMul(x!, y!),
      ),
    ],
  };
}

/** conv2d, SAME, stride 1: ours channel-first, tfjs NHWC (its inputs transposed before timing). */
function conv(n: number, cIn: number, size: number, cOut: number, budget: number): Workload {
  const k = 3;
  const x = randoms(n * cIn * size * size, 3);
  const w = randoms(cOut * cIn * k * k, 4);
  const shapes = [
    [n, cIn, size, size],
    [cOut, cIn, k, k],
  ];
  return {
    name: `conv2d ${n}x${cIn}x${size}x${size}, ${cOut} filters 3x3`,
    flops: 2 * n * cOut * size * size * cIn * k * k,
    budget,
    cases: [
      ...oursCases([x, w], shapes, (backend, [xs, ws]) =>
        backend.conv(xs!, ws!, { padding: 'SAME' }),
      ),
      ...tfCases(
        () => [
          tf.transpose(tf.tensor4d(x, [n, cIn, size, size]), [0, 2, 3, 1]),
          tf.transpose(tf.tensor4d(w, [cOut, cIn, k, k]), [2, 3, 1, 0]),
        ],
        ([xs, ws]) => tf.conv2d(xs as tfTypes.Tensor4D, ws as tfTypes.Tensor4D, 1, 'same'),
        async (nhwc) => {
          const nchw = tf.tidy(() =>
            tf.transpose(tf.tensor4d(nhwc, [n, size, size, cOut]), [0, 3, 1, 2]),
          );
          const data = (await nchw.data()) as Float32Array;
          nchw.dispose();
          return data;
        },
      ),
    ],
  };
}

// --- timing ---------------------------------------------------------------------------------------
/**
 * Checks every case's first result against the first case's, then times the cases in interleaved rounds
 * (one run of each per round, for `budget` ms and at least 3 rounds). Returns each case's median ms.
 */
async function measure(w: Workload): Promise<number[]> {
  const reference = await w.cases[0]!.run();
  for (const c of w.cases.slice(1)) {
    const result = await c.run(); // also the warm-up: shader compilation, first uploads
    const out = c.layout ? await c.layout(result) : result;
    let err = 0;
    for (let i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i]! - reference[i]!));
    if (out.length !== reference.length || !(err < 1e-3)) {
      throw new Error(`${w.name}: ${c.name} differs from ${w.cases[0]!.name} (max |diff| ${err})`);
    }
  }
  const samples = w.cases.map((): number[] => []);
  const end = performance.now() + w.budget;
  while (samples[0]!.length < 3 || performance.now() < end) {
    for (const [k, c] of w.cases.entries()) {
      const start = performance.now();
      await c.run();
      samples[k]!.push(performance.now() - start);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]!);
}

const WORKLOADS = [
  () => matmul(128, 3000),
  () => matmul(256, 6000),
  () => matmul(512, 10000),
  () => conv(8, 16, 16, 32, 6000),
];
/** Each peer's ratio is taken against the equinox-ts backend it pairs with. */
const PAIRS: Record<string, string> = {
  'tfjs-webgpu': 'equinox-ts webgpu',
  'tfjs-cpu': 'equinox-ts gpujs (cpu mode)',
};

const info = adapterInfo
  ? `${adapterInfo.vendor} ${adapterInfo.architecture} ${adapterInfo.description}`
  : '?';
console.log(
  `WebGPU adapter (Dawn): ${info.trim()}; VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? ''}`,
);
console.log(
  `equinox-ts cpu: ${threads} thread(s); tfjs ${tf.version_core}; node ${process.version}`,
);
console.log('Each run ends with an awaited read of its result (included in the time).\n');

const started = performance.now();
const rows: string[][] = [];
for (const make of WORKLOADS) {
  const w = make();
  const ms = await measure(w);
  const byName = new Map(w.cases.map((c, k) => [c.name, ms[k]!]));
  w.cases.forEach((c, k) => {
    const pair = PAIRS[c.name];
    const ratio = pair
      ? `${(ms[k]! / byName.get(pair)!).toFixed(2)}x vs ${pair.replace('equinox-ts ', '')}`
      : '';
    rows.push([w.name, c.name, ms[k]!.toFixed(2), (w.flops / ms[k]! / 1e6).toFixed(3), ratio]);
  });
  disposers.forEach((dispose) => dispose());
  disposers = [];
  console.log(`${w.name}: every result matches equinox-ts cpu (max |diff| < 1e-3)`);
}
const header = ['workload', 'implementation', 'ms (median)', 'GFLOP/s', 'equinox-ts speed-up'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log([line(header), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n'));
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s of measuring`);
