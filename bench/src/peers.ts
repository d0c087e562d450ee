/**
 * The peer libraries every kernel benchmark compares against, set up once: TensorFlow.js with its
 * wasm backend (SIMD, one thread in Node) and its plain-JS cpu backend, and jax-js on its wasm device.
 *
 * ```ts
 * const peers = await loadPeers();
 * peers.useTf('wasm'); // then tf.* ops run on the wasm backend
 * const y = peers.tf.matMul(a, b);
 * ```
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as jax from '@jax-js/jax';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

/** tfjs backends the benchmarks use. */
export type TfBackend = 'wasm' | 'cpu';

/** The ready peers. */
export interface Peers {
  /** TensorFlow.js core; switch its backend with {@link Peers.useTf}. */
  tf: typeof tf;
  /**
   * Makes `backend` tfjs's active backend. Both are initialised, so the switch is synchronous; make
   * each backend's tensors while it is active, or tfjs copies them across on use.
   */
  useTf(backend: TfBackend): void;
  /** jax-js, with its default device set to `'wasm'`. */
  jax: typeof jax;
  /** What the peers run with, for the benchmark's report. */
  info: string;
}

let loaded: Promise<Peers> | undefined;

/** Initialises the peers (once; later calls share the first result). */
export function loadPeers(): Promise<Peers> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Peers> {
  // tfjs-backend-wasm finds its .wasm files next to its entry point, given as a path with a slash.
  const require = createRequire(import.meta.url);
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu backend did not start');
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend did not start');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error('jax-js wasm device did not start');
  jax.defaultDevice('wasm');
  const useTf = (backend: TfBackend) => {
    void tf.setBackend(backend);
    if (tf.getBackend() !== backend)
      throw new Error(`tfjs did not switch to ${backend} synchronously`);
  };
  return {
    tf,
    useTf,
    jax,
    info: `tfjs ${tf.version_core} (wasm: SIMD ${simd ? 'on' : 'off'}, 1 thread), jax-js wasm`,
  };
}
