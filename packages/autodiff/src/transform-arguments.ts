/**
 * Checks of what the transformations (grad, vmap, jit, checkNaN, ...) are given, made when the
 * transformation is applied rather than when its result is first called: `grad(3)` fails on its own
 * line, with a message naming the transformation, instead of later as JavaScript's "f is not a function".
 */
import { TensorError, valueText } from './core/errors.js';

/** Throws unless `value`, the argument called `argument` of `op`, is a function. */
export function requireFunction(op: string, argument: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TensorError(
      op,
      `argument ${argument}: expected a function, found ${valueText(value)}`,
    );
  }
}

/** Throws unless `options` is absent or an object (not an array, a number, a string...). */
export function requireOptions(op: string, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TensorError(
      op,
      `argument options: expected an object of options, found ${valueText(options)}`,
    );
  }
}

/** Throws unless the option `name` is absent or a boolean. */
export function requireBooleanOption(op: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TensorError(op, `option ${name}: expected a boolean, found ${valueText(value)}`);
  }
}

const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * The argument indices of an `argnums`-like option (one index or a list of them), each a
 * non-negative integer; `[]` when absent. Whether they are below the argument count is checked
 * at call time, when the count is known.
 */
export function argnumsOption(op: string, name: string, value: unknown): number[] {
  if (value === undefined) return [];
  const list: unknown[] | null =
    typeof value === 'number' ? [value] : Array.isArray(value) ? value : null;
  if (list === null || !list.every(isIndex)) {
    throw new TensorError(
      op,
      `option ${name}: expected a non-negative integer or a list of them, found ${valueText(value)}`,
    );
  }
  return list;
}
