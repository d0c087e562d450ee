/**
 * The graph `jit` records: a straight-line list of primitive applications over numbered values, and
 * its replay on a backend (primitive implementations called directly on backend arrays, with no
 * tracing or Tensor objects in between).
 */
import type { Backend, BackendArray } from '@equinox-ts/kernels';
import type { Aval, Primitive } from '../core/primitive.js';

/** One primitive application: `values[output] = prim(values[inputs...])`. */
export interface Equation {
  readonly prim: Primitive<unknown>;
  readonly params: unknown;
  readonly inputs: readonly number[];
  readonly output: number;
}

/**
 * A recorded function. Values are numbered: first the inputs, then the constants, then one per
 * equation, in order.
 */
export interface Graph {
  readonly inputs: readonly Aval[];
  readonly constants: readonly BackendArray[];
  readonly equations: readonly Equation[];
  /** The value behind each output leaf. */
  readonly outputs: readonly number[];
  /** For each value, the index of the last equation that reads it (so it can be dropped after). */
  readonly lastUse: readonly number[];
}

/** For each value of `graph`, the last equation that reads it; outputs are read "after the end". */
export function lastUses(
  valueCount: number,
  equations: readonly Equation[],
  outputs: readonly number[],
): number[] {
  const last = new Array<number>(valueCount).fill(-1);
  equations.forEach((eq, i) => eq.inputs.forEach((v) => (last[v] = i)));
  for (const v of outputs) last[v] = equations.length;
  return last;
}

/**
 * Runs `graph` on `inputs` (backend arrays in input order) and returns the output arrays. Each
 * intermediate array is released right after the last equation that reads it, so the backend can
 * reuse its memory for the next results (the CPU backend does) instead of allocating fresh memory.
 */
export function replay(
  graph: Graph,
  backend: Backend,
  inputs: readonly BackendArray[],
): BackendArray[] {
  // A backend with scratch memory keeps the intermediates there (see Backend.scoped).
  if (backend.scoped) return backend.scoped(() => runEquations(graph, backend, inputs));
  return runEquations(graph, backend, inputs);
}

function runEquations(
  graph: Graph,
  backend: Backend,
  inputs: readonly BackendArray[],
): BackendArray[] {
  const values: (BackendArray | undefined)[] = [...inputs, ...graph.constants];
  const fixed = values.length; // inputs and constants belong to the caller: never released
  const callerOwned = new Set<BackendArray>(values as BackendArray[]);
  const { equations, lastUse } = graph;
  // How many live values hold each array (a primitive may return its input, e.g. a no-op reshape).
  const holders = new Map<BackendArray, number>();
  for (let i = 0; i < equations.length; i++) {
    const eq = equations[i]!;
    const out = eq.prim.impl(
      backend,
      eq.inputs.map((v) => values[v]!),
      eq.params,
    );
    values[eq.output] = out;
    holders.set(out, (holders.get(out) ?? 0) + 1);
    for (const v of eq.inputs) {
      if (lastUse[v] !== i || v < fixed || values[v] === undefined) continue;
      const array = values[v];
      values[v] = undefined;
      const left = holders.get(array)! - 1;
      if (left > 0) {
        holders.set(array, left);
        continue;
      }
      holders.delete(array);
      if (!callerOwned.has(array)) backend.release(array);
    }
  }
  return graph.outputs.map((v) => values[v]!);
}
