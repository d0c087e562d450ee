/**
 * Equinox's stateful-layer machinery: a layer that keeps state (BatchNorm's running statistics,
 * SpectralNorm's power-iteration vectors) holds a {@link StateIndex}; the values live in a separate
 * {@link State} that is passed in and returned, so the model stays an immutable pytree.
 */
import { Tensor, TensorError } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';

let nextId = 0;

/**
 * A handle to one piece of state, held by a stateful layer as a field (Equinox's `eqx.nn.StateIndex`).
 * `init` is the initial value, a tensor or a tree of tensors; {@link makeWithState} moves it into the
 * {@link State} and leaves `null` in the model.
 *
 * @example
 * ```ts
 * const index = new StateIndex(numpy.zeros([2]));
 * const state = new State(index);
 * state.get(index).tolist(); // [0, 0]
 * ```
 */
export class StateIndex<T = Tensor> extends Module {
  /** The initial value (`null` once {@link makeWithState} has moved it into a State). */
  init: T | null;
  /** Identifies this piece of state in a {@link State}; the same in every copy of the index. */
  id: number = field({ static: true });
  constructor(init: T) {
    super();
    this.init = init;
    this.id = nextId++;
  }
}

function isStateIndex(x: unknown): x is StateIndex<unknown> {
  return x instanceof StateIndex;
}

function describe(value: unknown): string {
  const [leaves, def] = tree.flatten(value);
  const shapes = leaves.map((l) =>
    l instanceof Tensor ? `${l.dtype}[${l.shape.join(',')}]` : typeof l,
  );
  return `${def.toString()} with ${shapes.join(', ') || 'no leaves'}`;
}

/**
 * The values of every {@link StateIndex} in a model (Equinox's `eqx.nn.State`). Immutable and a pytree:
 * it passes through `jit`, `grad` and `vmap` (map it with `inAxes` null), and serialises with the model.
 * `set` returns a new State.
 *
 * @example
 * ```ts
 * const [bn, state] = makeWithState(BatchNorm)(3, 'batch');
 * const [y, next] = vmap(bn.call, { axisName: 'batch', inAxes: [0, null], outAxes: [0, null] })(numpy.ones([4, 3]), state);
 * y.shape; // [4, 3]
 * next instanceof State; // true
 * ```
 */
export class State {
  readonly #values: ReadonlyMap<number, unknown>;

  /** Collects the initial value of every {@link StateIndex} in `model` (any pytree). */
  constructor(model: unknown) {
    const values = new Map<number, unknown>();
    if (model instanceof Map) {
      for (const [id, value] of model as Map<number, unknown>) values.set(id, value);
    } else {
      for (const leaf of tree.leaves(model, { isLeaf: isStateIndex }) as unknown[]) {
        if (!isStateIndex(leaf)) continue;
        if (leaf.init === null) {
          throw new TypeError(
            `State: a StateIndex (id ${leaf.id}) in the model has no initial value: it was already moved ` +
              'into a State by makeWithState; build the State from the model before that, or keep the one it returned',
          );
        }
        values.set(leaf.id, leaf.init);
      }
    }
    this.#values = values;
  }

  /**
   * The current value of `index`.
   *
   * @example
   * ```ts
   * const index = new StateIndex(numpy.ones([2]));
   * new State(index).get(index).tolist(); // [1, 1]
   * ```
   */
  get<T>(index: StateIndex<T>): T {
    if (!this.#values.has(index.id)) {
      throw new TypeError(
        `State.get: this State has no entry for the StateIndex with id ${index.id}; ` +
          'it belongs to another model (make the State with makeWithState from the same model)',
      );
    }
    return this.#values.get(index.id) as T;
  }

  /**
   * A new State with `index` set to `value`, which must have the structure, shapes and dtypes of the
   * current value (as in Equinox).
   *
   * @example
   * ```ts
   * const index = new StateIndex(numpy.zeros([2]));
   * const state = new State(index).set(index, numpy.array([1, 2]));
   * state.get(index).tolist(); // [1, 2]
   * ```
   */
  set<T>(index: StateIndex<T>, value: T): State {
    const old = this.get(index);
    if (describe(old) !== describe(value)) {
      throw new TensorError(
        'State.set',
        `the new value must have the structure, shapes and dtypes of the old one: found ${describe(value)}, expected ${describe(old)}`,
      );
    }
    const values = new Map(this.#values);
    values.set(index.id, value);
    return new State(values);
  }

  /**
   * The ids in this State, in increasing order (its pytree children follow this order).
   *
   * @internal
   */
  _ids(): number[] {
    return [...this.#values.keys()].sort((a, b) => a - b);
  }

  /**
   * The value stored for `id`.
   *
   * @internal
   */
  _value(id: number): unknown {
    return this.#values.get(id);
  }
}

tree.registerPytreeWithKeys(
  State,
  (state) => {
    const ids = state._ids();
    return [ids.map((id) => [new tree.DictKey(String(id)), state._value(id)] as const), ids];
  },
  (ids, children) => new State(new Map((ids as number[]).map((id, i) => [id, children[i]]))),
  {
    flatten: (state) => {
      const ids = state._ids();
      return [ids.map((id) => state._value(id)), ids];
    },
  },
);

/**
 * Builds a model that holds state, and its initial {@link State} (Equinox's `eqx.nn.make_with_state`):
 * `makeWithState(Model)(...args)` constructs `new Model(...args)` and returns `[model, state]`, with
 * the initial values moved from the model's {@link StateIndex}es into the state.
 *
 * @example
 * ```ts
 * const [model, state] = makeWithState(BatchNorm)(4, 'batch');
 * tree.leaves(state).length; // 3
 * model.stateIndex.init; // null
 * ```
 */
export function makeWithState<Args extends unknown[], M>(
  type: new (...args: Args) => M,
): (...args: Args) => [M, State] {
  return (...args: Args) => {
    const model = new type(...args);
    const state = new State(model);
    const indices = (tree.leaves(model, { isLeaf: isStateIndex }) as unknown[]).filter(
      isStateIndex,
    );
    if (indices.length === 0) return [model, state];
    const stripped = tree.treeAt(
      (m: M) =>
        (tree.leaves(m, { isLeaf: isStateIndex }) as unknown[])
          .filter(isStateIndex)
          .map((ix) => ix.init),
      model,
      { replaceFn: () => null },
    );
    return [stripped, state];
  };
}

/**
 * The base class of layers whose `call` takes and returns a {@link State}:
 * `call(x, state, options) -> [y, state]`. `Sequential` threads the state through such layers.
 *
 * @example
 * ```ts
 * const [bn] = makeWithState(BatchNorm)(2, 'batch');
 * bn instanceof StatefulLayer; // true
 * ```
 */
export abstract class StatefulLayer extends Module {
  /** Runs the layer on one example, reading and updating `state`. */
  abstract call(x: Tensor, state: State, options?: { key?: Tensor }): [Tensor, State];
}
