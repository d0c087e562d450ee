/** Reading the points to classify from the command line. */
import { UsageError } from '@equinox-ts/example-kit/cli';

/**
 * Parses `"x,y"` (e.g. `"0.5,-0.2"`) into two numbers, or throws a UsageError that quotes the text.
 *
 * @example
 * ```ts
 * parsePoint('0.5,-0.2'); // [0.5, -0.2]
 * ```
 */
export function parsePoint(text: string): [number, number] {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !numbers.every(Number.isFinite)) {
    throw new UsageError(
      `--point: expected two numbers separated by a comma, like 0.5,-0.2; found '${text}'`,
    );
  }
  return [numbers[0]!, numbers[1]!];
}
