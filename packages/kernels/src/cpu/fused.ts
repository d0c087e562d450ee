/** The CPU fused elementwise kernel: one generated loop for a whole chain of elementwise ops. */
import type { FusedProgram } from '../backend.js';
import type { DType } from '../dtype.js';
import { compileProgram, type ExpressionLanguage } from '../fused-program.js';
import type { CpuArray } from './array.js';
import { conversion, elementwise } from './elementwise.js';
import { inputName } from './strided.js';

/** JavaScript, with float32 results rounded as storing them in a Float32Array would, so fusion changes no result. */
const JAVASCRIPT: ExpressionLanguage = {
  template: (spec, dtype) => spec.js[dtype],
  where: 'a ? b : c',
  conversion,
  finish: (expression: string, dtype: DType) =>
    dtype === 'float32' ? `Math.fround(${expression})` : expression,
};

/** See {@link Backend.fused}. */
export function fused(program: FusedProgram, inputs: readonly CpuArray[]): CpuArray {
  const { expression, dtype, steps } = compileProgram(
    program,
    inputs.map((x) => x.dtype),
    inputName,
    JAVASCRIPT,
  );
  return elementwise('fused', expression, dtype, inputs, steps);
}
