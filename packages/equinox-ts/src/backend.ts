/**
 * Choosing where tensors compute: one call, by name or automatically. Backends are started once and
 * kept, so switching back and forth reuses them (and the tensors made on each stay valid); a WebGPU
 * backend whose device was lost is replaced by a new one on the next call.
 */
import { getDefaultBackend, setDefaultBackend } from '@equinox-ts/autodiff';
import { type Backend, cpu } from '@equinox-ts/kernels';
import type { GpuJsBackend } from '@equinox-ts/kernels/gpujs';
import type { WebGpuOptions } from '@equinox-ts/kernels/webgpu';

/**
 * The backends equinox-ts ships: `'cpu'` (WebAssembly, everywhere), `'webgpu'` (browsers with WebGPU; Node
 * with the `webgpu` package) and `'gpujs'` (WebGL2 in browsers through gpu.js; its plain-JavaScript mode in
 * Node).
 *
 * @example
 * ```ts
 * const name: BackendName = 'cpu';
 * ```
 */
export type BackendName = 'cpu' | 'webgpu' | 'gpujs';

/**
 * Options of {@link setBackend} and {@link availableBackends}.
 *
 * @example
 * ```ts
 * // In Node: import { create } from 'webgpu'; await setBackend('webgpu', { gpu: create([]) });
 * const options: SetBackendOptions = { powerPreference: 'high-performance' };
 * ```
 */
export interface SetBackendOptions {
  /** WebGPU's entry point. Default `navigator.gpu`; in Node pass the `webgpu` package's `create([])`. */
  gpu?: WebGpuOptions['gpu'];
  /** Which GPU adapter WebGPU asks for. Default the platform's choice. */
  powerPreference?: WebGpuOptions['powerPreference'];
}

const NAMES: readonly BackendName[] = ['webgpu', 'gpujs', 'cpu'];
const started = new Map<BackendName, Backend>();

function isUsable(backend: Backend | undefined): backend is Backend {
  return backend !== undefined && backend.isLost !== true;
}

async function start(name: BackendName, options: SetBackendOptions): Promise<Backend> {
  const kept = started.get(name);
  if (isUsable(kept)) return kept;
  let backend: Backend;
  if (name === 'cpu') {
    // Matmul and convolution spread over worker threads once they are started (one pool per page or
    // process; where threads are unavailable, they run on the calling thread).
    await cpu.ready();
    backend = cpu;
  } else if (name === 'webgpu') backend = await startWebGpu(options);
  else backend = await startGpuJs();
  started.set(name, backend);
  return backend;
}

/**
 * The WebGPU backend's code is loaded only when it is started, as jax-js does: a page on the CPU or gpu.js
 * never downloads its WGSL kernels.
 */
async function startWebGpu(options: SetBackendOptions): Promise<Backend> {
  const { WebGpuBackend } = await import('@equinox-ts/kernels/webgpu');
  return WebGpuBackend.create(options);
}

/** gpu.js is loaded only when chosen, so that bundles that never choose it leave it out. */
async function startGpuJs(): Promise<Backend> {
  try {
    const { GpuJsBackend } = await import('@equinox-ts/kernels/gpujs');
    return new GpuJsBackend();
  } catch (error) {
    throw new Error(
      `setBackend: the 'gpujs' backend could not start (is the gpu.js package installed? npm install ` +
        `gpu.js): ${String(error)}`,
      { cause: error },
    );
  }
}

/** True where WebGL2 may exist: a page, or a worker with OffscreenCanvas. */
const mayHaveWebGL2 = (): boolean => 'document' in globalThis || 'OffscreenCanvas' in globalThis;

/**
 * `name`, started, or undefined where it cannot start here, or where it would only be slower than the
 * CPU backend (gpu.js off WebGL2 runs as plain JavaScript).
 */
async function tryStart(
  name: BackendName,
  options: SetBackendOptions,
): Promise<Backend | undefined> {
  if (name === 'gpujs' && !mayHaveWebGL2()) return undefined;
  try {
    const backend = await start(name, options);
    return name === 'gpujs' && (backend as GpuJsBackend).mode !== 'webgl2' ? undefined : backend;
  } catch {
    return undefined;
  }
}

/**
 * Makes new tensors live on the backend `choice` names, starting it if needed, and returns it. `'auto'`
 * (the default) picks the best that starts here: WebGPU, then gpu.js on WebGL2 in a browser, then the
 * CPU. Tensors made before stay where they are; move them with `devicePut`. Starting the CPU backend
 * starts its worker threads (as many as the machine has cores), which matmul and convolution share.
 *
 * Rejects with an error naming the backend and why it cannot start (no WebGPU, no adapter, gpu.js not
 * installed). After a WebGPU device is lost, call it again: a new device replaces the lost one, and the
 * model is reloaded from its last checkpoint (tensors on the lost device are gone).
 *
 * @example
 * ```ts
 * const backend = await setBackend('cpu');
 * backend.name; // 'cpu'
 * jnp.ones([2]).backend === backend; // true
 * ```
 */
export async function setBackend(
  choice: BackendName | 'auto' = 'auto',
  options: SetBackendOptions = {},
): Promise<Backend> {
  if (choice !== 'auto' && !NAMES.includes(choice)) {
    throw new TypeError(
      `setBackend: argument \`choice\` must be 'auto', ${NAMES.map((n) => `'${n}'`).join(', ')}; ` +
        `found ${typeof choice === 'string' ? `'${choice}'` : String(choice)}`,
    );
  }
  let backend: Backend | undefined;
  if (choice !== 'auto') backend = await start(choice, options);
  for (const name of NAMES) backend ??= await tryStart(name, options);
  // The CPU backend always starts, so the loop ends with one.
  setDefaultBackend(backend!);
  return backend!;
}

/**
 * The backend new tensors are made on (the CPU backend until {@link setBackend} chose another).
 *
 * @example
 * ```ts
 * getBackend().name; // 'cpu'
 * ```
 */
export function getBackend(): Backend {
  return getDefaultBackend();
}

/**
 * The names of the backends that start here, best first (the order `setBackend('auto')` tries them).
 * Starting a backend to check it keeps it for later {@link setBackend} calls. gpu.js counts only where it
 * runs on WebGL2: its Node mode is plain JavaScript, slower than the CPU backend.
 *
 * @example
 * ```ts
 * (await availableBackends()).includes('cpu'); // true
 * ```
 */
export async function availableBackends(options: SetBackendOptions = {}): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of NAMES) if (await tryStart(name, options)) found.push(name);
  return found;
}
