/** Hyperparameter checks shared by the trust-ratio and memory-efficient optimisers. */
import { TensorError } from '@equinox-ts/autodiff';

/** Throws unless `value` is a finite number in `[low, high]` (either bound may be open). */
export function checkInRange(
  op: string,
  argument: string,
  value: unknown,
  low: number,
  high: number,
  { openLow = false, openHigh = false } = {},
): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (openLow ? value > low : value >= low) &&
    (openHigh ? value < high : value <= high);
  if (!ok) {
    const range = `${openLow ? '(' : '['}${low}, ${high}${openHigh ? ')' : ']'}`;
    throw new TensorError(
      op,
      `\`${argument}\` must be a number in ${range}, found ${String(value)}`,
    );
  }
}

/** Throws unless `value` is a finite number, at least `low` when given. */
export function checkFinite(op: string, argument: string, value: unknown, low = -Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low) {
    const bound = low === -Infinity ? '' : ` >= ${low}`;
    throw new TensorError(
      op,
      `\`${argument}\` must be a finite number${bound}, found ${String(value)}`,
    );
  }
}

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(op: string, argument: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TensorError(
      op,
      `\`${argument}\` must be a finite number > 0, found ${String(value)}`,
    );
  }
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(op: string, argument: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new TensorError(op, `\`${argument}\` must be a boolean, found ${String(value)}`);
  }
}

/** Throws unless `value` is an integer, at least `low`. */
export function checkInteger(op: string, argument: string, value: unknown, low: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low) {
    throw new TensorError(
      op,
      `\`${argument}\` must be an integer >= ${low}, found ${String(value)}`,
    );
  }
}

/** Throws unless `params` were passed to `update`. */
export function requireParams(op: string, params: unknown): void {
  if (params === undefined) {
    throw new TensorError(op, 'update needs the params (update(updates, state, params))');
  }
}
