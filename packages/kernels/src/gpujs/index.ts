/**
 * The gpu.js backend of equinox-ts, a subpath of its own so that the main entry never loads gpu.js.
 *
 * @example
 * ```ts
 * import { GpuJsBackend } from '@equinox-ts/kernels/gpujs';
 *
 * const gpujs = new GpuJsBackend({ mode: 'cpu' });
 * const a = gpujs.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * await gpujs.read(gpujs.matmul(a, a)); // Float32Array [7, 10, 15, 22]
 * ```
 *
 * @packageDocumentation
 */
export { GpuJsBackend, type GpuJsOptions } from './backend.js';
export type { GpuJsMode } from './adapter.js';
