/**
 * The WebAssembly engine: one memory (shared between threads where the platform allows) and one
 * instance of the GEMM module, created on first use.
 */
import { DEFAULT_SHAPE, FUNCTION_NAMES, gemmModuleBytes, type KernelShape } from './kernel.js';
import { INITIAL_PAGES, MAXIMUM_PAGES } from './layout.js';
import { wasmApi, type WasmApi, type WasmMemory, type WasmModule } from './platform.js';

/** A task function of the module: nine i32 arguments (see kernel.ts). */
export type TaskFunction = (...args: number[]) => void;

/** The live engine. */
export interface Engine {
  readonly shape: KernelShape;
  readonly memory: WasmMemory;
  /** The compiled module, which workers instantiate on the same memory. */
  readonly module: WasmModule;
  /** True when `memory` is a shared memory that workers can use. */
  readonly shared: boolean;
  /** Task functions indexed by the `FN_*` constants of kernel.ts. */
  readonly functions: readonly TaskFunction[];
  /** Threads taking part in jobs, the calling one included (set by threads.ts). */
  threads: number;
  /** Float32 view of the memory; call {@link heap} instead of caching it, since growth replaces it. */
  f32: Float32Array;
  /** Int32 view of the memory, as above. */
  i32: Int32Array;
}

let engine: Engine | null | undefined;

/** The engine memory's limits; every module that imports the memory declares the same. */
export function memoryLimits(shared: boolean) {
  return { initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared };
}

/**
 * Compiles the module's bytes and instantiates them on a new memory. Throws where WebAssembly SIMD (or,
 * with `shared`, shared memory) is unavailable: compiling the module is the feature test.
 */
function create(api: WasmApi, bytes: Uint8Array, shared: boolean): Engine {
  const module = new api.Module(bytes);
  const memory = new api.Memory(memoryLimits(shared));
  const instance = new api.Instance(module, { env: { memory } });
  const functions = FUNCTION_NAMES.map((name) => instance.exports[name] as TaskFunction);
  return {
    shape: DEFAULT_SHAPE,
    memory,
    module,
    shared,
    functions,
    threads: 1,
    f32: new Float32Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
  };
}

/**
 * The engine, created on the first call; null where WebAssembly SIMD is unavailable. The memory is
 * shared when the platform has shared memory (Node; cross-origin isolated pages), so that threads
 * can start later on the same memory. The module's bytes are generated once, or twice where a shared
 * memory is announced but refused.
 */
export function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  const api = wasmApi();
  if (api === undefined) return engine;
  for (const shared of typeof SharedArrayBuffer === 'function' ? [true, false] : [false]) {
    // Outside the try: a kernel shape the layout cannot hold is a bug to report, not a missing feature.
    const bytes = gemmModuleBytes(DEFAULT_SHAPE, memoryLimits(shared));
    try {
      engine = create(api, bytes, shared);
      break;
    } catch {
      // No SIMD, or no shared memory: try without sharing, else stay on the JavaScript engine.
    }
  }
  return engine;
}
