/**
 * The trace of `jit`: tracers are abstract (a shape and a dtype, no values), and every primitive
 * applied to them is recorded as an equation of a graph instead of being run.
 */
import type { Backend, BackendArray } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import { type Aval, type Primitive } from '../core/primitive.js';
import { Trace, withTrace } from '../core/trace.js';
import { Tensor } from '../tensor.js';
import { type Equation, type Graph, lastUses } from './graph.js';

/** What a jit tracer carries: the number of the graph value it stands for. */
interface Payload {
  readonly value: number;
}

/** The trace of one `jit` compilation. */
export class JitTrace extends Trace {
  private readonly avals: Aval[] = [];
  private readonly constants: BackendArray[] = [];
  private readonly constantIds = new Map<BackendArray, number>();
  private readonly equations: Equation[] = [];
  private readonly inputCount: number;

  constructor(
    level: number,
    readonly backend: Backend,
    inputs: readonly Aval[],
  ) {
    super(level, 'jit');
    this.avals.push(...inputs);
    this.inputCount = inputs.length;
  }

  /** The tracers of the graph's inputs. */
  inputTracers(): Tensor[] {
    return this.avals.slice(0, this.inputCount).map((aval, i) => this.tracer(aval, i));
  }

  private tracer(aval: Aval, value: number): Tensor {
    return new Tensor(aval.shape, aval.dtype, this, { value } satisfies Payload);
  }

  /** The graph value of a tensor: a tracer's own, or a constant for a concrete tensor. */
  private valueId(op: string, x: Tensor): number {
    if (x._trace === this) return (x._payload as Payload).value;
    if (x._trace !== null) {
      throw new TensorError(
        op,
        `jit: the function uses a tensor traced by an enclosing ${x._trace.name} that is not one of its ` +
          `arguments (a closure); pass it as an argument instead`,
      );
    }
    const array = x._array(op);
    if (array.backend !== this.backend) {
      throw new TensorError(
        op,
        `jit: a constant lives on the ${array.backend.name} backend, the inputs on ${this.backend.name}`,
      );
    }
    let id = this.constantIds.get(array);
    if (id === undefined) {
      id = -1 - this.constants.length; // renumbered after the inputs when the graph is finished
      this.constants.push(array);
      this.constantIds.set(array, id);
    }
    return id;
  }

  override process<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
    const ids = inputs.map((x) => this.valueId(prim.name, x));
    const aval = prim.shape(inputs, params);
    const value = this.avals.length;
    this.avals.push(aval);
    this.equations.push({ prim: prim as Primitive<unknown>, params, inputs: ids, output: value });
    return this.tracer(aval, value);
  }

  override concrete(tracer: Tensor): Tensor {
    throw new TensorError(
      'data',
      `cannot read the values of a ${avalText(tracer)} tensor inside jit: jit records operations without ` +
        `running them, so JavaScript cannot branch on or print traced values. Make the value static (a ` +
        `number, or a non-tensor leaf under filterJit), compute it outside the jitted function, or use ` +
        `numpy.where instead of an if`,
    );
  }

  override backendOf(): Backend {
    return this.backend;
  }

  /** The graph with `outputs` as its results (tensors of this trace, or constants). */
  finish(outputs: readonly Tensor[]): Graph {
    const outputIds = outputs.map((t) => this.valueId('jit', t));
    // Values: inputs, then constants, then equation outputs (shifted past the constants).
    const shift = this.constants.length;
    const renumber = (v: number): number =>
      v < 0 ? this.inputCount + (-1 - v) : v < this.inputCount ? v : v + shift;
    const equations = this.equations.map((eq) => ({
      ...eq,
      inputs: eq.inputs.map(renumber),
      output: renumber(eq.output),
    }));
    const finalOutputs = outputIds.map(renumber);
    return {
      inputs: this.avals.slice(0, this.inputCount),
      constants: this.constants,
      equations,
      outputs: finalOutputs,
      lastUse: lastUses(this.avals.length + shift, equations, finalOutputs),
    };
  }
}

/** Runs `body` with a fresh jit trace, ending the trace however `body` exits. */
export function withJitTrace<T>(
  backend: Backend,
  inputs: readonly Aval[],
  body: (trace: JitTrace) => T,
): T {
  return withTrace((level) => new JitTrace(level, backend, inputs), body);
}
