/**
 * `debug.memory` and `debug.trackTensors`: what is alive now, and which tensors made since a point are
 * still alive (the answer to "what leaks?"). Counting tensors and CPU or gpu.js arrays starts the first
 * time `memory()` is asked (or with `countMemory(true)`), since watching every object for collection has
 * a cost; tracking records shapes, the creating primitive and a stack only while a tracker runs.
 */
import {
  setArrayCounting,
  type Backend,
  type BackendMemory,
  type DType,
} from '@equinox-ts/kernels';
import { getDefaultBackend } from '../core/default-backend.js';
import { TensorError, valueText } from '../core/errors.js';
import { setEagerObserver, type EagerObserver } from '../core/primitive.js';
import type { Tensor } from '../tensor.js';
import { liveTensorCount, setCreationHook, setTensorCounting } from './tensor-count.js';
import { stackTrace } from './stack.js';

/**
 * What {@link memory} reports, as TensorFlow.js's `tf.memory()` does: live tensors, the backend's live
 * arrays and their bytes, and the backend's own details (on WebGPU the pooled buffers, on the CPU the
 * bytes kept for reuse).
 *
 * @example
 * ```ts
 * const info: MemoryInfo = debug.memory();
 * info.tensors >= 0 && info.arrays >= 0 && info.bytes >= 0; // true
 * ```
 */
export type MemoryInfo = BackendMemory & {
  /** Live concrete tensors on the backend: made and neither disposed nor garbage-collected. */
  readonly tensors: number;
};

/**
 * Live tensors and backend memory now, on `backend` (default: the default backend). Dropped tensors
 * count until the garbage collector takes them, so compare readings taken the same way (e.g. both after
 * the same amount of work) rather than expecting an exact number; a count that keeps growing is a leak.
 *
 * Counting is a debug mode: the first call turns it on (see {@link countMemory}), so tensors, and CPU
 * and gpu.js arrays, count from then on (WebGPU arrays always count). Call it once before the work to
 * watch.
 *
 * @example
 * ```ts
 * const before = debug.memory();
 * const kept = numpy.ones([256]);
 * debug.memory().tensors - before.tensors; // 1
 * debug.memory().bytes - before.bytes; // 1024
 * kept.dispose();
 * debug.memory().tensors - before.tensors; // 0
 * ```
 */
export function memory(backend: Backend = getDefaultBackend()): MemoryInfo {
  const given: unknown = backend;
  if (typeof (given as Partial<Backend> | null)?.memory !== 'function') {
    throw new TensorError(
      'memory',
      `argument backend: expected a backend (e.g. getBackend()), found ${valueText(given)}`,
    );
  }
  countMemory(true);
  return { ...backend.memory(), tensors: liveTensorCount(backend) };
}

/**
 * Turns the counting behind {@link memory} on or off. While on, every tensor and every CPU or gpu.js
 * array is watched for garbage collection; the engine frees what that watch costs (under 100 bytes per
 * object) only once the program yields to the event loop, so a long synchronous loop (no `await`)
 * holds it until then. Turn it off again in production code; counts of objects made while it was on
 * stay right.
 *
 * @example
 * ```ts
 * debug.countMemory(true);
 * const before = debug.memory().tensors;
 * const x = numpy.ones([3]);
 * debug.memory().tensors - before; // 1
 * debug.countMemory(false);
 * ```
 */
export function countMemory(on: boolean): void {
  if (typeof on !== 'boolean') {
    throw new TensorError('countMemory', `argument on: expected a boolean, found ${valueText(on)}`);
  }
  setTensorCounting(on);
  setArrayCounting(on);
}

/**
 * A tensor that a {@link TensorTracker} saw made and that is still alive.
 *
 * @example
 * ```ts
 * const tracker = debug.trackTensors();
 * const y = numpy.ones([2, 3]).mul(2);
 * tracker.stop();
 * const found: LiveTensor | undefined = tracker.live().find((t) => t.primitive === 'mul');
 * found?.shape; // [2, 3]
 * ```
 */
export interface LiveTensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The backend's name. */
  readonly backend: string;
  /**
   * The primitive that made it (`'mul'`, `'matmul'`, ...), or `null` when no single primitive did (an
   * upload such as `numpy.array`, or an output of a jitted function).
   */
  readonly primitive: string | null;
  /** Where it was made: the stack at its creation, without this helper's own frames. */
  readonly stack: string;
  /** The tensor itself, to inspect or dispose. */
  readonly tensor: Tensor;
}

/**
 * Records the tensors made between {@link trackTensors} and {@link TensorTracker.stop}.
 *
 * @example
 * ```ts
 * const tracker = debug.trackTensors();
 * const kept = numpy.arange(4).add(1);
 * tracker.stop();
 * tracker.live().length >= 1; // true
 * ```
 */
export interface TensorTracker {
  /**
   * The recorded tensors still alive: neither disposed nor garbage-collected. Unreachable tensors stay
   * until the collector runs, so read this after the leak had time to show (many steps), or after a
   * forced collection (`node --expose-gc`, then `gc()`).
   */
  live(): LiveTensor[];
  /** Stops recording (tensors already recorded stay in {@link TensorTracker.live}). */
  stop(): void;
}

interface Entry {
  readonly ref: WeakRef<Tensor>;
  readonly stack: string;
  primitive: string | null;
}

/** How many stack frames to keep: enough to get past the library's own frames to the caller's. */
const STACK_DEPTH = 40;

/**
 * Starts recording every concrete tensor made from now on, with its shape, dtype, the primitive that
 * made it and where; call `stop()` when done and `live()` to see which of them are still alive. Meant
 * for finding leaks: run a few steps of a loop under a tracker and look at what survives.
 *
 * @example
 * ```ts
 * const kept: Tensor[] = [];
 * const tracker = debug.trackTensors();
 * for (let step = 0; step < 3; step++) {
 *   const x = numpy.ones([4]).add(step);
 *   kept.push(x.mul(2)); // the "leak": every step keeps one tensor
 * }
 * tracker.stop();
 * tracker.live().filter((t) => t.primitive === 'mul').length; // 3
 * ```
 */
export function trackTensors(): TensorTracker {
  const entries: Entry[] = [];
  const byTensor = new WeakMap<object, Entry>();
  let recording = true;

  const hook = (tensor: object): void => {
    previousHook?.(tensor);
    if (!recording) return;
    const ref = new WeakRef(tensor as Tensor);
    const entry: Entry = { ref, stack: creationStack(), primitive: null };
    entries.push(entry);
    byTensor.set(tensor, entry);
  };
  // The primitive that made an eager result is known only to bind, which reports it to an observer.
  const observer: EagerObserver = (name, inputs, output) => {
    previousObserver?.(name, inputs, output);
    const entry = recording ? byTensor.get(output) : undefined;
    if (entry !== undefined) entry.primitive = name;
  };
  const previousHook = setCreationHook(hook);
  const previousObserver = setEagerObserver(observer);

  return {
    live(): LiveTensor[] {
      const alive: LiveTensor[] = [];
      for (const entry of entries) {
        const tensor = entry.ref.deref();
        if (tensor === undefined || isDisposed(tensor)) continue;
        alive.push({
          shape: tensor.shape,
          dtype: tensor.dtype,
          backend: tensor.backend.name,
          primitive: entry.primitive,
          stack: entry.stack,
          tensor,
        });
      }
      return alive;
    },
    stop(): void {
      if (!recording) return;
      recording = false;
      // Put back what was there, unless something installed since (then ours stays, passing through).
      const currentHook = setCreationHook(previousHook);
      if (currentHook !== hook) setCreationHook(currentHook);
      const currentObserver = setEagerObserver(previousObserver);
      if (currentObserver !== observer) setEagerObserver(currentObserver);
    },
  };
}

/** The current stack, from the first frame outside the tensor-making machinery. */
function creationStack(): string {
  const frames = stackTrace(STACK_DEPTH).split('\n').slice(1);
  const internal =
    /stackTrace|creationStack|countTensor|new Tensor|_fromArray|\bbind\b|primitive\.[jt]s/;
  let first = 0;
  while (first < frames.length - 1 && internal.test(frames[first]!)) first++;
  return frames
    .slice(first)
    .map((line) => line.trim())
    .join('\n');
}

/** True when the tensor's backend array was released (by `dispose`). */
function isDisposed(tensor: Tensor): boolean {
  const array = tensor._payload as { released?: boolean } | null;
  return array?.released === true;
}
