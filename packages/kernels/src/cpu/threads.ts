/**
 * The worker-thread pool behind gemm.ts: workers that share the engine's WebAssembly memory and take
 * GEMM tasks alongside the calling thread. Node uses `worker_threads`; browsers use Web Workers when the
 * page is cross-origin isolated. Anywhere else everything runs on the calling thread.
 */
import { getEngine, type Engine } from './wasm/engine.js';
import { FUNCTION_NAMES } from './wasm/kernel.js';
import { CTL_TASKS, MAX_THREADS, SCRATCH_BASE, SCRATCH_BYTES } from './wasm/layout.js';
import {
  importNode,
  isNode,
  type NodeOs,
  type NodeWorker,
  type NodeWorkerThreads,
} from './wasm/platform.js';
import { WORKER_SOURCE, type WorkerInit } from './wasm/worker-source.js';

/** What the pool needs of a worker, in Node or a browser. */
interface PoolWorker {
  /** Resolves once the worker has instantiated the module, rejects if it fails to start. */
  ready: Promise<void>;
  terminate(): void;
}

let started: Promise<number> | undefined;

/**
 * Starts `threads - 1` workers (default: one per core) and resolves to the number of threads that
 * take part in GEMMs, the calling one included. Idempotent: later calls resolve to the first call's
 * result. Resolves to 1 where threads are unavailable (no WebAssembly SIMD, no shared memory, no
 * workers, or a worker failed to start).
 */
export function startThreads(threads?: number): Promise<number> {
  started ??= start(threads).catch(() => 1);
  return started;
}

/** The number of threads taking part in GEMMs now (1 until {@link startThreads} has resolved). */
export function threadCount(): number {
  return getEngine()?.threads ?? 1;
}

async function start(threads: number | undefined): Promise<number> {
  const engine = getEngine();
  if (engine === null || !engine.shared) return 1;
  const node = isNode();
  const wanted = Math.min(MAX_THREADS, Math.floor(threads ?? (await coreCount(node))));
  if (!(wanted > 1)) return 1;
  const spawn = node ? await nodeSpawner() : browserSpawner();
  if (spawn === null) return 1;
  const workers: PoolWorker[] = [];
  try {
    for (let t = 1; t < wanted; t++) workers.push(spawn(engine, t));
    await Promise.all(workers.map((w) => w.ready));
  } catch {
    for (const w of workers) w.terminate();
    return 1;
  }
  engine.threads = wanted;
  return wanted;
}

async function coreCount(node: boolean): Promise<number> {
  if (node) {
    const os = await importNode<NodeOs>('node:os');
    return typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

function initMessage(engine: Engine, t: number): WorkerInit {
  return {
    module: engine.module,
    memory: engine.memory,
    scratch: SCRATCH_BASE + t * SCRATCH_BYTES,
    counter: CTL_TASKS + t,
    functions: FUNCTION_NAMES,
  };
}

type Spawner = (engine: Engine, t: number) => PoolWorker;

/** Node: `worker_threads`, unref'd so that an idle pool never keeps the process alive. */
async function nodeSpawner(): Promise<Spawner | null> {
  let Worker: NodeWorkerThreads['Worker'];
  try {
    ({ Worker } = await importNode<NodeWorkerThreads>('node:worker_threads'));
  } catch {
    return null;
  }
  return (engine, t) => {
    const worker: NodeWorker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      // Later errors must not crash the process; the other threads still finish every task.
      worker.on('error', () => undefined);
      worker.once('exit', () => reject(new Error('gemm worker exited')));
    });
    worker.postMessage(initMessage(engine, t));
    return { ready, terminate: () => void worker.terminate() };
  };
}

/** Browsers: Web Workers from a Blob URL, only where shared memory may be posted to them. */
function browserSpawner(): Spawner | null {
  const g = globalThis as unknown as {
    crossOriginIsolated?: boolean;
    Worker?: new (url: string) => BrowserWorker;
    Blob?: new (parts: string[], options: { type: string }) => object;
    URL?: { createObjectURL?(blob: object): string };
  };
  if (g.crossOriginIsolated !== true || !g.Worker || !g.Blob || !g.URL?.createObjectURL)
    return null;
  const url = g.URL.createObjectURL(new g.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const WorkerClass = g.Worker;
  return (engine, t) => {
    const worker = new WorkerClass(url);
    const ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = () => reject(new Error('gemm worker failed to start'));
    });
    worker.postMessage(initMessage(engine, t));
    return { ready, terminate: () => worker.terminate() };
  };
}

/** The part of the DOM `Worker` the pool uses (the package compiles without DOM types). */
interface BrowserWorker {
  onmessage: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}
