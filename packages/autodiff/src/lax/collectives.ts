/**
 * Collectives over a named `vmap` axis: `psum` and `pmean` reduce a value over every example of the
 * batch, as JAX's do over a named mapped axis. Inside the mapped function the result is the same for
 * every example (it does not vary over the batch).
 */
import { TensorError, avalText } from '../core/errors.js';
import { runningTraces } from '../core/trace.js';
import { asarray, type ArrayLike } from '../numpy/convert.js';
import { sum } from '../numpy/reductions.js';
import type { Tensor } from '../tensor.js';
import { BatchTrace } from '../vmap/batch-trace.js';

function namedTrace(op: string, axisName: string): BatchTrace {
  if (typeof axisName !== 'string') {
    throw new TensorError(op, `axisName must be a string, found ${typeof axisName}`);
  }
  const traces = runningTraces();
  for (let i = traces.length - 1; i >= 0; i--) {
    const trace = traces[i]!;
    if (trace instanceof BatchTrace && trace.axisName === axisName) return trace;
  }
  const names = traces.flatMap((t) => (t instanceof BatchTrace && t.axisName ? [t.axisName] : []));
  throw new TensorError(
    op,
    `no vmap with axisName ${JSON.stringify(axisName)} is running` +
      (names.length > 0 ? ` (running: ${names.map((n) => JSON.stringify(n)).join(', ')})` : '') +
      `: call it inside vmap(f, { axisName: ${JSON.stringify(axisName)} })`,
  );
}

/**
 * Sums `x` over the `vmap` axis named `axisName`: every example gets the total over the batch. A value
 * that does not vary over the batch is multiplied by the batch size. Differentiable (with `grad`
 * outside the `vmap`).
 *
 * @example
 * ```ts
 * const share = (x: Tensor) => x.div(lax.psum(x, 'batch'));
 * vmap(share, { axisName: 'batch' })(numpy.array([1, 3])).tolist(); // [0.25, 0.75]
 * ```
 */
export function psum(x: ArrayLike, axisName: string): Tensor {
  return sumOver(namedTrace('psum', axisName), asarray(x), axisName);
}

function sumOver(trace: BatchTrace, t: Tensor, axisName: string): Tensor {
  if (t._trace === trace) {
    const [value, dim] = trace.unpack(t);
    return sum(value, { axis: dim! });
  }
  if (t._trace === null || t._trace.level < trace.level) return t.mul(trace.size);
  // A vmap nested inside the named one: reduce each of its examples, keeping its batch axis.
  if (t._trace instanceof BatchTrace) {
    const [value, dim] = t._trace.unpack(t);
    const reduced = sumOver(trace, value, axisName);
    return dim === null ? reduced : t._trace.tracer(reduced, dim);
  }
  throw new TensorError(
    'psum',
    `x (${avalText(t)}) is traced by ${t._trace.name}, which started inside the vmap named ` +
      `${JSON.stringify(axisName)}; reduce over the batch outside that ${t._trace.name}`,
  );
}

/**
 * The mean of `x` over the `vmap` axis named `axisName` (JAX's `lax.pmean`).
 *
 * @example
 * ```ts
 * const centre = (x: Tensor) => x.sub(lax.pmean(x, 'batch'));
 * vmap(centre, { axisName: 'batch' })(numpy.array([1, 2, 6])).tolist(); // [-2, -1, 3]
 * ```
 */
export function pmean(x: ArrayLike, axisName: string): Tensor {
  const trace = namedTrace('pmean', axisName);
  return psum(x, axisName).div(trace.size);
}
