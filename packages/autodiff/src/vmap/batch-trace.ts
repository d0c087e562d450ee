/**
 * The trace of `vmap`: each tracer stands for a batch of values, held as one tensor with an extra
 * batch axis (`batchDim`). A primitive applied to tracers runs once on the whole batch, through the
 * primitive's batching rule; nothing loops over the batch in JavaScript.
 */
import type { Backend } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import type { Primitive } from '../core/primitive.js';
import { Trace, withTrace } from '../core/trace.js';
import { Tensor } from '../tensor.js';

/** What a batch tracer carries: the batched value and the position of its batch axis. */
interface Payload {
  readonly value: Tensor;
  readonly batchDim: number;
}

/** The trace of one `vmap` call, over a batch of `size`. */
export class BatchTrace extends Trace {
  constructor(
    level: number,
    /** The length of the mapped axis. */
    readonly size: number,
    /** The name collectives (`lax.psum`, `lax.pmean`) use to refer to this mapped axis. */
    readonly axisName?: string,
  ) {
    super(level, 'vmap');
  }

  /** A tracer standing for the slices of `value` along `batchDim`. */
  tracer(value: Tensor, batchDim: number): Tensor {
    const shape = value.shape.filter((_, d) => d !== batchDim);
    return new Tensor(shape, value.dtype, this, { value, batchDim } satisfies Payload);
  }

  /** The batched value and batch axis of a tensor: `[x, null]` for tensors this trace does not map. */
  unpack(x: Tensor): [Tensor, number | null] {
    if (x._trace !== this) return [x, null];
    const { value, batchDim } = x._payload as Payload;
    return [value, batchDim];
  }

  override process<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
    const unpacked = inputs.map((x) => this.unpack(x));
    const rule = prim.batch;
    if (!rule)
      throw new TensorError(prim.name, 'has no batching rule, so it cannot be used under vmap');
    const [out, dim] = rule(
      unpacked.map(([v]) => v),
      unpacked.map(([, d]) => d),
      params,
    );
    return dim === null ? out : this.tracer(out, dim);
  }

  override concrete(tracer: Tensor): Tensor {
    throw new TensorError(
      'data',
      `cannot read the values of a ${avalText(tracer)} tensor traced by vmap: inside vmap a tensor stands for a whole batch; ` +
        'return it from the mapped function and read the result instead',
    );
  }

  override backendOf(tracer: Tensor): Backend {
    return (tracer._payload as Payload).value.backend;
  }
}

/** Runs `body` with a fresh batch trace over `size`, ending the trace however `body` exits. */
export function withBatchTrace<T>(
  size: number,
  axisName: string | undefined,
  body: (trace: BatchTrace) => T,
): T {
  return withTrace((level) => new BatchTrace(level, size, axisName), body);
}
