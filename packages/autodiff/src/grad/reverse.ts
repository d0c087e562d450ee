/**
 * Reverse mode: the trace that records operations while a function runs under `grad`/`vjp`, and the
 * backward pass that walks the record from the output to the inputs. The record is a graph hanging off
 * the output tracers (there is no global tape), so it is garbage as soon as the transformation returns.
 */
import type { Backend } from '@equinox-ts/kernels';
import { isFloatDtype } from '../core/dtype.js';
import { TensorError, avalText } from '../core/errors.js';
import { bind, type Primitive } from '../core/primitive.js';
import { Trace, withTrace } from '../core/trace.js';
import { Tensor } from '../tensor.js';
import { binary } from '../primitives/elementwise.js';

/**
 * One recorded operation (or an input, which has no parents). `backward` maps the cotangents of the
 * node's outputs (null = zero) to those of its inputs; each input is a `[node, output index]` pair, or
 * null for an input this trace does not track.
 */
export interface Node {
  /** What made the node, for messages: a primitive's name, `'customVjp'`, or `'input'`. */
  readonly name: string;
  readonly parents: readonly (readonly [Node, number] | null)[];
  readonly outputs: readonly Tensor[];
  readonly backward:
    ((cotangents: readonly (Tensor | null)[]) => readonly (Tensor | null)[]) | null;
}

/** What a reverse-mode tracer carries: the value it stands for and the node that made it. */
interface Payload {
  readonly primal: Tensor;
  readonly node: Node;
  readonly index: number;
}

/** The trace of one `grad`/`vjp` call. */
export class ReverseTrace extends Trace {
  /** The value a tensor stands for at the level below this trace. */
  primal(x: Tensor): Tensor {
    return x._trace === this ? (x._payload as Payload).primal : x;
  }

  /** The node and output index of one of this trace's tracers; null for other tensors. */
  parentOf(x: Tensor): readonly [Node, number] | null {
    if (x._trace !== this) return null;
    const { node, index } = x._payload as Payload;
    return [node, index];
  }

  /** A tracer for `primal`, made by output `index` of `node`. */
  tracer(primal: Tensor, node: Node, index = 0): Tensor {
    const payload: Payload = { primal, node, index };
    return new Tensor(primal.shape, primal.dtype, this, payload);
  }

  /** Starts tracking `primal` as an input of the differentiated function. */
  input(primal: Tensor): Tensor {
    return this.tracer(primal, { name: 'input', parents: [], outputs: [primal], backward: null });
  }

  override process<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
    const primals = inputs.map((x) => this.primal(x));
    const out = bind(prim, primals, params);
    const vjp = prim.vjp;
    // Outputs with no derivative (ints, bools, floor, comparisons) are not recorded: they are constants.
    if (!vjp || !isFloatDtype(out.dtype)) return out;
    const parents = inputs.map((x) => this.parentOf(x));
    const needed = parents.map((parent) => parent !== null);
    const node: Node = {
      name: prim.name,
      parents,
      outputs: [out],
      backward: ([ct]) => (ct ? vjp(ct, primals, out, params, needed) : primals.map(() => null)),
    };
    return this.tracer(out, node);
  }

  override concrete(tracer: Tensor): Tensor {
    return (tracer._payload as Payload).primal;
  }

  override backendOf(tracer: Tensor): Backend {
    return (tracer._payload as Payload).primal.backend;
  }
}

/** Runs `body` with a fresh reverse trace, ending the trace however `body` exits. */
export function withReverseTrace<T>(name: string, body: (trace: ReverseTrace) => T): T {
  return withTrace((level) => new ReverseTrace(level, name), body);
}

/** Every node reachable from `roots`, each after all nodes that use its outputs. */
function reverseTopologicalOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const state = new Map<Node, 'open' | 'done'>();
  for (const root of roots) {
    if (state.has(root)) continue;
    // Iterative depth-first search: deep graphs (long loops) must not overflow the call stack.
    const stack: [Node, number][] = [[root, 0]];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      if (next < node.parents.length) {
        top[1]++;
        const parent = node.parents[next]?.[0];
        if (parent && !state.has(parent)) {
          state.set(parent, 'open');
          stack.push([parent, 0]);
        }
      } else {
        stack.pop();
        state.set(node, 'done');
        order.push(node);
      }
    }
  }
  return order.reverse();
}

/**
 * The backward pass: given cotangents for some tracers of `trace` (the function's outputs), the
 * cotangents of `inputs` (tracers made by {@link ReverseTrace.input}); null where an input got none.
 */
export function backwardPass(
  trace: ReverseTrace,
  seeds: readonly (readonly [Tensor, Tensor])[],
  inputs: readonly Tensor[],
): (Tensor | null)[] {
  const cotangents = new Map<Node, (Tensor | null)[]>();
  const accumulate = (node: Node, index: number, ct: Tensor): void => {
    let slots = cotangents.get(node);
    if (!slots) cotangents.set(node, (slots = node.outputs.map(() => null)));
    const previous = slots[index];
    slots[index] = previous ? binary('add', previous, ct) : ct;
  };
  const roots: Node[] = [];
  for (const [output, ct] of seeds) {
    const parent = trace.parentOf(output);
    if (!parent) continue;
    accumulate(parent[0], parent[1], ct);
    roots.push(parent[0]);
  }
  const inputNodes = new Set(inputs.map((x) => trace.parentOf(x)![0]));
  const results = new Map<Node, Tensor | null>();
  for (const node of reverseTopologicalOrder(roots)) {
    const slots = cotangents.get(node);
    cotangents.delete(node); // free each cotangent once it has been passed on
    if (inputNodes.has(node)) {
      results.set(node, slots?.[0] ?? null);
      continue;
    }
    if (!slots || !node.backward) continue;
    const grads = node.backward(slots);
    node.parents.forEach((parent, i) => {
      const g = grads[i];
      if (!parent || !g) return;
      const expected = parent[0].outputs[parent[1]]!;
      if (
        g.dtype !== expected.dtype ||
        g.shape.length !== expected.shape.length ||
        g.shape.some((n, d) => n !== expected.shape[d])
      ) {
        throw new TensorError(
          node.name,
          `its VJP rule returned a cotangent of ${avalText(g)} for an input of ${avalText(expected)}`,
        );
      }
      accumulate(parent[0], parent[1], g);
    });
  }
  return inputs.map((x) => results.get(trace.parentOf(x)![0]) ?? null);
}
