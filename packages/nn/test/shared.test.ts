// Shared: tied nodes after construction, one stored copy, gradient steps that keep them tied, errors.
import {
  type Tensor,
  TensorError,
  applyUpdates,
  filterGrad,
  filterJit,
  grad,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { Embedding, Linear, Shared } from '../src/index.js';
import { SharedNode } from '../src/layers/shared.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { expectClose } from './helpers/layers.js';

type Pair = [Linear, Linear];

function tiedPair(seed = 0): Shared<Pair> {
  const [k1, k2] = random.split(random.key(seed));
  return new Shared<Pair>(
    [new Linear(3, 3, { key: k1! }), new Linear(3, 3, { key: k2! })],
    (pair) => pair[1].weight,
    (pair) => pair[0].weight,
  );
}

/** Two layers applied in turn, the second through its (tied) weight. */
function loss(shared: Shared<Pair>, x: Tensor): Tensor {
  const [first, second] = shared.call();
  return numpy.sum(numpy.tanh(second.call(numpy.tanh(first.call(x)))));
}

describe.each(BACKENDS)('Shared on $name', (entry) => {
  useBackend(entry);

  test('after construction the tied nodes are the same object, holding the source value', () => {
    const [k1, k2] = random.split(random.key(3));
    const source = new Linear(3, 3, { key: k1! });
    const shared = new Shared<Pair>(
      [source, new Linear(3, 3, { key: k2! })],
      (pair) => pair[1].weight,
      (pair) => pair[0].weight,
    );
    const [a, b] = shared.call();
    expect(b.weight).toBe(a.weight);
    expect(a.weight.tolist()).toEqual(source.weight.tolist());
    // Untied fields keep their own values.
    expect(b.bias!.tolist()).not.toEqual(a.bias!.tolist());
    expect(a).toBeInstanceOf(Linear);
    expect(b).toBeInstanceOf(Linear);
  });

  test('the tied weight is stored once: the leaves hold it once, a placeholder marks the other spot', () => {
    const shared = tiedPair();
    const leaves = tree.leaves(shared) as Tensor[];
    // weight + bias of the first, bias of the second.
    expect(leaves.map((l) => l.shape)).toEqual([[3, 3], [3], [3]]);
    expect(shared.pytree[1].weight).toBeInstanceOf(SharedNode);
    expect(tree.leaves(shared.pytree[1].weight)).toEqual([]);
    expect(String(shared)).toContain('SharedNode');
  });

  test('the gradient of the source is the sum of both uses, and a step keeps the nodes tied', () => {
    const shared = tiedPair(1);
    const x = numpy.array([0.3, -0.2, 0.5]);
    const grads = grad(loss)(shared, x);
    expect(grads).toBeInstanceOf(Shared);
    expect(tree.leaves(grads)).toHaveLength(3);

    // The same computation with two independent copies of the weight: its two gradients add up.
    const [first, second] = shared.call();
    const untied = (w1: Tensor, w2: Tensor): Tensor => {
      const a = tree.treeAt((l: Linear) => l.weight, first, w1);
      const b = tree.treeAt((l: Linear) => l.weight, second, w2);
      return numpy.sum(numpy.tanh(b.call(numpy.tanh(a.call(x)))));
    };
    const [g1, g2] = grad(untied, { argnums: [0, 1] })(first.weight, second.weight);
    const summed = g1.add(g2).tolist();
    expectClose(grads.pytree[0].weight, summed, 1e-5);

    const step = tree.map((g: Tensor) => g.mul(-0.1), grads);
    const next = applyUpdates(shared, step);
    const [a, b] = next.call();
    expect(b.weight).toBe(a.weight);
    expectClose(a.weight, first.weight.sub(g1.add(g2).mul(0.1)).tolist(), 1e-5);
  });

  test('filterGrad and filterJit see one copy, and jit gives the eager values', () => {
    const shared = tiedPair(2);
    const x = numpy.array([1, 0.5, -1]);
    const grads = filterGrad(loss)(shared, x);
    expect(tree.leaves(grads)).toHaveLength(3);
    const eager = loss(shared, x).item();
    expect(filterJit(loss)(shared, x).item()).toBeCloseTo(eager, 5);
    const batched = vmap((xi: Tensor) => loss(shared, xi))(numpy.ones([4, 3]));
    expect(batched.shape).toEqual([4]);
  });

  test('several nodes at once, with a computed (transposed) source', () => {
    const [k1, k2] = random.split(random.key(4));
    const encoder = new Linear(3, 2, { key: k1! });
    const decoder = new Linear(2, 3, { key: k2! });
    const shared = new Shared(
      { encoder, decoder, scales: [numpy.ones([2]), numpy.zeros([2])] },
      (t) => [t.decoder.weight, t.scales[1]!],
      (t) => [t.encoder.weight.transpose(), t.scales[0]!],
    );
    const restored = shared.call();
    expect(restored.decoder.weight.tolist()).toEqual(encoder.weight.transpose().tolist());
    expect(restored.scales[1]!.tolist()).toEqual([1, 1]);
    // Encoder weight and bias, decoder bias, the first scale.
    expect(tree.leaves(shared)).toHaveLength(4);
  });

  test('the classic tied language model: an Embedding and the output Linear share one weight', () => {
    const [k1, k2] = random.split(random.key(6));
    const shared = new Shared(
      [new Embedding(5, 3, { key: k1! }), new Linear(3, 5, { key: k2! })] as [Embedding, Linear],
      (t) => t[1].weight,
      (t) => t[0].weight,
    );
    // Embedding weight and Linear bias.
    expect(tree.leaves(shared)).toHaveLength(2);
    const tokens = numpy.array([0, 3, 3], { dtype: 'int32' });
    const lm = (s: typeof shared): Tensor => {
      const [embed, out] = s.call();
      return numpy.sum(numpy.tanh(vmap((t: Tensor) => out.call(embed.call(t)))(tokens)));
    };
    const grads = grad(lm)(shared);

    // Untied: the gradients of the two copies add up to the tied one.
    const [embed, out] = shared.call();
    const untied = (we: Tensor, wo: Tensor): Tensor => {
      const e = tree.treeAt((l: Embedding) => l.weight, embed, we);
      const o = tree.treeAt((l: Linear) => l.weight, out, wo);
      return numpy.sum(numpy.tanh(vmap((t: Tensor) => o.call(e.call(t)))(tokens)));
    };
    const [ge, go] = grad(untied, { argnums: [0, 1] })(embed.weight, out.weight);
    expectClose(grads.pytree[0].weight, ge.add(go).tolist(), 1e-5);

    const next = applyUpdates(
      shared,
      tree.map((g: Tensor) => g.mul(-0.1), grads),
    );
    const [embedNext, outNext] = next.call();
    expect(outNext.weight).toBe(embedNext.weight);
    expectClose(embedNext.weight, embed.weight.sub(ge.add(go).mul(0.1)).tolist(), 1e-5);
  });

  test('errors: tied nodes that differ in shape or structure, and non-function arguments', () => {
    const [k1, k2] = random.split(random.key(5));
    const pair: Pair = [new Linear(3, 2, { key: k1! }), new Linear(3, 3, { key: k2! })];
    expect(
      () =>
        new Shared(
          pair,
          (p) => p[1].weight,
          (p) => p[0].weight,
        ),
    ).toThrow(TensorError);
    expect(
      () =>
        new Shared(
          pair,
          (p) => p[1].weight,
          (p) => p[0].weight,
        ),
    ).toThrow(
      /same structure, shapes and dtypes: `get` gives .*float32\[2, 3\].*`where` selects .*float32\[3, 3\]/,
    );
    expect(
      () =>
        new Shared(
          pair,
          (p) => p[1],
          (p) => p[0].weight,
        ),
    ).toThrow(/same structure/);
    expect(() => new Shared(pair, 'weight' as never, (p) => p[0].weight)).toThrow(
      /`where` must be a function/,
    );
    expect(() => new Shared(pair, (p) => p[1].weight, null as never)).toThrow(
      /`get` must be a function/,
    );
  });
});
