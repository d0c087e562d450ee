/**
 * Counts live concrete tensors per backend, for `debug.memory`: a tensor counts from construction until
 * it is disposed or garbage-collected. Kept free of other imports so that tensor.ts can call it.
 * Counting is off until `debug.memory` turns it on: it costs a FinalizationRegistry registration per
 * tensor, whose record the engine frees only when the callback runs, after the event loop turns, so a
 * long synchronous loop piles records up. Tracers hold no memory and are not counted.
 */
import type { Backend } from '@equinox-ts/kernels';

const live = new Map<Backend, number>();
let counting = false;

/** @internal Turns tensor counting on or off; returns the previous setting. */
export function setTensorCounting(on: boolean): boolean {
  const previous = counting;
  counting = on;
  return previous;
}

/** One tensor's place in the count; the tensor holds it, so disposing needs no lookup. */
export interface TensorCount {
  readonly backend: Backend;
  counted: boolean;
}

// No unregister tokens (they live in a table that grows with the number of tensors): a disposed
// tensor's entry is marked, and its callback does nothing.
const collected = new FinalizationRegistry<TensorCount>(uncount);

function uncount(entry: TensorCount): void {
  if (!entry.counted) return;
  entry.counted = false;
  live.set(entry.backend, (live.get(entry.backend) ?? 1) - 1);
}

/** Called for each new tensor; set by a tensor tracker while it records, `null` otherwise. */
let creationHook: ((tensor: object) => void) | null = null;

/** @internal Counts a new concrete tensor on `backend` (called by the Tensor constructor). */
export function countTensor(tensor: object, backend: Backend): TensorCount | null {
  if (creationHook !== null) creationHook(tensor);
  if (!counting) return null;
  live.set(backend, (live.get(backend) ?? 0) + 1);
  const entry: TensorCount = { backend, counted: true };
  collected.register(tensor, entry);
  return entry;
}

/** @internal The tensor was disposed: it stops counting now (once, however often it is disposed). */
export function uncountTensor(entry: TensorCount): void {
  uncount(entry);
}

/** @internal Live tensors on `backend`. */
export function liveTensorCount(backend: Backend): number {
  return live.get(backend) ?? 0;
}

/** @internal Installs the hook called with each new concrete tensor; returns the one replaced. */
export function setCreationHook(
  hook: ((tensor: object) => void) | null,
): ((tensor: object) => void) | null {
  const previous = creationHook;
  creationHook = hook;
  return previous;
}
