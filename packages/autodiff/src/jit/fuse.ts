/**
 * Elementwise fusion of a recorded graph: each tree of elementwise equations whose intermediate values
 * are read once (and are not outputs) becomes one `fused` equation, run by the backend's fused kernel
 * in one pass with no arrays in between. Results do not change: the kernel rounds every step as its
 * own kernel would.
 */
import {
  BINARY_OPS,
  UNARY_OPS,
  type DType,
  type FusedProgram,
  type FusedStep,
} from '@equinox-ts/kernels';
import type { Primitive } from '../core/primitive.js';
import { type Equation, type Graph, lastUses } from './graph.js';

/** The primitive a fused group runs as; it exists only inside jit graphs. */
const fusedPrimitive: Primitive<FusedProgram> = {
  name: 'fused',
  shape: () => {
    throw new Error('internal: fused equations are made after tracing');
  },
  impl: (backend, inputs, program) => backend.fused(program, inputs),
};

/** The fused step an equation stands for, or null if it is not elementwise. */
function stepOf(eq: Equation): Omit<FusedStep, 'args'> | null {
  const name = eq.prim.name;
  if (Object.hasOwn(UNARY_OPS, name) || Object.hasOwn(BINARY_OPS, name) || name === 'where') {
    return { op: name as FusedStep['op'] };
  }
  if (name === 'cast') return { op: 'cast', dtype: eq.params as DType };
  return null;
}

/** A step's argument while a group is being built: an outside value, or an earlier step of the group. */
type Ref = { readonly input: number } | { readonly step: number };

interface Group {
  readonly inputs: number[];
  readonly steps: { readonly step: Omit<FusedStep, 'args'>; readonly args: Ref[] }[];
  readonly members: number[];
}

/** Copies `from`'s steps into `into`; returns the ref of `from`'s result there. */
function absorb(into: Group, from: Group): Ref {
  const offset = into.steps.length;
  for (const { step, args } of from.steps) {
    into.steps.push({
      step,
      args: args.map((ref) => ('step' in ref ? { step: ref.step + offset } : { input: ref.input })),
    });
  }
  into.members.push(...from.members);
  return { step: into.steps.length - 1 };
}

/** `graph` with its elementwise trees fused; unchanged when there is nothing to fuse. */
export function fuseElementwise(graph: Graph): Graph {
  const { equations, outputs } = graph;
  const uses = new Map<number, number>();
  for (const eq of equations) for (const v of eq.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const v of outputs) uses.set(v, Infinity); // outputs must exist as arrays
  const groupOf = new Map<number, Group>(); // by the value a group computes
  equations.forEach((eq, i) => {
    const step = stepOf(eq);
    if (!step) return;
    const group: Group = { inputs: [], steps: [], members: [] };
    const args = eq.inputs.map((v): Ref => {
      const inner = groupOf.get(v);
      if (inner && uses.get(v) === 1) {
        groupOf.delete(v);
        return absorb(group, inner);
      }
      return { input: v };
    });
    group.steps.push({ step, args });
    group.members.push(i);
    groupOf.set(eq.output, group);
  });

  const replaced = new Map<number, Equation>(); // root equation index -> fused equation
  const dropped = new Set<number>();
  for (const [output, group] of groupOf) {
    if (group.steps.length < 2) continue;
    const inputs: number[] = [];
    const slot = (v: number): number => {
      const at = inputs.indexOf(v);
      return at >= 0 ? at : inputs.push(v) - 1;
    };
    // Number the inputs first (in order of use), then the steps after them.
    for (const { args } of group.steps) for (const ref of args) if ('input' in ref) slot(ref.input);
    const program: FusedProgram = {
      steps: group.steps.map(({ step, args }) => ({
        ...step,
        args: args.map((ref) => ('input' in ref ? slot(ref.input) : inputs.length + ref.step)),
      })),
    };
    const root = group.members[group.members.length - 1]!;
    for (const m of group.members) if (m !== root) dropped.add(m);
    replaced.set(root, {
      prim: fusedPrimitive as Primitive<unknown>,
      params: program,
      inputs,
      output,
    });
  }
  if (replaced.size === 0) return graph;
  const fused = equations.flatMap((eq, i) => (dropped.has(i) ? [] : [replaced.get(i) ?? eq]));
  return { ...graph, equations: fused, lastUse: lastUses(graph.lastUse.length, fused, outputs) };
}
