/** Starting the backend the command line asked for, in Node. */
import { setBackend } from 'equinox-ts';
import type { BackendChoice } from './args.js';

/**
 * The `webgpu` package's entry point (Dawn), loaded only when WebGPU is wanted: it is a native module,
 * and a CPU run should not pay for loading it.
 */
async function nodeGpu(): Promise<GPU> {
  const { create } = await import('webgpu');
  return create([]);
}

/**
 * Makes `choice` the backend new tensors live on and returns it. `'auto'` tries WebGPU (through the
 * `webgpu` package), then gpu.js on WebGL2, then the CPU, and takes the first that starts. Rejects with
 * the reason when a named backend cannot start (no GPU adapter, gpu.js missing). The CPU backend
 * starts its worker threads (one per core) for matmul and convolution.
 */
export async function selectBackend(choice: BackendChoice): ReturnType<typeof setBackend> {
  if (choice === 'webgpu') return setBackend('webgpu', { gpu: await nodeGpu() });
  if (choice === 'auto') {
    const gpu = await nodeGpu().catch(() => undefined);
    return setBackend('auto', gpu === undefined ? {} : { gpu });
  }
  return setBackend(choice);
}
