/**
 * The batching rule of `matmul` folds a batch of vectors against a shared matrix (a `Linear` layer
 * under `vmap`) into one matrix product: same values as a loop over examples (transposed operands
 * too), gradients that agree with a loop and with finite differences, and no `[B, M, K]` per-example
 * outer products in the backward pass.
 */
import { type BackendArray, type MatmulOptions, cpu } from '@equinox-ts/kernels';
import type { Tensor } from '../../src/index.js';
import { grad, jit, numpy, vmap } from '../../src/index.js';
import { matmul } from '../../src/primitives/matmul.js';
import { type Fn, exampleOf, expectLikeLoop, expectSame } from '../helpers/vmap.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { uniform } from '../helpers/samples.js';

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(23);
  const floats = (shape: number[]) => uniform(shape, rand, -1, 1);

  test.each([false, true])('matrix @ batched column vectors, transposeA %j', (transposeA) => {
    const f: Fn = (w, x) => matmul(w, x, { transposeA });
    const w = floats(transposeA ? [4, 3] : [3, 4]);
    expectLikeLoop(f, [w, floats([5, 4, 1])], [null, 0], entry.rtol);
    expectLikeLoop(f, [w, floats([4, 1, 5])], [null, 2], entry.rtol); // batch axis last
    const g: Fn = (w2, x) => matmul(w2, x, { transposeA, transposeB: true });
    expectLikeLoop(g, [w, floats([5, 1, 4])], [null, 0], entry.rtol); // [1, 4] rows, transposed
  });

  test.each([false, true])('batched row vectors @ matrix, transposeB %j', (transposeB) => {
    const f: Fn = (x, w) => matmul(x, w, { transposeB });
    const w = floats(transposeB ? [3, 4] : [4, 3]);
    expectLikeLoop(f, [floats([5, 1, 4]), w], [0, null], entry.rtol);
    expectLikeLoop(f, [floats([1, 5, 4]), w], [1, null], entry.rtol);
    const g: Fn = (x, w2) => matmul(x, w2, { transposeA: true, transposeB });
    expectLikeLoop(g, [floats([5, 4, 1]), w], [0, null], entry.rtol); // [4, 1] columns, transposed
  });

  // A linear layer on one example, as nn.Linear computes it: a matrix times a vector.
  const layer = (w: Tensor, x: Tensor): Tensor => numpy.tanh(numpy.matmul(w, x)).sum();
  const batchLoss = (w: Tensor, xs: Tensor): Tensor =>
    vmap(layer, { inAxes: [null, 0] })(w, xs).sum();

  test('the gradient of the shared matrix is the sum of per-example gradients', () => {
    const [w, xs] = [floats([3, 4]), floats([6, 4])];
    const perExample = [0, 1, 2, 3, 4, 5].map((i) => grad(layer)(w, exampleOf(xs, 0, i)));
    expectSame(grad(batchLoss)(w, xs), numpy.stack(perExample).sum({ axis: 0 }), entry.rtol);
    expectSame(jit(grad(batchLoss))(w, xs), grad(batchLoss)(w, xs), entry.rtol);
  });

  test('grad of the folded product agrees with finite differences', () => {
    checkGrads(batchLoss, [floats([3, 4]), floats([6, 4])]);
    checkGrads(
      (xs, w) =>
        vmap((x: Tensor) => numpy.matmul(x, w), { inAxes: 0 })(xs)
          .square()
          .sum(),
      [floats([6, 4]), floats([4, 3])],
    );
  });
});

describe('the folded product on the cpu backend', () => {
  test('computes no [B, M, K] outer products for the gradient of the shared matrix', () => {
    const shapes: number[][] = [];
    // Records the shape of every product the backend computes (an own property shadows the method).
    const matmul = cpu.matmul.bind(cpu);
    const record = (a: BackendArray, b: BackendArray, options?: MatmulOptions) => {
      const out = matmul(a, b, options);
      shapes.push([...out.shape]);
      return out;
    };
    const rand = randomSource(5);
    const [w, xs] = [uniform([3, 4], rand, -1, 1), uniform([8, 4], rand, -1, 1)];
    const loss = (m: Tensor, x: Tensor) =>
      vmap((v: Tensor) => numpy.matmul(m, v), { inAxes: 0 })(x)
        .square()
        .sum();
    Object.defineProperty(cpu, 'matmul', { value: record, configurable: true });
    try {
      expect(grad(loss)(w, xs).shape).toEqual([3, 4]);
    } finally {
      delete (cpu as { matmul?: unknown }).matmul;
    }
    expect(shapes).toContainEqual([8, 3]); // the forward product, examples as rows
    expect(shapes).toContainEqual([3, 4]); // the matrix's gradient, in one product
    expect(shapes.filter((s) => s.length !== 2)).toEqual([]);
  });
});
