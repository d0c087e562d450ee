/**
 * The backends the conformance suite runs on. A new backend joins every conformance test by adding one
 * entry here.
 */
import { CpuBackend, type Backend } from '../../src/index.js';

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
  /** A fresh backend instance on each call (the suite needs two to test foreign arrays). */
  readonly create: () => Backend | Promise<Backend>;
  readonly tolerance: Tolerance;
}

export const BACKENDS: readonly BackendEntry[] = [
  // float32 storage, float64 Math.*: one rounding per op, so close to float32 epsilon (1.2e-7).
  { name: 'cpu', create: () => new CpuBackend(), tolerance: { rtol: 1e-6, atol: 1e-9 } },
  // The same with matmul and convolution spread over worker threads (the pool is per module
  // registry, so this entry, which runs second in each file, leaves the first single-threaded).
  {
    name: 'cpu with threads',
    create: async () => {
      const be = new CpuBackend();
      await be.ready(2);
      return be;
    },
    tolerance: { rtol: 1e-6, atol: 1e-9 },
  },
];
