/** Which backend new tensors live on when no backend is named. */
import { cpu, type Backend } from '@equinox-ts/kernels';

let current: Backend = cpu;

/**
 * The backend that new tensors are made on when no `backend` option is given: the CPU backend unless
 * {@link setDefaultBackend} chose another.
 *
 * @example
 * ```ts
 * getDefaultBackend().name; // 'cpu'
 * ```
 */
export function getDefaultBackend(): Backend {
  return current;
}

/**
 * Makes `backend` the one new tensors are made on. Tensors already made stay where they are; an
 * operation on tensors from two backends is an error (move one with {@link devicePut}).
 *
 * @example
 * ```ts
 * const backend = getDefaultBackend();
 * setDefaultBackend(backend);
 * numpy.zeros([2]).backend === backend; // true
 * ```
 */
export function setDefaultBackend(backend: Backend): void {
  current = backend;
}
