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
