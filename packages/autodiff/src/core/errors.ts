/** The error every tensor operation throws for bad arguments, and helpers for its messages. */
import type { DType } from '@equinox-ts/kernels';

/**
 * Thrown by a tensor operation given arguments it cannot work with. The message starts with the
 * operation's name, names the argument, and says what was expected and what was found, e.g.
 * `matmul: inner dimensions differ: [3, 4] @ [5, 2] (4 != 5)`.
 *
 * @example
 * ```ts
 * try {
 *   numpy.reshape(numpy.zeros([2, 3]), [4, 2]);
 * } catch (e) {
 *   if (e instanceof TensorError) e.message; // 'reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)'
 * }
 * ```
 */
export class TensorError extends Error {
  /**
   * @param op - the operation that refused its arguments, e.g. `'matmul'`.
   * @param detail - what was wrong: the argument, what was expected and what was found.
   */
  constructor(
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
    this.name = 'TensorError';
  }
}

/** A shape as messages show it: `[3, 4]`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A dtype and shape as messages show them: `float32[3, 4]`. */
export function avalText(aval: { shape: readonly number[]; dtype: DType }): string {
  return `${aval.dtype}${shapeText(aval.shape)}`;
}

/**
 * Describes any value for a message, with its article: `a tensor of float32[2]`, `the string "relu"`,
 * `the number 3`, `an array [1, 2]`, `a function`, `a Linear`, `null`.
 */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `the ${typeof value} ${value}`;
  if (Array.isArray(value)) {
    const simple =
      value.length <= 8 &&
      value.every(
        (v) =>
          typeof v === 'number' ||
          typeof v === 'string' ||
          typeof v === 'boolean' ||
          Array.isArray(v),
      );
    return simple
      ? `an array ${JSON.stringify(value).replace(/,/g, ', ')}`
      : `an array of length ${value.length}`;
  }
  if (typeof value === 'object') {
    if (
      'shape' in value &&
      'dtype' in value &&
      typeof (value as { dtype: unknown }).dtype === 'string'
    ) {
      return `a tensor of ${avalText(value as { shape: readonly number[]; dtype: DType })}`;
    }
    const name = value.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}
