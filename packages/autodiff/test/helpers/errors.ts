/** Test helpers for error messages. */
import { TensorError } from '../../src/index.js';

/** Calls `run`, expects it to throw a TensorError, and returns the error's message. */
export function tensorErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(TensorError);
    return (e as TensorError).message;
  }
  throw new Error('expected a TensorError, but nothing was thrown');
}
