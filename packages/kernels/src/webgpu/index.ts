/**
 * The WebGPU backend of equinox-ts, a subpath of its own so that the main entry does not carry its WGSL
 * kernels: a page downloads them only when it starts WebGPU (the umbrella's `setBackend('webgpu')` and
 * `setBackend('auto')` load this subpath with a dynamic `import()`).
 *
 * @example
 * ```ts
 * import { WebGpuBackend } from '@equinox-ts/kernels/webgpu';
 *
 * // In a browser; in Node pass the `webgpu` package's GPU: WebGpuBackend.create({ gpu: create([]) }).
 * const gpu = await WebGpuBackend.create();
 * const a = gpu.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * await gpu.read(gpu.matmul(a, a)); // Float32Array [7, 10, 15, 22]
 * ```
 *
 * @packageDocumentation
 */
export { WebGpuBackend } from './backend.js';
export type { WebGpuOptions } from './device.js';
