/** `jit` and `filterJit`: trace a function once per input signature into a graph, then replay it. */
import * as tree from '@equinox-ts/pytree';
import type { Backend, BackendArray } from '@equinox-ts/kernels';
import { getDefaultBackend } from '../core/default-backend.js';
import { TensorError, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { type Graph, replay } from './graph.js';
import { fuseElementwise } from './fuse.js';
import { withJitTrace } from './jit-trace.js';
import { signatureKey } from './signature.js';
import { argnumsOption, requireFunction, requireOptions } from '../transform-arguments.js';

/** A traced function, ready to replay. */
interface Compiled {
  readonly graph: Graph;
  readonly backend: Backend;
  readonly outDef: tree.TreeDef;
  /** For each output leaf: the index of its graph output, or the static value itself. */
  readonly outLeaves: readonly ({ output: number } | { value: unknown })[];
}

/** Which leaves are traced: tensors always; `strict` (jit) allows only numbers and booleans besides. */
function checkLeaves(op: string, pairs: readonly [tree.KeyPath, unknown][], strict: boolean): void {
  if (!strict) return;
  for (const [path, leaf] of pairs) {
    const ok =
      leaf instanceof Tensor ||
      typeof leaf === 'number' ||
      typeof leaf === 'boolean' ||
      typeof leaf === 'string';
    if (!ok) {
      throw new TensorError(
        op,
        `argument ${tree.keystr(path).replace(/^\[(\d+)\]/, '$1')} is ${valueText(leaf)}; jit takes tensors, numbers, ` +
          `booleans and strings (use filterJit for trees that hold functions or other objects)`,
      );
    }
  }
}

function commonBackend(op: string, tensors: readonly Tensor[]): Backend {
  const backend = tensors[0]?.backend ?? getDefaultBackend();
  for (const t of tensors) {
    if (t.backend !== backend) {
      throw new TensorError(
        op,
        `inputs live on different backends (${backend.name} and ${t.backend.name})`,
      );
    }
  }
  return backend;
}

function compile<Args extends unknown[]>(
  f: (...args: Args) => unknown,
  leaves: readonly unknown[],
  def: tree.TreeDef,
  backend: Backend,
): Compiled {
  const tensors = leaves.filter((l): l is Tensor => l instanceof Tensor);
  return withJitTrace(backend, tensors, (trace) => {
    const tracers = trace.inputTracers();
    let next = 0;
    const args = tree.unflatten<Args>(
      def,
      leaves.map((leaf) => (leaf instanceof Tensor ? tracers[next++] : leaf)),
    );
    const out = f(...args);
    const [outLeafValues, outDef] = tree.flatten(out) as [unknown[], tree.TreeDef];
    const outTensors: Tensor[] = [];
    const outLeaves = outLeafValues.map((leaf) =>
      leaf instanceof Tensor ? { output: outTensors.push(leaf) - 1 } : { value: leaf },
    );
    return { graph: fuseElementwise(trace.finish(outTensors)), backend, outDef, outLeaves };
  });
}

/**
 * Options of {@link jit} and {@link filterJit}.
 *
 * @example
 * ```ts
 * const options: JitOptions = { donateArgnums: [0] };
 * ```
 */
export interface JitOptions {
  /**
   * Arguments whose tensors the call may consume (JAX's `donate_argnums`): after the call their memory
   * is handed back to the backend for reuse, and using them again throws. Donate the old parameters of
   * a training step (`params = step(params, batch)`), so the new ones reuse their memory.
   */
  donateArgnums?: number | readonly number[];
}

/** Releases the tensors of the donated arguments, except arrays the call still needs or returns. */
function releaseDonated(
  args: readonly unknown[],
  donate: readonly number[],
  keep: ReadonlySet<BackendArray>,
  backend: Backend,
): void {
  const released = new Set<BackendArray>(); // a tensor passed twice is released once
  for (const n of donate) {
    for (const leaf of tree.leaves(args[n]) as unknown[]) {
      if (!(leaf instanceof Tensor)) continue;
      const array = leaf._array('jit');
      if (keep.has(array) || released.has(array)) continue;
      released.add(array);
      backend.release(array);
    }
  }
}

function makeJit<Args extends unknown[], Out>(
  op: string,
  f: (...args: Args) => Out,
  strict: boolean,
  options: JitOptions,
): (...args: Args) => Out {
  requireFunction(op, 'f', f);
  requireOptions(op, options);
  const donate = argnumsOption(op, 'donateArgnums', options.donateArgnums);
  // One cache per backend: a compiled graph holds constants uploaded to the backend it was traced on.
  const caches = new WeakMap<Backend, Map<string, Compiled>>();
  return (...args: Args): Out => {
    const outside = donate.find((n) => n >= args.length);
    if (outside !== undefined) {
      throw new TensorError(
        op,
        `donateArgnums ${outside} is out of range: expected an index below ${args.length}, the number of arguments given`,
      );
    }
    const [pairs, def] = tree.flattenWithPath(args);
    checkLeaves(op, pairs, strict);
    const leaves = pairs.map(([, leaf]) => leaf as unknown);
    const tensors = leaves.filter((l): l is Tensor => l instanceof Tensor);
    // Called by another transformation (grad, vmap, or an enclosing jit): run the function inline, so
    // that transformation sees (and differentiates, batches or records) its operations.
    if (tensors.some((t) => t._trace !== null)) return f(...args);
    const backend = commonBackend(op, tensors);
    const key = signatureKey(def.key, leaves);
    let cache = caches.get(backend);
    if (!cache) caches.set(backend, (cache = new Map<string, Compiled>()));
    let compiled = cache.get(key);
    if (!compiled) {
      compiled = compile(f, leaves, def, backend);
      cache.set(key, compiled);
    }
    const arrays = replay(
      compiled.graph,
      backend,
      tensors.map((t) => t._array(op)),
    );
    const outs = compiled.outLeaves.map((leaf) =>
      'output' in leaf ? Tensor._fromArray(arrays[leaf.output]!) : leaf.value,
    );
    if (donate.length > 0) {
      // Keep what the result holds, the graph's constants, and inputs also passed undonated.
      const kept = new Set<BackendArray>([...arrays, ...compiled.graph.constants]);
      args.forEach((arg, n) => {
        if (donate.includes(n)) return;
        for (const leaf of tree.leaves(arg) as unknown[])
          if (leaf instanceof Tensor) kept.add(leaf._array(op));
      });
      releaseDonated(args, donate, kept, backend);
    }
    return tree.unflatten<Out>(compiled.outDef, outs);
  };
}

/**
 * Compiles `f`: the first call with a given signature (tree structure, tensor shapes and dtypes, and
 * the values of number, boolean and string leaves) traces `f` into a graph of primitives; later calls
 * with that signature replay the graph without running `f` again. Inside `f`, tensors have no values:
 * branch with `numpy.where`, not `if`. Composes with `grad` and `vmap` in both orders (`jit(grad(f))`
 * compiles the backward pass too).
 *
 * @example
 * ```ts
 * const step = jit((w: Tensor, x: Tensor) => w.sub(grad((v: Tensor) => v.mul(x).square().sum())(w).mul(0.1)));
 * step(numpy.array([1, 2]), numpy.array([1, 1])).tolist(); // [0.800000011920929, 1.600000023841858]
 * step(numpy.array([3, 4]), numpy.array([1, 1])).tolist(); // [2.4000000953674316, 3.200000047683716]
 *
 * // A training loop that gives the old parameters' memory to the new ones.
 * const update = jit((w: Tensor, g: Tensor) => w.sub(g.mul(0.1)), { donateArgnums: 0 });
 * let w = numpy.ones([3]);
 * for (let i = 0; i < 3; i++) w = update(w, numpy.ones([3]));
 * w.tolist(); // [0.6999999284744263, 0.6999999284744263, 0.6999999284744263]
 * ```
 */
export function jit<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  options: JitOptions = {},
): (...args: Args) => Out {
  return makeJit('jit', f, true, options);
}

/**
 * Equinox's `filter_jit`: like {@link jit}, but any leaf that is not a tensor (a function, a string,
 * a number, a whole object) is static: it is part of the signature (by value for numbers, strings
 * and booleans, by identity for objects and functions) and passed to `f` as it is. This is how a
 * model that mixes parameters with other values is compiled.
 *
 * @example
 * ```ts
 * const model = { w: numpy.array([2]), activation: numpy.tanh };
 * const apply = filterJit((m: typeof model, x: Tensor) => m.activation(m.w.mul(x)));
 * apply(model, numpy.array([0])).tolist(); // [0]
 * ```
 */
export function filterJit<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  options: JitOptions = {},
): (...args: Args) => Out {
  return makeJit('filterJit', f, false, options);
}
