/**
 * `debug.checkNaN`: finds the first primitive that produced a NaN (JAX's `jax_debug_nans`). The wrapped
 * function runs eagerly, one primitive at a time, forward and backward (`jit` inside it runs inline),
 * and every float output is read back and checked. Reads must be synchronous, so it works on backends
 * with `readSync` (cpu, gpujs), not on WebGPU: move the inputs to cpu with `devicePut` to debug there.
 */
import * as tree from '@equinox-ts/pytree';
import type { Backend } from '@equinox-ts/kernels';
import { getDefaultBackend } from '../core/default-backend.js';
import { isFloatDtype } from '../core/dtype.js';
import { TensorError, avalText, shapeText } from '../core/errors.js';
import { bind, setEagerObserver, type Primitive } from '../core/primitive.js';
import { Trace, isTracing, withTrace } from '../core/trace.js';
import { Tensor } from '../tensor.js';
import { stackTrace } from './stack.js';
import { requireBooleanOption, requireFunction, requireOptions } from '../transform-arguments.js';

/**
 * Options of {@link checkNaN}.
 *
 * @example
 * ```ts
 * const options: CheckNaNOptions = { checkInf: true, checkInputs: false };
 * ```
 */
export interface CheckNaNOptions {
  /** Also stop at the first `Infinity` or `-Infinity` (default false: only NaN). */
  checkInf?: boolean;
  /** Check the arguments for NaN before running the function (default true). */
  checkInputs?: boolean;
}

/**
 * Thrown by a function wrapped with {@link checkNaN} when a NaN (or an infinity, with `checkInf`)
 * appears: `primitive` is the primitive that produced it, or `null` when it came in through the
 * arguments or from a tensor made outside the function (a closure).
 *
 * @example
 * ```ts
 * try {
 *   debug.checkNaN((x: Tensor) => numpy.log(x))(numpy.array([1, -1]));
 * } catch (e) {
 *   if (e instanceof debug.NaNError) e.primitive; // 'log'
 * }
 * ```
 */
export class NaNError extends TensorError {
  /**
   * @param primitive - the primitive that produced the bad value, or null when it came from outside.
   * @param inputs - that primitive's input shapes and dtypes.
   * @param detail - the message after `checkNaN: `.
   */
  constructor(
    /** The primitive whose output first held the bad value; null when it came from outside. */
    readonly primitive: string | null,
    /** The shapes and dtypes of that primitive's inputs, as `float32[2, 3]`. */
    readonly inputs: readonly string[],
    detail: string,
  ) {
    super('checkNaN', detail);
    this.name = 'NaNError';
  }
}

/** The trace that keeps values concrete but makes `jit` inside the checked function run inline. */
class CheckTrace extends Trace {
  constructor(level: number) {
    super(level, 'checkNaN');
  }

  wrap(value: Tensor): Tensor {
    return new Tensor(value.shape, value.dtype, this, value);
  }

  unwrap(x: Tensor): Tensor {
    return x._trace === this ? (x._payload as Tensor) : x;
  }

  override process<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
    // The primitive runs eagerly one level down, where the observer checks it.
    return this.wrap(
      bind(
        prim,
        inputs.map((x) => this.unwrap(x)),
        params,
      ),
    );
  }

  override concrete(tracer: Tensor): Tensor {
    return tracer._payload as Tensor;
  }

  override backendOf(tracer: Tensor): Backend {
    return (tracer._payload as Tensor).backend;
  }
}

/** Throws unless `backend` can read synchronously, which checking every output needs. */
function requireSyncReads(backend: Backend, what: string): void {
  if (backend.readSync) return;
  throw new TensorError(
    'checkNaN',
    `it reads ${what} synchronously, and the ${backend.name} backend reads only asynchronously; run ` +
      `the function on a backend with synchronous reads (cpu, gpujs), e.g. move its arguments there ` +
      `with devicePut(args, cpu)`,
  );
}

/** The elements of float tensor `x`, read synchronously. */
function values(op: string, x: Tensor): ArrayLike<number> {
  const array = x._array(op);
  requireSyncReads(array.backend, `every output of ${op}`);
  return array.backend.readSync!(array);
}

/** The flat index of the first NaN (or infinity, when `inf`) in `x`, or -1. */
function firstBad(op: string, x: Tensor, inf: boolean): number {
  if (!isFloatDtype(x.dtype)) return -1;
  const data = values(op, x);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v) || (inf && !Number.isFinite(v))) return i;
  }
  return -1;
}

/** The bad element for a message: `NaN at index [1, 0]`. */
function badText(x: Tensor, flat: number): string {
  const value = values('checkNaN', x)[flat]!;
  const index: number[] = [];
  for (let d = x.shape.length - 1, rest = flat; d >= 0; d--) {
    index.unshift(rest % x.shape[d]!);
    rest = Math.floor(rest / x.shape[d]!);
  }
  return `${String(value)} at index ${shapeText(index)}`;
}

// Frames of this package, of node and of test runners are not where the user's code is.
const LIBRARY_FRAME =
  /[\\/]autodiff[\\/](src|dist)[\\/]|@equinox-ts[\\/]autodiff|node_modules|node:|<anonymous>/;

// The backward pass runs `node.backward` from `backwardPass` in grad/reverse (a hint: bundlers may rename).
const BACKWARD_FRAME = /backward.*[\\/]grad[\\/]reverse\.[jt]s/;

/** The first stack frame in the user's code, and whether a backward pass is running. */
function whereCalled(): { frame: string | null; backward: boolean } {
  const stack = stackTrace(200);
  const frames = stack.split('\n').slice(1);
  const frame = frames
    .find((line) => !LIBRARY_FRAME.test(line))
    ?.trim()
    .replace(/^at /, '');
  return { frame: frame ?? null, backward: frames.some((line) => BACKWARD_FRAME.test(line)) };
}

function checkOutput(name: string, inputs: readonly Tensor[], output: Tensor, inf: boolean): void {
  const flat = firstBad(name, output, inf);
  if (flat < 0) return;
  const kind = inf ? 'NaN or infinity' : 'NaN';
  const avals = inputs.map((x) => avalText(x));
  const { frame, backward } = whereCalled();
  const at =
    (backward ? ', in the backward pass of the grad/vjp' : '') +
    (frame ? `${backward ? '' : ','} called at ${frame}` : '');
  const dirty = inputs.findIndex((x) => firstBad(name, x, inf) >= 0);
  if (dirty >= 0) {
    // Every output made under checkNaN was checked, so this value came in from outside.
    const input = inputs[dirty]!;
    throw new NaNError(
      null,
      avals,
      `input ${dirty} of ${name} (${avals[dirty]}) already held ${badText(input, firstBad(name, input, inf))}, ` +
        `which no checked primitive produced: it came from outside, from a tensor made outside the ` +
        `checked function (a closed-over value) or an argument (with checkInputs: false); expected no ` +
        `${kind}${at}`,
    );
  }
  throw new NaNError(
    name,
    avals,
    `${name} produced ${badText(output, flat)} of its ${avalText(output)} output from inputs ` +
      `${avals.join(', ') || '(none)'} that held no ${kind}${at}`,
  );
}

function checkArguments(args: readonly unknown[], inf: boolean): void {
  for (const [path, leaf] of tree.flattenWithPath(args)[0]) {
    if (!(leaf instanceof Tensor)) continue;
    const flat = firstBad('checkNaN', leaf, inf);
    if (flat < 0) continue;
    throw new NaNError(
      null,
      [],
      `argument ${tree.keystr(path).replace(/^\[(\d+)\]/, '$1')} (${avalText(leaf)}) holds ` +
        `${badText(leaf, flat)} before any primitive ran: it came in through the inputs`,
    );
  }
}

/**
 * Wraps `f` so that a NaN stops it at the primitive that made it (JAX's `jax_debug_nans`, Equinox's
 * NaN hunting): every primitive runs eagerly, forward and in the backward passes of `grad`/`vjp`
 * called inside `f`, `jit` inside `f` runs inline, and each float output is read and checked. The
 * {@link NaNError} names the primitive, its input shapes, the first bad element and the line of
 * your code that called it. A NaN already in the arguments, or in a closed-over tensor, is reported
 * as coming from outside. Slow: a debugging tool, not for training runs. Needs a backend with
 * synchronous reads (cpu, gpujs); put `grad` and `jit` inside `f`, not around it.
 *
 * @example
 * ```ts
 * const loss = (w: Tensor) => numpy.sum(numpy.sqrt(w));
 * const safe = debug.checkNaN(grad(loss));
 * safe(numpy.array([1, 4])).tolist(); // [0.5, 0.25]
 * try {
 *   safe(numpy.array([4, -1]));
 * } catch (e) {
 *   if (e instanceof debug.NaNError) e.primitive; // 'sqrt'
 * }
 * ```
 */
export function checkNaN<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  options: CheckNaNOptions = {},
): (...args: Args) => Out {
  requireFunction('checkNaN', 'f', f);
  requireOptions('checkNaN', options);
  requireBooleanOption('checkNaN', 'checkInf', options.checkInf);
  requireBooleanOption('checkNaN', 'checkInputs', options.checkInputs);
  const inf = options.checkInf ?? false;
  return (...args: Args): Out => {
    if (isTracing('jit')) {
      throw new TensorError(
        'checkNaN',
        'it cannot read values while jit traces (jit(checkNaN(f))); put jit inside instead: checkNaN(jit(f))',
      );
    }
    const tensors = tree.leaves(args).filter((l): l is Tensor => l instanceof Tensor);
    const backend = tensors[0]?.backend ?? getDefaultBackend();
    requireSyncReads(backend, 'every primitive output');
    if (options.checkInputs ?? true) checkArguments(args, inf);
    const previous = setEagerObserver((name, inputs, output) => {
      previous?.(name, inputs, output);
      checkOutput(name, inputs, output, inf);
    });
    try {
      return withTrace(
        (level) => new CheckTrace(level),
        (trace) => {
          const wrapped = tree.map(
            (leaf: unknown) => (leaf instanceof Tensor ? trace.wrap(leaf) : leaf),
            args,
          );
          const out = f(...wrapped);
          return tree.map<Out>(
            (leaf: unknown) => (leaf instanceof Tensor ? trace.unwrap(leaf) : leaf),
            out,
          );
        },
      );
    } finally {
      setEagerObserver(previous);
    }
  };
}
