// Convolution benchmark: conv2d forward and its two backward kernels (gradient wrt input, wrt filter) on a
// training-sized layer (batch 32, 14x14, 32 -> 64 channels, 3x3, SAME), ours against TensorFlow.js (wasm
// and cpu backends) and jax-js (wasm), in the same run. GFLOP/s counts 2*N*C_out*H_out*W_out*C_in*KH*KW
// for each of the three kernels. Run with `pnpm --filter @equinox-ts/bench exec tsx src/conv.ts`.
//
// TensorFlow.js is NHWC: its inputs are transposed once, outside the timed region, and its kernels are
// called directly on each backend (no engine bookkeeping, no backend switching). tfjs-backend-wasm has no
// Conv2DBackpropFilter, so its filter gradient runs as Conv3DBackpropFilterV2 with a depth of 1. jax-js
// is timed through `vjp`: its pullbacks are the convolutions its transpose rule emits.
import { cpu, type BackendArray } from '@equinox-ts/kernels';
import type { Array as JaxArray } from '@jax-js/jax';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { compare, type Case, type Timing } from './harness.js';
import { loadPeers, type TfBackend } from './peers.js';

const [N, C_IN, H, W, C_OUT, K] = [32, 32, 14, 14, 64, 3];
const FLOPS = 2 * N * C_OUT * H * W * C_IN * K * K; // SAME, stride 1: output is H x W
const TARGETS = { forward: 40, 'backward input': 25, 'backward filter': 25 }; // GFLOP/s, from the issue

function randoms(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** `data` of row-major `shape`, with its axes permuted by `perm` (for NCHW -> NHWC and friends). */
function permute(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]!);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += index[d]! * strides[perm[d]!]!;
    out[o] = data[src]!;
    for (let d = perm.length - 1; d >= 0 && ++index[d]! === outShape[d]; d--) index[d] = 0;
  }
  return out;
}

// One set of values (channel-first), shared by every implementation.
const xData = randoms(N * C_IN * H * W, 1);
const wData = randoms(C_OUT * C_IN * K * K, 2);
const dyData = randoms(N * C_OUT * H * W, 3);

// --- ours ---------------------------------------------------------------------------------------
const threads = await cpu.ready();
const options = { padding: 'SAME' as const };
const x = cpu.upload(xData, [N, C_IN, H, W]);
const w = cpu.upload(wData, [C_OUT, C_IN, K, K]);
const dy = cpu.upload(dyData, [N, C_OUT, H, W]);
const ours = {
  forward: () => cpu.conv(x, w, options),
  'backward input': () => cpu.convBackwardInput(dy, w, x.shape, options),
  'backward filter': () => cpu.convBackwardFilter(x, dy, w.shape, options),
};

// --- TensorFlow.js ---------------------------------------------------------------------------------
const peers = await loadPeers();
const { tf } = peers;
const xNhwc = permute(xData, [N, C_IN, H, W], [0, 2, 3, 1]);
const dyNhwc = permute(dyData, [N, C_OUT, H, W], [0, 2, 3, 1]);
const wHwio = permute(wData, [C_OUT, C_IN, K, K], [2, 3, 1, 0]);

function tfjsCases(backendName: TfBackend): Record<keyof typeof ours, () => void> {
  peers.useTf(backendName); // tensors are made on the active backend
  const backend = tf.backend();
  const tx = tf.tensor4d(xNhwc, [N, H, W, C_IN]);
  const tdy = tf.tensor4d(dyNhwc, [N, H, W, C_OUT]);
  const tw = tf.tensor4d(wHwio, [K, K, C_IN, C_OUT]);
  const run = (kernel: string, inputs: tfTypes.NamedTensorMap, attrs: object) => {
    const { kernelFunc } = tf.getKernel(kernel, backendName);
    return () => {
      const out = kernelFunc({
        inputs,
        backend,
        attrs: attrs as tfTypes.NamedAttrMap,
      }) as tfTypes.TensorInfo;
      backend.disposeData(out.dataId);
    };
  };
  const conv2d = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  return {
    forward: run('Conv2D', { x: tx, filter: tw }, conv2d),
    'backward input': run(
      'Conv2DBackpropInput',
      { dy: tdy, filter: tw },
      { ...conv2d, inputShape: [N, H, W, C_IN] },
    ),
    'backward filter':
      backendName === 'cpu'
        ? run(
            'Conv2DBackpropFilter',
            { x: tx, dy: tdy },
            { ...conv2d, filterShape: [K, K, C_IN, C_OUT] },
          )
        : run(
            'Conv3DBackpropFilterV2',
            {
              x: tf.tensor5d(xNhwc, [N, 1, H, W, C_IN]),
              dy: tf.tensor5d(dyNhwc, [N, 1, H, W, C_OUT]),
            },
            { strides: 1, pad: 'same', filterShape: [1, K, K, C_IN, C_OUT] },
          ),
  };
}
const tfWasm = tfjsCases('wasm');
const tfCpu = tfjsCases('cpu');

// --- jax-js (wasm device, set up by peers.ts) ---------------------------------------------------
const { lax, numpy: np, vjp } = peers.jax;
const jx = np.array(xData).reshape([N, C_IN, H, W]);
const jw = np.array(wData).reshape([C_OUT, C_IN, K, K]);
const jdy = np.array(dyData).reshape([N, C_OUT, H, W]);
const jaxConv = (a: JaxArray, b: JaxArray) => lax.conv(a, b, [1, 1], 'SAME');
const [y1, pullInput] = vjp((a: JaxArray) => jaxConv(a, jw.ref), [jx.ref]);
const [y2, pullFilter] = vjp((b: JaxArray) => jaxConv(jx.ref, b), [jw.ref]);
y1.dispose();
y2.dispose();
// dataSync realises jax-js's lazy result and takes ownership of it.
const jax = {
  forward: () => void jaxConv(jx.ref, jw.ref).dataSync(),
  'backward input': () => void pullInput(jdy.ref)[0].dataSync(),
  'backward filter': () => void pullFilter(jdy.ref)[0].dataSync(),
};

// --- measure --------------------------------------------------------------------------------------
const check = (a: BackendArray) => a.shape.length; // keep results alive as values, not dead code
console.log(
  `conv2d [${N}, ${C_IN}, ${H}, ${W}] * [${C_OUT}, ${C_IN}, ${K}, ${K}], SAME: ` +
    `${(FLOPS / 1e6).toFixed(1)} MFLOP per kernel; ours on ${threads} thread(s); ${peers.info}\n`,
);
/**
 * Times the cases: a probe run or two each (they double as a warm-up), then the fast ones (under 50 ms)
 * against each other with the harness, and each slow one alone: the median of 3 runs, or the probe
 * itself past 2 s (tfjs-cpu's filter gradient takes tens of seconds).
 */
function measure(cases: Case[]): Timing[] {
  const once = (c: Case) => {
    const start = performance.now();
    c.run();
    return performance.now() - start;
  };
  // A second probe unless the first was slow: first runs include compilation and buffer growth.
  const probes = cases.map((c) => {
    const first = once(c);
    return first > 2000 ? first : once(c);
  });
  const fast = cases.filter((_, i) => probes[i]! < 50);
  const fastTimings = compare(fast, 3000, 3);
  return cases.map((c, i) => {
    if (probes[i]! < 50) return fastTimings[fast.indexOf(c)]!;
    if (probes[i]! > 2000) return { name: c.name, medianMs: probes[i]!, runs: 1 };
    const runs = [0, 1, 2].map(() => once(c));
    return { name: c.name, medianMs: runs.sort((a, b) => a - b)[1]!, runs: 3 };
  });
}

const rows: string[][] = [];
for (const op of Object.keys(ours) as (keyof typeof ours)[]) {
  const timings = measure([
    { name: 'equinox-ts', run: () => void check(ours[op]()) },
    { name: 'tfjs-wasm', run: tfWasm[op] },
    { name: 'tfjs-cpu', run: tfCpu[op] },
    { name: 'jax-js', run: jax[op] },
  ]);
  const ourMs = timings[0]!.medianMs;
  for (const t of timings) {
    const gflops = FLOPS / (t.medianMs * 1e6);
    rows.push([
      op,
      t.name,
      t.medianMs.toFixed(2),
      gflops.toFixed(2),
      String(t.runs),
      t === timings[0] ? `target ${TARGETS[op]}` : `${(t.medianMs / ourMs).toFixed(2)}x`,
    ]);
  }
}
const header = ['kernel', 'implementation', 'ms', 'GFLOP/s', 'runs', 'ours vs this (speed-up)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log([line(header), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n'));
