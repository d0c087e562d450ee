// State, StateIndex, makeWithState and StatefulLayer, with a small stateful layer of our own.
import { type Tensor, TensorError, filterJit, numpy, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  Sequential,
  State,
  StateIndex,
  StatefulLayer,
  makeWithState,
  Linear,
} from '../src/index.js';
import { random } from '@equinox-ts/autodiff';

/** Adds a running count of calls to its input, kept in a State. */
class Counter extends StatefulLayer {
  index: StateIndex<Tensor>;
  constructor(size: number) {
    super();
    this.index = new StateIndex(numpy.zeros([size]));
  }
  call(x: Tensor, state: State): [Tensor, State] {
    const count = state.get(this.index).add(1);
    return [x.add(count), state.set(this.index, count)];
  }
}

describe('State', () => {
  test('makeWithState moves initial values into the State and leaves null in the model', () => {
    const [model, state] = makeWithState(Counter)(2);
    expect(model).toBeInstanceOf(Counter);
    expect(model.index.init).toBeNull();
    expect(tree.leaves(model)).toEqual([]); // the model holds no state arrays
    expect(state.get(model.index).tolist()).toEqual([0, 0]);
    const [y1, s1] = model.call(numpy.array([10, 20]), state);
    const [y2, s2] = model.call(y1, s1);
    expect(y2.tolist()).toEqual([13, 23]);
    expect(s2.get(model.index).tolist()).toEqual([2, 2]);
    expect(state.get(model.index).tolist()).toEqual([0, 0]); // States are immutable
    // A model without state gets an empty State.
    const [plain, empty] = makeWithState(Linear)(2, 2, { key: random.key(0) });
    expect(plain).toBeInstanceOf(Linear);
    expect(tree.leaves(empty)).toEqual([]);
  });

  test('a State is a pytree: it passes through jit and vmap (unmapped) and keeps its ids', () => {
    const [model, state] = makeWithState(Counter)(3);
    const [leaves, def] = tree.flatten(state);
    expect(leaves).toHaveLength(1);
    expect(tree.keystr(tree.leavesWithPath(state)[0]![0])).toBe(`["${model.index.id}"]`);
    const rebuilt = tree.unflatten<State>(def, [numpy.ones([3])]);
    expect(rebuilt.get(model.index).tolist()).toEqual([1, 1, 1]);
    const step = filterJit((m: Counter, x: Tensor, s: State) => m.call(x, s));
    const [y, next] = step(model, numpy.zeros([3]), state);
    expect(y.tolist()).toEqual([1, 1, 1]);
    const [, again] = step(model, numpy.zeros([3]), next);
    expect(again.get(model.index).tolist()).toEqual([2, 2, 2]);
    const mapped = vmap((x: Tensor, s: State) => model.call(x, s)[0], { inAxes: [0, null] });
    expect(mapped(numpy.zeros([2, 3]), state).tolist()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  test('Sequential threads the State through its stateful layers', () => {
    class Both extends Sequential {
      constructor() {
        super([new Counter(2), new Linear(2, 2, { key: random.key(1) }), new Counter(2)]);
      }
    }
    const [model, state] = makeWithState(Both)();
    const [y, next] = model.call(numpy.zeros([2]), state);
    const linear = model.layers[1] as Linear;
    const expected = linear.call(numpy.ones([2])).add(1);
    expect(y.tolist()).toEqual(expected.tolist());
    expect(tree.leaves(next)).toHaveLength(2);
    expect(() => model.call(numpy.zeros([2]))).toThrow(
      /Sequential: layers\[0\] \(Counter\) is stateful: call the Sequential as call\(x, state\)/,
    );
  });

  test('errors: wrong shapes in set, foreign index, index without initial value', () => {
    const [model, state] = makeWithState(Counter)(2);
    expect(() => state.set(model.index, numpy.zeros([3]))).toThrow(TensorError);
    expect(() => state.set(model.index, numpy.zeros([3]))).toThrow(
      /State.set: the new value must have the structure, shapes and dtypes of the old one: found .*float32\[3\], expected .*float32\[2\]/,
    );
    const other = new StateIndex(numpy.zeros([1]));
    expect(() => state.get(other)).toThrow(/State.get: this State has no entry for the StateIndex/);
    expect(() => new State(model)).toThrow(
      /has no initial value: it was already moved into a State/,
    );
  });
});
