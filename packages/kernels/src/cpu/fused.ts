/** The CPU fused elementwise kernel: one generated loop for a whole chain of elementwise ops. */
import type { FusedProgram, FusedStep } from '../backend.js';
import { isDType, type DType } from '../dtype.js';
import { KernelError, valueText } from '../errors.js';
import { BINARY_OPS, UNARY_OPS, type OpSpec } from '../ops.js';
import type { CpuArray } from './array.js';
import { conversion, elementwise } from './elementwise.js';
import { inputName } from './strided.js';

/** A value of the program: its JavaScript expression and dtype. */
interface Value {
  readonly expression: string;
  readonly dtype: DType;
}

/** Substitutes the op expression's placeholders `a`, `b`, `c` by the argument expressions, in one pass. */
function apply(template: string, args: readonly Value[]): string {
  return template.replace(/\b[abc]\b/g, (name) => `(${args['abc'.indexOf(name)]!.expression})`);
}

/** True if `refs` is a list of value numbers below `count`. */
function namesEarlierValues(refs: unknown, count: number): refs is readonly number[] {
  return (
    Array.isArray(refs) &&
    refs.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < count)
  );
}

function stepValue(step: FusedStep, index: number, values: readonly Value[]): Value {
  const at = `step ${index}`;
  if (!namesEarlierValues(step.args, values.length)) {
    throw new KernelError(
      'fused',
      `${at}: \`args\` must name earlier values (0 to ${values.length - 1}), found ${valueText(step.args)}`,
    );
  }
  const args = step.args.map((v) => values[v]!);
  const arity = (n: number): void => {
    if (args.length !== n)
      throw new KernelError(
        'fused',
        `${at}: ${step.op} takes ${n} arguments, found ${args.length}`,
      );
  };
  if (step.op === 'where') {
    arity(3);
    if (args[0]!.dtype !== 'bool' || args[1]!.dtype !== args[2]!.dtype) {
      throw new KernelError(
        'fused',
        `${at}: where needs a bool condition and two branches of one dtype, found ${args.map((a) => a.dtype).join(', ')}`,
      );
    }
    return { expression: apply('a ? b : c', args), dtype: args[1]!.dtype };
  }
  if (step.op === 'cast') {
    arity(1);
    if (!isDType(step.dtype))
      throw new KernelError('fused', `${at}: cast needs a dtype, found ${valueText(step.dtype)}`);
    return {
      expression: round(apply(conversion(args[0]!.dtype, step.dtype), args), step.dtype),
      dtype: step.dtype,
    };
  }
  const unary = Object.hasOwn(UNARY_OPS, step.op);
  const spec: OpSpec | undefined = unary
    ? UNARY_OPS[step.op as keyof typeof UNARY_OPS]
    : BINARY_OPS[step.op as keyof typeof BINARY_OPS];
  if (!spec)
    throw new KernelError('fused', `${at}: ${valueText(step.op)} is not an elementwise op`);
  arity(unary ? 1 : 2);
  if (!unary && args[0]!.dtype !== args[1]!.dtype) {
    throw new KernelError(
      'fused',
      `${at}: ${step.op} needs operands of one dtype, found ${args[0]!.dtype} and ${args[1]!.dtype}`,
    );
  }
  const template = spec.js[args[0]!.dtype];
  if (template === undefined) {
    throw new KernelError(
      'fused',
      `${at}: ${step.op} does not take ${args[0]!.dtype} (it takes ${Object.keys(spec.js).join(' or ')})`,
    );
  }
  const dtype = spec.out ?? args[0]!.dtype;
  return { expression: round(apply(template, args), dtype), dtype };
}

/** Rounds a float32 step's result as storing it in a Float32Array would, so fusion changes no result. */
function round(expression: string, dtype: DType): string {
  return dtype === 'float32' ? `Math.fround(${expression})` : expression;
}

/** See {@link Backend.fused}. */
export function fused(program: FusedProgram, inputs: readonly CpuArray[]): CpuArray {
  const steps: unknown = program?.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new KernelError(
      'fused',
      `\`program.steps\` must be a non-empty list, found ${valueText(steps)}`,
    );
  }
  const values: Value[] = inputs.map((x, k) => ({ expression: inputName(k), dtype: x.dtype }));
  (steps as readonly FusedStep[]).forEach((step, i) => values.push(stepValue(step, i, values)));
  const result = values[values.length - 1]!;
  const typed = (steps as readonly FusedStep[]).map((step, i) => ({
    op: step.op,
    args: step.args,
    dtype: values[inputs.length + i]!.dtype,
  }));
  return elementwise('fused', result.expression, result.dtype, inputs, typed);
}
