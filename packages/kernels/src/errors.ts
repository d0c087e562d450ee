/** The error every kernel throws for bad arguments, and the helpers that write its messages. */

/**
 * Thrown by a kernel given arguments it cannot run on: shapes that do not fit together, an axis out of
 * range, a negative size, the wrong dtype, an array from another backend. The message starts with the
 * kernel's name and names the argument, then says what was expected and what was found, e.g.
 * `matmul: inner dimensions differ: [3, 4] @ [5, 2] (4 != 5)`.
 *
 * @example
 * ```ts
 * try {
 *   cpu.matmul(cpu.full([3, 4], 0, 'float32'), cpu.full([5, 2], 0, 'float32'));
 * } catch (e) {
 *   if (e instanceof KernelError) e.message; // 'matmul: inner dimensions differ: [3, 4] @ [5, 2] (4 != 5)'
 * }
 * ```
 */
export class KernelError extends Error {
  /**
   * @param kernel - the kernel that refused its arguments, e.g. `'conv'`.
   * @param detail - what was wrong: the argument, what was expected and what was found.
   */
  constructor(
    readonly kernel: string,
    detail: string,
  ) {
    super(`${kernel}: ${detail}`);
    this.name = 'KernelError';
  }
}

/** Writes a shape the way messages show it: `[3, 4]`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Describes any value briefly for a message: numbers and strings as themselves, arrays as lists. */
export function valueText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'object';
}
