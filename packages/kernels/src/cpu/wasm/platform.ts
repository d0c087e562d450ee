/**
 * The platform APIs the engine uses, typed here because the package compiles with the ES library only
 * (no DOM, no Node types): WebAssembly, and the Node modules loaded on demand.
 */

/** A WebAssembly memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** A compiled WebAssembly module (opaque; workers receive it by `postMessage`). */
export type WasmModule = object;

/** The parts of the `WebAssembly` namespace the engine uses. */
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: { env: { memory: WasmMemory } },
  ) => { exports: Record<string, unknown> };
}

/** `globalThis.WebAssembly`, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  // Through unknown: with the DOM library loaded, its own WebAssembly types do not overlap WasmApi's.
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** The part of Node's `worker_threads.Worker` the pool uses. */
export interface NodeWorker {
  postMessage(message: unknown): void;
  once(event: string, listener: (value: unknown) => void): void;
  on(event: string, listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** The part of `node:worker_threads` the pool uses. */
export interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: boolean }) => NodeWorker;
}

/** The part of `node:os` the pool uses. */
export interface NodeOs {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

/**
 * Imports a Node built-in module by name. The name is a variable so that type checking and
 * browser bundles do not try to resolve it.
 */
export function importNode<T>(name: string): Promise<T> {
  // The comments tell bundlers (Vite, webpack) to leave this Node-only import alone, without a warning.
  return import(/* @vite-ignore */ /* webpackIgnore: true */ name) as Promise<T>;
}

/** True when running in Node. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}
