/** The schedule type, and how a learning rate that may be a number or a schedule is read. */
import { Tensor, TensorError } from '@equinox-ts/autodiff';

/**
 * A schedule: the value of a hyperparameter (usually the learning rate) at step `count`, an int32
 * scalar tensor counting from 0 (Optax's `Schedule`). Written with tensor operations (`numpy.where`,
 * not `if`), so it works inside `jit`.
 *
 * @example
 * ```ts
 * const halving: Schedule = (count) => numpy.power(0.5, count.astype('float32'));
 * halving(numpy.array(2, { dtype: 'int32' })).item(); // 0.25
 * ```
 */
export type Schedule = (count: Tensor) => Tensor | number;

/**
 * A constant (a number or a scalar tensor) or a {@link Schedule}: what every learning rate accepts.
 *
 * @example
 * ```ts
 * const rates: ScalarOrSchedule[] = [1e-3, linearSchedule(1e-3, 0, 100)];
 * rates.length; // 2
 * ```
 */
export type ScalarOrSchedule = number | Tensor | Schedule;

/** Throws unless `value` is a finite number, a scalar tensor or a function. */
export function checkScalarOrSchedule(op: string, argument: string, value: unknown): void {
  const ok =
    (typeof value === 'number' && Number.isFinite(value)) ||
    (value instanceof Tensor && value.ndim === 0) ||
    typeof value === 'function';
  if (!ok) {
    throw new TensorError(
      op,
      `\`${argument}\` must be a finite number, a scalar tensor or a schedule (a function of the step count), found ${String(value)}`,
    );
  }
}

/** The value of `value` at step `count`. */
export function valueAt(value: ScalarOrSchedule, count: Tensor): Tensor | number {
  return typeof value === 'function' ? value(count) : value;
}
