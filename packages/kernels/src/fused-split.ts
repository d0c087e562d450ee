/**
 * Fused programs on backends whose kernels read a limited number of arrays (WebGPU: storage buffers per
 * shader stage, 8 at least and 10 on SwiftShader; WebGL: texture units). A program with more inputs than
 * one kernel may read is cut into parts that each fit: the steps are visited in order, and when a step
 * would reach more arrays than the limit, the operand that reaches the most is made as an array first,
 * so that later steps read it as one: with 8 arrays per kernel, a chain of 18 additions over 19 inputs
 * takes three kernels, not eighteen. Every step still rounds as its own kernel would, so the result is
 * the one the whole program gives.
 */
import type { BackendArray, FusedProgram, FusedStep } from './backend.js';
import { broadcastShapes } from './shape.js';

/** What splitting needs from a backend: its one-kernel fused program, and ways to shape and free. */
export interface SplitKernels<A extends BackendArray> {
  /** Runs `program` as one kernel; `inputs` are at most the limit. */
  fusedKernel(program: FusedProgram, inputs: readonly A[]): A;
  broadcastTo(x: A, shape: readonly number[]): A;
  release(x: A): void;
}

/**
 * `program` over `inputs` as {@link Backend.fused} defines it, in kernels that each read at most
 * `maxInputs` arrays (`maxInputs` >= 3, so that any one step fits). The caller has checked the program.
 */
export function fusedWithinLimit<A extends BackendArray>(
  kernels: SplitKernels<A>,
  program: FusedProgram,
  inputs: readonly A[],
  maxInputs: number,
): A {
  if (inputs.length <= maxInputs) return kernels.fusedKernel(program, inputs);
  const first = inputs.length;
  // Values already arrays: the inputs, then the steps made so far.
  const made = new Map<number, A>(inputs.map((x, k) => [k, x]));
  // For each step, the made values its expression reads (stopping at made values).
  const reads: Set<number>[] = [];
  const readsOf = (value: number): Set<number> =>
    made.has(value) ? new Set([value]) : reads[value - first]!;
  const union = (step: FusedStep): Set<number> =>
    new Set(step.args.flatMap((value) => [...readsOf(value)]));

  /** Makes `value` an array: the steps it depends on back to made values, as one kernel. */
  const make = (value: number): A => {
    const cone = new Set<number>();
    const visit = (v: number): void => {
      if (made.has(v) || cone.has(v)) return;
      cone.add(v);
      program.steps[v - first]!.args.forEach(visit);
    };
    visit(value);
    const leaves = [...readsOf(value)].sort((a, b) => a - b);
    const steps = [...cone].sort((a, b) => a - b);
    const renumber = new Map<number, number>([
      ...leaves.map((v, k): [number, number] => [v, k]),
      ...steps.map((v, j): [number, number] => [v, leaves.length + j]),
    ]);
    const part: FusedProgram = {
      steps: steps.map((v) => {
        const step = program.steps[v - first]!;
        return { ...step, args: step.args.map((a) => renumber.get(a)!) };
      }),
    };
    return kernels.fusedKernel(
      part,
      leaves.map((v) => made.get(v)!),
    );
  };

  program.steps.forEach((step) => {
    let needed = union(step);
    while (needed.size > maxInputs) {
      const widest = step.args
        .filter((v) => !made.has(v))
        .reduce((a, b) => (readsOf(b).size > readsOf(a).size ? b : a));
      made.set(widest, make(widest));
      needed = union(step);
    }
    reads.push(needed);
  });
  let result = make(first + program.steps.length - 1);
  for (const [value, x] of made) if (value >= first) kernels.release(x);
  // Inputs that no step reads still shape the result.
  const shape = broadcastShapes('fused', ...inputs.map((x) => x.shape));
  if (result.shape.length !== shape.length || result.shape.some((n, d) => n !== shape[d])) {
    result = kernels.broadcastTo(result, shape);
  }
  return result;
}
