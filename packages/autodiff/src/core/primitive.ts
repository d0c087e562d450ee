/**
 * Primitives: the small set of operations everything else is built from. Each one has a shape rule, a
 * backend implementation, a VJP rule written with primitives (so a backward pass can itself be
 * differentiated) and a slot for a batching rule.
 */
import type { Backend, BackendArray, DType } from '@equinox-ts/kernels';
import { TensorError } from './errors.js';
import { Tensor } from '../tensor.js';

/** What a transformation knows about a tensor without its values: shape and dtype. */
export interface Aval {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * The cotangents of a primitive's inputs given the cotangent of its output; `null` for an input that
 * gets no gradient (an integer input, or one the output does not depend on smoothly). `needed[i]` is
 * false for inputs whose cotangent nobody uses (constants): a rule may return `null` for them instead
 * of computing it, which matters where that costs a matmul or a convolution.
 */
export type VjpRule<P> = (
  cotangent: Tensor,
  inputs: readonly Tensor[],
  output: Tensor,
  params: P,
  needed: readonly boolean[],
) => readonly (Tensor | null)[];

/**
 * A batching rule: applies the primitive to inputs that carry a batch axis at `dims[i]` (null for an
 * input without one) and returns the output and where its batch axis is. Inputs are values one level
 * below the `vmap` (the rule calls primitives on them), and at least one has a batch axis.
 */
export type BatchRule<P> = (
  inputs: readonly Tensor[],
  dims: readonly (number | null)[],
  params: P,
) => [Tensor, number | null];

/** One primitive operation. */
export interface Primitive<P = void> {
  /** The name messages use, e.g. `'matmul'`. */
  readonly name: string;
  /** The output's shape and dtype; throws a {@link TensorError} for inputs the primitive refuses. */
  shape(inputs: readonly Aval[], params: P): Aval;
  /** Runs the primitive on one backend. */
  impl(backend: Backend, inputs: readonly BackendArray[], params: P): BackendArray;
  /** Absent for primitives whose output has zero derivative (comparisons, floor, integer ops). */
  readonly vjp?: VjpRule<P>;
  /** How `vmap` maps the primitive over a batch axis; set by the rules in `vmap/rules/`. */
  batch?: BatchRule<P>;
}

const registry = new Map<string, Primitive<never>>();

/** Declares a primitive and records it, so tests can check every primitive has its rules tested. */
export function definePrimitive<P = void>(prim: Primitive<P>): Primitive<P> {
  if (registry.has(prim.name)) throw new Error(`internal: primitive ${prim.name} defined twice`);
  registry.set(prim.name, prim);
  return prim;
}

/** Every primitive defined so far, by name. */
export function primitives(): ReadonlyMap<string, Primitive<never>> {
  return registry;
}

/**
 * Called with every primitive that runs on concrete values (outside all tracing), after it ran. Debug
 * tools such as `debug.checkNaN` install one; `null` otherwise, so the cost when off is one check.
 */
export type EagerObserver = (name: string, inputs: readonly Tensor[], output: Tensor) => void;

let eagerObserver: EagerObserver | null = null;

/** Installs `observer` (or removes it with `null`); returns the one it replaces, to restore later. */
export function setEagerObserver(observer: EagerObserver | null): EagerObserver | null {
  const previous = eagerObserver;
  eagerObserver = observer;
  return previous;
}

/**
 * Applies `prim` to `inputs`: hands it to the innermost running transformation among the inputs'
 * traces, or runs it on the inputs' backend when none of them is a tracer.
 */
export function bind<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
  let top: Tensor['_trace'] = null;
  for (const x of inputs) {
    const trace = x._trace;
    if (trace === null) continue;
    if (!trace.active) {
      throw new TensorError(
        prim.name,
        `a tensor traced by a ${trace.name} that has already returned was used (a tracer escaped, e.g. ` +
          `stored in an outer variable); return values from the transformed function instead`,
      );
    }
    if (top === null || trace.level > top.level) top = trace;
  }
  if (top !== null) return top.process(prim, inputs, params);

  const aval = prim.shape(inputs, params);
  const backend = commonBackend(prim.name, inputs);
  const out = prim.impl(
    backend,
    inputs.map((x) => x._payload as BackendArray),
    params,
  );
  if (out.dtype !== aval.dtype || out.shape.length !== aval.shape.length) {
    throw new Error(
      `internal: ${prim.name} on ${backend.name} returned ${out.dtype}[${out.shape.join(', ')}]`,
    );
  }
  const result = Tensor._fromArray(out);
  if (eagerObserver !== null) eagerObserver(prim.name, inputs, result);
  return result;
}

function commonBackend(op: string, inputs: readonly Tensor[]): Backend {
  const backend = (inputs[0]!._payload as BackendArray).backend;
  for (const x of inputs) {
    const other = (x._payload as BackendArray).backend;
    if (other !== backend) {
      throw new TensorError(
        op,
        `inputs live on different backends (${backend.name} and ${other.name}); move one with devicePut`,
      );
    }
  }
  return backend;
}
