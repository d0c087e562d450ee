/**
 * The backends the conformance suite runs on in the browser, in place of test/conformance/backends.ts
 * (run.ts swaps the import when it bundles). Only the browser code paths are here: WebGPU through
 * `navigator.gpu`, gpu.js on WebGL2. The CPU backend is the same code as in Node, and the references are
 * float64 values computed by the tests themselves, so nothing is lost by leaving it out. A backend that
 * cannot start throws in `create`, which fails every test of its entry.
 */
import { GPU } from 'gpu.js';
import { GpuJsBackend } from '../../src/gpujs/index.js';
import { WebGpuBackend } from '../../src/webgpu/backend.js';
import type { BackendEntry } from '../conformance/backends.js';

export type { BackendEntry, Tolerance } from '../conformance/backends.js';

// The same float32 GPU arithmetic as the Node entry on Dawn (SwiftShader here too), so the same
// tolerance.
const WEBGPU: BackendEntry = {
  name: 'webgpu (browser)',
  create: async () => {
    const { navigator } = globalThis as { navigator?: { gpu?: unknown } };
    if (!navigator?.gpu) throw new Error('navigator.gpu is missing: no WebGPU in this browser');
    return WebGpuBackend.create();
  },
  tolerance: { rtol: 1e-4, atol: 1e-5 },
  // Tolerates a backend that never started, whose tests have failed already.
  dispose: (be) => (be as WebGpuBackend | undefined)?.device.destroy(),
};

// gpu.js on WebGL2: float32 (highp) shader arithmetic, as WebGPU's, so the same tolerance. GLSL ES 3.00
// bounds +, -, * (correctly rounded), division (2.5 ulps), exp ((3 + 2|x|) ulps, under 50 on the
// suite's domains) and log (3 ulps), all far inside rtol 1e-4 (about 800 ulps); sums are rounded per
// term, which the `(terms + 1) * magnitude` scale covers. It leaves sin and cos without a bound (Vulkan
// drivers promise 2^-11 absolute on [-pi, pi], more than atol), so the backend computes them itself
// (src/gpujs/glsl-math.ts), and this tolerance does not hide a driver's: such results fail.
const GPUJS_WEBGL2: BackendEntry = {
  name: 'gpujs webgl2',
  create: () => {
    // Checked first: a browser without WebGL2 must fail these tests, not run them in another mode.
    if (!GPU.isWebGL2Supported) throw new Error('gpu.js finds no WebGL2 in this browser');
    return new GpuJsBackend({ mode: 'webgl2' });
  },
  tolerance: { rtol: 1e-4, atol: 1e-5 },
};

/** Set by the runner's bundler: a comma-separated list of backend name prefixes to run. */
declare const BROWSER_BACKENDS: string;
const wanted = BROWSER_BACKENDS.split(',').map((name) => name.trim());

export const BACKENDS: readonly BackendEntry[] = [WEBGPU, GPUJS_WEBGL2].filter((entry) =>
  wanted.some((name) => entry.name.startsWith(name)),
);
