/**
 * The backends the conformance suite runs on. A new backend joins every conformance test by adding one
 * entry here.
 */
import { CpuBackend, type Backend } from '../../src/index.js';
import type { WebGpuBackend } from '../../src/webgpu/backend.js';
import { GpuJsBackend } from '../../src/gpujs/index.js';
import { createWebGpu, webgpuWanted } from './gpu-availability.js';
import { SMALL_GEMM, setSmallGemm } from '../../src/cpu/gemm.js';
import { getEngine } from '../../src/cpu/wasm/engine.js';
import { DEFAULT_TUNING, engineStats, tuning } from '../../src/cpu/wasm/job.js';
import {
  SIMD_MIN_ELEMENTS,
  setSimdMinElements,
  simdLaunches,
} from '../../src/cpu/simd-elementwise.js';

/**
 * Float tolerance: a float32 result `got` passes against the float64 reference `want` when
 * `|got - want| <= atol + rtol * scale`, where `scale` is `|want|` for one rounding (elementwise ops) and
 * `(terms + 1) * magnitude` for a sum of `terms` products (reductions, matmul, convolution), with
 * `magnitude` the same sum taken over absolute values.
 */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export interface BackendEntry {
  readonly name: string;
  /**
   * A fresh backend instance on each call (the suite needs two to test foreign arrays). Entries run one
   * after the other in each test file, so a factory that changes process-wide settings sets all of them.
   */
  readonly create: () => Backend | Promise<Backend>;
  readonly tolerance: Tolerance;
  /**
   * For an entry that spreads matmul and convolution over threads: how many jobs have run on several
   * threads so far in this test file, so the matmul and convolution tests can check that the entry
   * really took its threaded path.
   */
  readonly parallelJobs?: () => number;
  /**
   * For an entry that runs elementwise kernels on the WebAssembly engine: how many have run there so
   * far, so the elementwise tests can check that the entry really took that path.
   */
  readonly simdLaunches?: () => number;
  /** Frees what `create` made (a GPU device) once the entry's tests are done. */
  readonly dispose?: (be: Backend) => void;
}

/**
 * The CPU backend's process-wide settings: the defaults, or every product on the engine's threaded
 * path, or every elementwise kernel that has a SIMD translation on the engine however small.
 */
function cpuSettings(path: 'default' | 'threads' | 'simd'): void {
  Object.assign(tuning, DEFAULT_TUNING, path === 'threads' ? { parallelFlops: 0 } : {});
  setSmallGemm(path === 'threads' ? 0 : SMALL_GEMM);
  setSimdMinElements(path === 'simd' ? 0 : SIMD_MIN_ELEMENTS);
}

const CPU_BACKENDS: readonly BackendEntry[] = [
  // float32 storage, float64 Math.*: one rounding per op, so close to float32 epsilon (1.2e-7).
  {
    name: 'cpu',
    create: () => {
      cpuSettings('default');
      return new CpuBackend();
    },
    tolerance: { rtol: 1e-6, atol: 1e-9 },
  },
  // The same with every matmul and convolution product (however small) run as a parallel job of the
  // WebAssembly engine on two threads. The pool is per module registry, so this entry, which runs
  // second in each file, leaves the first single-threaded.
  {
    name: 'cpu with threads',
    create: async () => {
      cpuSettings('threads');
      const be = new CpuBackend();
      await be.ready(2);
      return be;
    },
    tolerance: { rtol: 1e-6, atol: 1e-9 },
    parallelJobs: () => {
      const engine = getEngine();
      return engine === null ? 0 : engineStats(engine).parallelJobs;
    },
  },
  // The same with every elementwise kernel that has a WebAssembly SIMD translation run on the engine,
  // whatever its size (by default only results of 2048 elements and more go there).
  {
    name: 'cpu with SIMD elementwise',
    create: () => {
      cpuSettings('simd');
      return new CpuBackend();
    },
    tolerance: { rtol: 1e-6, atol: 1e-9 },
    simdLaunches,
  },
];

// WebGPU on Dawn: float32 arithmetic of the GPU (SwiftShader here), whose transcendental functions are
// accurate to a few ulps rather than correctly rounded.
const WEBGPU: BackendEntry = {
  name: 'webgpu',
  create: createWebGpu,
  tolerance: { rtol: 1e-4, atol: 1e-5 },
  dispose: (be) => (be as WebGpuBackend).device.destroy(),
};

// gpu.js in its `cpu` mode, which runs the generated kernels as JavaScript in float64 and stores
// float32: as accurate as the CPU backend or more (sums are not rounded per term). Its WebGL2 path is
// tested in Chromium later.
const GPUJS: BackendEntry = {
  name: 'gpujs',
  create: () => new GpuJsBackend({ mode: 'cpu' }),
  tolerance: { rtol: 1e-6, atol: 1e-9 },
};

export const BACKENDS: readonly BackendEntry[] = [
  ...CPU_BACKENDS,
  ...(webgpuWanted() ? [WEBGPU] : []),
  GPUJS,
];
