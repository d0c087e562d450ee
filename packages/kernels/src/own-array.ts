/** The one ownership check of every backend: an argument must be a live array of that backend. */
import type { Backend, BackendArray } from './backend.js';
import { KernelError } from './errors.js';

/**
 * `x` as an array of `backend` (an instance of `type`), or a KernelError naming the kernel and the
 * argument: one from another backend, or another instance of the same one, or not an array at all, or
 * released.
 */
export function ownArray<T extends BackendArray & { released: boolean }>(
  kernel: string,
  argument: string,
  x: unknown,
  backend: Backend,
  type: abstract new (...args: never[]) => T,
): T {
  if (!(x instanceof type) || x.backend !== backend) {
    const found =
      x instanceof type
        ? `an array of another ${backend.name} backend instance`
        : x !== null && typeof x === 'object' && 'backend' in x
          ? `an array of the ${String((x as BackendArray).backend?.name)} backend`
          : String(x);
    throw new KernelError(
      kernel,
      `\`${argument}\` must be an array of this ${backend.name} backend, found ${found}`,
    );
  }
  if (x.released) throw new KernelError(kernel, `\`${argument}\` was released and cannot be used`);
  return x;
}
