/** Validation of the thresholds that clipping and the wrappers take. */
import { Tensor, TensorError } from '@equinox-ts/autodiff';

/** Throws unless `value` is a number in the range that `lower` and `inclusive` describe, or a scalar tensor. */
export function checkBound(
  op: string,
  argument: string,
  value: unknown,
  lower: number,
  inclusive: boolean,
): void {
  if (value instanceof Tensor && value.ndim === 0) return;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (inclusive ? value >= lower : value > lower);
  if (!ok) {
    throw new TensorError(
      op,
      `\`${argument}\` must be a finite number ${inclusive ? '>=' : '>'} ${lower} (or a scalar tensor), found ${String(value)}`,
    );
  }
}
