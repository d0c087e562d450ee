/**
 * Traces: the interpreters that a transformation (grad; later vmap and jit) installs while it runs.
 * A tensor made inside a transformation is a tracer of that transformation's trace; an operation on
 * tracers is handed to the trace of the highest level among its inputs, which records or transforms it
 * and works on the inputs' values one level down. Nested transformations get increasing levels, so
 * `grad(grad(f))` keeps the two derivatives apart.
 */
import type { Backend } from '@equinox-ts/kernels';
import type { Primitive } from './primitive.js';
import type { Tensor } from '../tensor.js';

/** One running transformation. */
export abstract class Trace {
  /** False once the transformation returned: its tracers must not be used any more. */
  active = true;

  constructor(
    /** Higher for transformations started inside others. */
    readonly level: number,
    /** The transformation's name for messages, e.g. `'grad'`. */
    readonly name: string,
  ) {}

  /** Applies `prim` to `inputs`, at least one of which is a tracer of this trace. */
  abstract process<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor;

  /**
   * The concrete tensor behind one of this trace's tracers, for reading its values; throws when the
   * value is not known (inside `jit`).
   */
  abstract concrete(tracer: Tensor): Tensor;

  /** The backend one of this trace's tracers computes on. */
  abstract backendOf(tracer: Tensor): Backend;
}

const stack: Trace[] = [];

/** Starts a transformation: makes its trace one level above every running one. */
export function pushTrace<T extends Trace>(make: (level: number) => T): T {
  const trace = make(stack.length + 1);
  stack.push(trace);
  return trace;
}

/** Ends the transformation that `trace` belongs to; its tracers become unusable. */
export function popTrace(trace: Trace): void {
  const top = stack.pop();
  trace.active = false;
  if (top !== trace) throw new Error(`internal: ${trace.name} trace ended out of order`);
}

/** How many transformations are running (0 outside all of them). */
export function traceDepth(): number {
  return stack.length;
}

/** The running transformations, innermost last. */
export function runningTraces(): readonly Trace[] {
  return stack;
}

/** True while some transformation called `name` is running (e.g. inside a `jit` trace). */
export function isTracing(name: string): boolean {
  return stack.some((trace) => trace.name === name);
}

/** Runs `body` with a fresh trace made by `make`, ending the trace however `body` exits. */
export function withTrace<T extends Trace, R>(
  make: (level: number) => T,
  body: (trace: T) => R,
): R {
  const trace = pushTrace(make);
  try {
    return body(trace);
  } finally {
    popTrace(trace);
  }
}
