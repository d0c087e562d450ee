// Linear, Identity, Lambda, Sequential and MLP: shapes, values by hand, gradients, vmap/grad/jit, errors.
import {
  type Tensor,
  TensorError,
  filterJit,
  filterValueAndGrad,
  jit,
  nn as jnn,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { Identity, Lambda, Linear, MLP, Sequential } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

const rows = (t: Tensor) => t.tolist() as number[][];

/** W x + b in float64, by hand. */
function affine(w: number[][], b: number[] | null, x: number[]): number[] {
  return w.map((row, i) => row.reduce((s, wij, j) => s + wij * x[j]!, b ? b[i]! : 0));
}

describe.each(BACKENDS)('basic layers on $name', (entry) => {
  useBackend(entry);

  test('Linear: shapes, initialisation bounds, values, and "scalar" in/out', () => {
    for (const [inF, outF] of [
      [1, 1],
      [3, 2],
      [5, 7],
    ] as const) {
      const layer = new Linear(inF, outF, { key: random.key(inF * 10 + outF) });
      expect(layer.weight.shape).toEqual([outF, inF]);
      expect(layer.bias!.shape).toEqual([outF]);
      const limit = 1 / Math.sqrt(inF);
      for (const v of [...layer.weight.dataSync(), ...layer.bias!.dataSync()]) {
        expect(Math.abs(v)).toBeLessThanOrEqual(limit);
      }
      const x = random.normal(random.key(1), [inF]);
      expectClose(
        layer.call(x),
        affine(rows(layer.weight), layer.bias!.tolist() as number[], x.tolist() as number[]),
      );
    }
    const noBias = new Linear(2, 3, { key: random.key(0), useBias: false });
    expect(noBias.bias).toBeNull();
    expect(tree.leaves(noBias)).toHaveLength(1);
    expectClose(noBias.call(numpy.array([1, 2])), affine(rows(noBias.weight), null, [1, 2]));
    const scalar = new Linear('scalar', 'scalar', { key: random.key(3) });
    expect(scalar.weight.shape).toEqual([1, 1]);
    const y = scalar.call(numpy.array(2));
    expect(y.shape).toEqual([]);
    expect(y.item()).toBeCloseTo(
      (scalar.weight.tolist() as number[][])[0]![0]! * 2 + (scalar.bias!.tolist() as number[])[0]!,
      5,
    );
    expect(new Linear('scalar', 4, { key: random.key(0) }).call(numpy.array(1)).shape).toEqual([4]);
    expect(new Linear(4, 'scalar', { key: random.key(0) }).call(numpy.ones([4])).shape).toEqual([]);
  });

  test('Linear: gradients match finite differences; vmap, grad and jit agree', () => {
    const layer = new Linear(3, 2, { key: random.key(7) });
    const x = numpy.array([0.5, -1, 2]);
    checkLayerGrads(layer, [x], (l, v) => l.call(v).square().sum());
    const xs = random.normal(random.key(2), [4, 3]);
    const batched = rows(vmap(layer.call)(xs));
    rows(xs).forEach((xi, i) => expectClose(layer.call(numpy.array(xi)), batched[i]));
    expect(rows(jit(vmap(layer.call))(xs))).toEqual(batched);
    const [value, grads] = filterValueAndGrad((l: Linear) => l.call(x).sum())(layer);
    expect(grads).toBeInstanceOf(Linear);
    // d/dW sum(W x + b) = 1 x^T; d/db = 1.
    expectClose(grads.weight, [
      [0.5, -1, 2],
      [0.5, -1, 2],
    ]);
    expectClose(grads.bias!, [1, 1]);
    expect(value.item()).toBeCloseTo(
      affine(rows(layer.weight), layer.bias!.tolist() as number[], [0.5, -1, 2]).reduce(
        (a, b) => a + b,
      ),
      5,
    );
  });

  test('Identity and Lambda', () => {
    const x = numpy.array([-1, 0, 2]);
    expect(new Identity().call(x)).toBe(x);
    const relu = new Lambda(jnn.relu);
    expect(relu.call(x).tolist()).toEqual([0, 0, 2]);
    expect(tree.leaves(relu)).toEqual([]);
    expect(tree.structure(new Lambda(jnn.relu)).equals(tree.structure(relu))).toBe(true);
    expect(tree.structure(new Lambda(jnn.tanh)).equals(tree.structure(relu))).toBe(false);
    expect(() => new Lambda(3 as never)).toThrow(/Lambda: `fn` must be a function, found number/);
  });

  test('Sequential: order, keys split per layer, replacing a layer, errors', () => {
    const [k1, k2] = random.split(random.key(0));
    const first = new Linear(2, 4, { key: k1! });
    const second = new Linear(4, 1, { key: k2! });
    const model = new Sequential([first, new Lambda(jnn.tanh), second]);
    const x = numpy.array([0.3, -0.7]);
    const expected = second.call(numpy.tanh(first.call(x)));
    expectClose(model.call(x), expected.tolist());
    expectClose(model.call(x, { key: random.key(5) }), expected.tolist());
    const seen: Tensor[] = [];
    class KeyProbe extends Identity {
      override call(v: Tensor, options?: { key?: Tensor }): Tensor {
        if (options?.key) seen.push(options.key);
        return v;
      }
    }
    new Sequential([new KeyProbe(), new KeyProbe()]).call(x, { key: random.key(1) });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.tolist()).not.toEqual(seen[1]!.tolist());
    const swapped = tree.treeAt((m: Sequential) => m.layers[1]!, model, new Identity());
    expectClose(swapped.call(x), second.call(first.call(x)).tolist());
    checkLayerGrads(model, [x], (m, v) => m.call(v).sum());
    expect(() => new Sequential([{} as never])).toThrow(
      /Sequential: layers\[0\] has no call method/,
    );
    expect(new Sequential([]).call(x)).toBe(x);
  });

  test('MLP: structure, activations, Equinox defaults, gradients and a jit training step', () => {
    const mlp = new MLP(2, 3, 8, 2, { key: random.key(0) });
    expect(mlp.layers.map((l) => l.weight.shape)).toEqual([
      [8, 2],
      [8, 8],
      [3, 8],
    ]);
    const x = numpy.array([1, -2]);
    const [a, b, c] = mlp.layers;
    expectClose(mlp.call(x), c!.call(jnn.relu(b!.call(jnn.relu(a!.call(x))))).tolist());
    const shallow = new MLP('scalar', 'scalar', 4, 0, {
      key: random.key(1),
      finalActivation: jnn.sigmoid,
      useFinalBias: false,
    });
    expect(shallow.layers).toHaveLength(1);
    expect(shallow.layers[0]!.bias).toBeNull();
    const s = shallow.call(numpy.array(0.5));
    expect(s.shape).toEqual([]);
    const w = (shallow.layers[0]!.weight.tolist() as number[][])[0]![0]!;
    expect(s.item()).toBeCloseTo(1 / (1 + Math.exp(-0.5 * w)), 5);
    const tanhNet = new MLP(2, 1, 3, 1, {
      key: random.key(2),
      activation: jnn.tanh,
      useBias: false,
    });
    expect(tanhNet.layers[0]!.bias).toBeNull();
    expect(tanhNet.layers[1]!.bias).not.toBeNull();
    checkLayerGrads(tanhNet, [x], (m, v) => m.call(v).sum());

    // A compiled SGD step equals the eager one.
    const xs = random.normal(random.key(3), [6, 2]);
    const ys = random.normal(random.key(4), [6, 3]);
    const loss = (m: MLP, u: Tensor, v: Tensor) => numpy.mean(numpy.square(vmap(m.call)(u).sub(v)));
    const step = (m: MLP, u: Tensor, v: Tensor) => {
      const [value, grads] = filterValueAndGrad(loss)(m, u, v);
      return [tree.map((p: Tensor, g: Tensor) => p.sub(g.mul(0.1)), m, grads), value] as const;
    };
    const [eagerNext, eagerLoss] = step(mlp, xs, ys);
    const [jitNext, jitLoss] = filterJit(step)(mlp, xs, ys);
    expect(jitNext).toBeInstanceOf(MLP);
    expect(jitLoss.item()).toBeCloseTo(eagerLoss.item(), 5);
    tree
      .leaves(jitNext)
      .forEach((leaf, i) =>
        expectClose(leaf as Tensor, (tree.leaves(eagerNext)[i] as Tensor).tolist()),
      );
    expect(loss(jitNext, xs, ys).item()).toBeLessThan(eagerLoss.item());
  });

  test('bad arguments and inputs give clear errors', () => {
    const layer = new Linear(3, 2, { key: random.key(0) });
    expect(() => layer.call(numpy.ones([4]))).toThrow(TensorError);
    expect(() => layer.call(numpy.ones([4]))).toThrow(
      /Linear: expected `x` of shape \[3\], found float32\[4\]/,
    );
    expect(() => layer.call(numpy.ones([5, 3]))).toThrow(/batch with vmap/);
    expect(() => new Linear(0, 2, { key: random.key(0) })).toThrow(
      /Linear: `inFeatures` must be a positive integer, found 0/,
    );
    expect(() => new Linear(2, 1.5, { key: random.key(0) })).toThrow(/`outFeatures`/);
    expect(() => new MLP(2, 2, 0, 1, { key: random.key(0) })).toThrow(/MLP: `widthSize`/);
    expect(() => new MLP(2, 2, 4, -1, { key: random.key(0) })).toThrow(/MLP: `depth`/);
  });
});
