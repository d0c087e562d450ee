/**
 * Fused programs on backends whose kernels read a limited number of arrays (WebGPU: storage buffers per
 * shader stage, 8 at least and 10 on SwiftShader; WebGL: texture units). A program with more inputs than
 * one kernel may read is cut into parts that each fit: the steps are visited in order, and when a step
 * would reach more arrays than the limit, the operand that reaches the most is made as an array first,
 * so that later steps read it as one: with 8 arrays per kernel, a chain of 18 additions over 19 inputs
 * takes three kernels, not eighteen. Every step still rounds as its own kernel would, so the result is
 * the one the whole program gives.
 */
import type { BackendArray, FusedProgram } from './backend.js';
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

  /** The steps `value` is computed from, back to made values, and the made values it reads. */
  const coneOf = (value: number): { steps: number[]; reads: number[] } => {
    const steps = new Set<number>();
    const reads = new Set<number>();
    const visit = (v: number): void => {
      if (made.has(v)) reads.add(v);
      else if (!steps.has(v)) {
        steps.add(v);
        program.steps[v - first]!.args.forEach(visit);
      }
    };
    visit(value);
    const ascending = (a: number, b: number): number => a - b;
    return { steps: [...steps].sort(ascending), reads: [...reads].sort(ascending) };
  };

  /** Makes `value` an array: its cone (which fits) as one kernel. */
  const make = (value: number): A => {
    const cone = coneOf(value);
    const renumber = new Map<number, number>([
      ...cone.reads.map((v, k): [number, number] => [v, k]),
      ...cone.steps.map((v, j): [number, number] => [v, cone.reads.length + j]),
    ]);
    const part: FusedProgram = {
      steps: cone.steps.map((v) => {
        const step = program.steps[v - first]!;
        return { ...step, args: step.args.map((a) => renumber.get(a)!) };
      }),
    };
    return kernels.fusedKernel(
      part,
      cone.reads.map((v) => made.get(v)!),
    );
  };

  /**
   * Makes operands of `value` (widest first, each made to fit in turn) until `value`'s cone reads at most
   * `maxInputs` arrays. Ends at the latest when every operand is made: a step has at most 3.
   */
  const fit = (value: number): void => {
    const args = program.steps[value - first]!.args;
    while (coneOf(value).reads.length > maxInputs) {
      const widest = args
        .filter((v) => !made.has(v))
        .map((v) => ({ v, width: coneOf(v).reads.length }))
        .reduce((a, b) => (b.width > a.width ? b : a)).v;
      fit(widest);
      made.set(widest, make(widest));
    }
  };

  // In program order, so that values many later steps share are made once, early.
  program.steps.forEach((_, i) => fit(first + i));
  let result = make(first + program.steps.length - 1);
  for (const [value, x] of made) if (value >= first) kernels.release(x);
  // Inputs that no step reads still shape the result.
  const shape = broadcastShapes('fused', ...inputs.map((x) => x.shape));
  if (result.shape.length !== shape.length || result.shape.some((n, d) => n !== shape[d])) {
    result = kernels.broadcastTo(result, shape);
  }
  return result;
}
