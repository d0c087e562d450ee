/** Equinox's `eqx.debug` trace counters: make retracing visible. */
import { TensorError, valueText } from '../core/errors.js';
import { isTracing } from '../core/trace.js';
import { requireFunction } from '../transform-arguments.js';

const counts = new WeakMap<object, number>();

/**
 * Wraps `f` so that tracing it (running it inside `jit`) more than `maxTraces` times throws. Put it
 * inside the `jit` to catch accidental retracing, e.g. a shape or a static value that changes every
 * call.
 *
 * @example
 * ```ts
 * const f = jit(debug.assertMaxTraces((x: Tensor) => x.mul(2), 1));
 * f(numpy.ones([2]));
 * f(numpy.ones([2])); // same signature: replayed, not traced again
 * debug.getNumTraces(f) === undefined; // true (ask the wrapped function, not the jitted one)
 * ```
 */
export function assertMaxTraces<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  maxTraces: number,
): (...args: Args) => Out {
  requireFunction('assertMaxTraces', 'f', f);
  if (!(Number.isInteger(maxTraces) && maxTraces >= 0)) {
    throw new TensorError(
      'assertMaxTraces',
      `argument maxTraces: expected a non-negative integer, found ${valueText(maxTraces)}`,
    );
  }
  const wrapped = (...args: Args): Out => {
    if (isTracing('jit')) {
      const count = (counts.get(wrapped) ?? 0) + 1;
      counts.set(wrapped, count);
      if (count > maxTraces) {
        throw new TensorError(
          'assertMaxTraces',
          `the function was traced ${count} times, more than the ${maxTraces} allowed: something in its ` +
            `signature (a shape, a dtype, a static value, an object's identity) changes between calls`,
        );
      }
    }
    return f(...args);
  };
  counts.set(wrapped, 0);
  return wrapped;
}

/**
 * How many times a function wrapped by {@link assertMaxTraces} has been traced; `undefined` for other
 * functions.
 *
 * @example
 * ```ts
 * const inner = debug.assertMaxTraces((x: Tensor) => x.add(1), 2);
 * const f = jit(inner);
 * f(numpy.ones([2]));
 * f(numpy.ones([3])); // a new shape: traced again
 * debug.getNumTraces(inner); // 2
 * ```
 */
export function getNumTraces(f: object): number | undefined {
  return counts.get(f);
}
