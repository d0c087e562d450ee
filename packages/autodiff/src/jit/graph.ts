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

/** Runs `graph` on `inputs` (backend arrays in input order) and returns the output arrays. */
export function replay(
  graph: Graph,
  backend: Backend,
  inputs: readonly BackendArray[],
): BackendArray[] {
  const values: (BackendArray | undefined)[] = [...inputs, ...graph.constants];
  const { equations, lastUse } = graph;
  for (let i = 0; i < equations.length; i++) {
    const eq = equations[i]!;
    const args = eq.inputs.map((v) => values[v]!);
    values[eq.output] = eq.prim.impl(backend, args, eq.params);
    // Drop references to values no later equation reads, so the garbage collector can reuse them.
    for (const v of eq.inputs)
      if (lastUse[v] === i && v >= inputs.length + graph.constants.length) values[v] = undefined;
  }
  return graph.outputs.map((v) => values[v]!);
}
