/**
 * Counting of a backend's live arrays, for {@link Backend.memory}: an array counts from its construction
 * until it is released or garbage-collected.
 *
 * The WebGPU backend already watches each array with a FinalizationRegistry (to pool its buffer), so it
 * always counts, at no extra cost. The CPU and gpu.js backends count only while {@link setArrayCounting}
 * is on: watching an array costs a registration whose record the engine frees only when its callback
 * runs, and callbacks wait for the event loop, so a long synchronous loop would pile records up.
 */
import type { Backend, BackendMemory } from './backend.js';

/** What one counted array adds to its backend's totals; the array keeps it to report its release. */
export interface LiveEntry {
  bytes: number;
  live: boolean;
}

let counting = false;

/**
 * Turns counting of CPU and gpu.js arrays on or off (off at start; WebGPU arrays are always counted),
 * and returns the previous setting. Arrays made while it is off never count, so {@link Backend.memory}
 * then reports the arrays made since counting began. A debug mode: long synchronous loops hold some
 * memory per array until they yield to the event loop.
 *
 * @example
 * ```ts
 * setArrayCounting(true);
 * const before = cpu.memory().arrays;
 * const x = cpu.full([2], 1, 'float32');
 * cpu.memory().arrays - before; // 1
 * setArrayCounting(false);
 * ```
 */
export function setArrayCounting(on: boolean): boolean {
  const previous = counting;
  counting = on;
  return previous;
}

/** The live arrays of one backend instance. */
export class LiveArrays {
  private arrays = 0;
  private bytes = 0;
  // The array holds its entry, so no side table is needed: a WeakMap keyed by millions of short-lived
  // arrays grew its table by megabytes in the soak test. For the same reason nothing is unregistered
  // (unregister tokens live in a table too): a released entry is marked, and its callback does nothing.
  private readonly collected = new FinalizationRegistry<LiveEntry>((entry) => this.forget(entry));

  /**
   * Counts `array`, which holds `bytes` of elements of its own (0 for a view of another array's), and
   * watches for its collection; `null` (nothing counted) while counting is off.
   */
  track(array: object, bytes: number): LiveEntry | null {
    if (!counting) return null;
    const entry = this.add(bytes);
    this.collected.register(array, entry);
    return entry;
  }

  /** Counts an array whose owner calls {@link LiveArrays.forget} when it is collected or released. */
  add(bytes: number): LiveEntry {
    this.arrays++;
    this.bytes += bytes;
    return { bytes, live: true };
  }

  /** The array shares another array's elements after all: it keeps counting, without bytes. */
  markView(entry: LiveEntry | null): void {
    if (entry === null || !entry.live) return;
    this.bytes -= entry.bytes;
    entry.bytes = 0;
  }

  /** The array was released or collected: it stops counting (once, however often this is called). */
  forget(entry: LiveEntry | null): void {
    if (entry === null || !entry.live) return;
    entry.live = false;
    this.arrays--;
    this.bytes -= entry.bytes;
  }

  /** The totals now. */
  snapshot(): BackendMemory {
    return { arrays: this.arrays, bytes: this.bytes };
  }
}

const registries = new WeakMap<Backend, LiveArrays>();

/** The live-array counts of `backend` (made on first use): one per backend instance. */
export function liveArraysOf(backend: Backend): LiveArrays {
  let live = registries.get(backend);
  if (live === undefined) registries.set(backend, (live = new LiveArrays()));
  return live;
}
