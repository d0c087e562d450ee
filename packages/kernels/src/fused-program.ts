/**
 * A fused elementwise program checked and turned into one expression, for any backend: each backend
 * supplies its language (JavaScript for the CPU loops, WGSL for WebGPU shaders), and gets back the
 * expression of the last step, its dtype, and every step's dtype.
 */
import type { FusedProgram, FusedStep } from './backend.js';
import { isDType, type DType } from './dtype.js';
import { KernelError, valueText } from './errors.js';
import { BINARY_OPS, UNARY_OPS, type OpSpec } from './ops.js';

/** How a backend writes elementwise expressions. Templates name their operands `a`, `b`, `c`. */
export interface ExpressionLanguage {
  /** The op's template for operands of `dtype`, if the op takes that dtype. */
  template(spec: OpSpec, dtype: DType): string | undefined;
  /** The template of `where(a, b, c)`: `a` is the condition. */
  readonly where: string;
  /** The template converting `a` from one dtype to another. */
  conversion(from: DType, to: DType): string;
  /** Wraps a step's expression, e.g. to round float32 results as storing them would. */
  finish(expression: string, dtype: DType): string;
}

/** A step with the dtype of its result. */
export interface TypedStep {
  readonly op: FusedStep['op'];
  readonly args: readonly number[];
  readonly dtype: DType;
}

interface Value {
  readonly expression: string;
  readonly dtype: DType;
}

/** Substitutes the template's placeholders `a`, `b`, `c` by the argument expressions, in one pass. */
function apply(template: string, args: readonly Value[]): string {
  return template.replace(/\b[abc]\b/g, (name) => `(${args['abc'.indexOf(name)]!.expression})`);
}

function namesEarlierValues(refs: unknown, count: number): refs is readonly number[] {
  return (
    Array.isArray(refs) &&
    refs.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < count)
  );
}

function stepValue(
  step: FusedStep,
  index: number,
  values: readonly Value[],
  language: ExpressionLanguage,
): Value {
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
    return { expression: apply(language.where, args), dtype: args[1]!.dtype };
  }
  if (step.op === 'cast') {
    arity(1);
    if (!isDType(step.dtype))
      throw new KernelError('fused', `${at}: cast needs a dtype, found ${valueText(step.dtype)}`);
    return {
      expression: language.finish(
        apply(language.conversion(args[0]!.dtype, step.dtype), args),
        step.dtype,
      ),
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
  const template = language.template(spec, args[0]!.dtype);
  if (template === undefined) {
    throw new KernelError(
      'fused',
      `${at}: ${step.op} does not take ${args[0]!.dtype} (it takes ${Object.keys(spec.js).join(' or ')})`,
    );
  }
  const dtype = spec.out ?? args[0]!.dtype;
  return { expression: language.finish(apply(template, args), dtype), dtype };
}

/**
 * Checks `program` against inputs of `inputDtypes` (named by `inputName(k)` in the expression) and
 * returns the expression of its last step, that step's dtype, and the typed steps.
 */
export function compileProgram(
  program: FusedProgram,
  inputDtypes: readonly DType[],
  inputName: (k: number) => string,
  language: ExpressionLanguage,
): { expression: string; dtype: DType; steps: TypedStep[] } {
  const steps: unknown = program?.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new KernelError(
      'fused',
      `\`program.steps\` must be a non-empty list, found ${valueText(steps)}`,
    );
  }
  const values: Value[] = inputDtypes.map((dtype, k) => ({ expression: inputName(k), dtype }));
  (steps as readonly FusedStep[]).forEach((step, i) =>
    values.push(stepValue(step, i, values, language)),
  );
  const result = values[values.length - 1]!;
  const typed = (steps as readonly FusedStep[]).map((step, i) => ({
    op: step.op,
    args: step.args,
    dtype: values[inputDtypes.length + i]!.dtype,
  }));
  return { expression: result.expression, dtype: result.dtype, steps: typed };
}
