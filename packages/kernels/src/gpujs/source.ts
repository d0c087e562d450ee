/**
 * Pieces of generated gpu.js kernel source. Kernels see a flat output index and flat inputs; these
 * write the index arithmetic with every size as a literal, using only what gpu.js translates to GLSL
 * (`Math.floor` division, no `%` on indices).
 */
import { contiguousStrides } from '../shape.js';

/** Declares `names[d]` as the coordinates of flat index `index` in `shape` (row-major). */
export function unravel(index: string, shape: readonly number[], names: readonly string[]): string {
  if (shape.length === 0) return '';
  const strides = contiguousStrides(shape);
  return shape
    .map((n, d) => {
      const quotient = strides[d] === 1 ? index : `Math.floor(${index} / ${strides[d]})`;
      const whole = d === 0 ? quotient : `(${quotient} - Math.floor(${quotient} / ${n}) * ${n})`;
      return `const ${names[d]} = ${whole};`;
    })
    .join('\n');
}

/** `base + names[0] * strides[0] + ...`, leaving out zero strides. */
export function dot(names: readonly string[], strides: readonly number[], base = '0'): string {
  const terms = names.flatMap((name, d) =>
    strides[d] === 0 ? [] : strides[d] === 1 ? [name] : [`${name} * ${strides[d]}`],
  );
  return terms.length === 0
    ? base
    : base === '0'
      ? terms.join(' + ')
      : `${base} + ${terms.join(' + ')}`;
}

/** Names `prefix0 .. prefix{n-1}`. */
export function names(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, d) => `${prefix}${d}`);
}

/**
 * The strides that read a contiguous array of `shape` at the coordinates of `target` when broadcast to
 * it (NumPy rules, already checked): 0 along dimensions it lacks or has as 1.
 */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  const lead = target.length - shape.length;
  return target.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]!));
}

/** A whole kernel: `function (args) { body; return result; }`, reading its index as `i`. */
export function kernelSource(args: readonly string[], body: string, result: string): string {
  return `function (${args.join(', ')}) {\nconst i = this.thread.x;\n${body}\nreturn ${result};\n}`;
}
