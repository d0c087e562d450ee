/**
 * Batching rules of `pool` and `poolBackward`: `vmap` equals a loop over examples for max and average
 * pooling, batch axes anywhere (beside N, beside C, last), operands batched on different axes or not
 * at all; gradients in both orders, second derivatives under vmap, and nesting.
 */
import type { Tensor } from '../../src/index.js';
import { grad, lax, numpy, vmap } from '../../src/index.js';
import { primitives } from '../../src/core/primitive.js';
import { pool, poolBackward, type PoolParams } from '../../src/primitives/pool.js';
import {
  type Axis,
  type Fn,
  exampleOf,
  expectSame,
  expectLikeLoop,
  withBatch,
} from '../helpers/vmap.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { distinct, uniform } from '../helpers/samples.js';

const B = 3;

interface Case {
  name: string;
  x: number[]; // one example [N, C, ...spatial]
  params: PoolParams;
}

const CASES: Case[] = [
  {
    name: '1-D max, padding',
    x: [2, 2, 5],
    params: { op: 'max', window: [2], strides: [1], padding: [[1, 0]] },
  },
  {
    name: '1-D avg, stride 2',
    x: [1, 3, 6],
    params: { op: 'avg', window: [3], strides: [2], padding: [[1, 1]] },
  },
  {
    name: '2-D max, strides and padding',
    x: [2, 1, 4, 5],
    params: {
      op: 'max',
      window: [2, 3],
      strides: [2, 1],
      padding: [
        [0, 0],
        [1, 1],
      ],
    },
  },
  {
    name: '2-D avg',
    x: [1, 2, 4, 4],
    params: {
      op: 'avg',
      window: [2, 2],
      strides: [2, 2],
      padding: [
        [0, 0],
        [0, 0],
      ],
    },
  },
];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(3);
  const floats = (shape: number[]) => uniform(shape, rand, -1, 1);
  const untied = (shape: number[]) => distinct(shape, rand); // no ties for max pooling

  test('both pooling primitives have a batching rule', () => {
    expect(['pool', 'poolBackward'].filter((name) => !primitives().get(name)?.batch)).toEqual([]);
  });

  describe.each(CASES)('$name', ({ x, params }) => {
    const y = pool(floats(x), params).shape; // one example's output shape

    test.each([0, 1, 2, 3, -1])('pool with the batch axis at %j', (axis) => {
      expectLikeLoop((t) => pool(t, params), [untied(withBatch(x, axis))], [axis], entry.rtol);
    });

    test.each([
      [0, 0],
      [1, 1],
      [2, 2],
      [-1, -1],
      [0, -1],
      [2, 1],
      [null, 0],
      [1, null],
      [-1, null],
    ] as [Axis, Axis][])('poolBackward: dy at %j, x at %j', (ady, ax) => {
      const f: Fn = (dy, image) => poolBackward(dy, image, params);
      expectLikeLoop(
        f,
        [floats(withBatch(y, ady)), untied(withBatch(x, ax))],
        [ady, ax],
        entry.rtol,
      );
    });

    const loss = (t: Tensor) => pool(t, params).square().sum();

    test('vmap of grad gives per-example gradients', () => {
      expectLikeLoop(grad(loss), [untied(withBatch(x, 0))], [0], entry.rtol);
      expectLikeLoop(grad(loss), [untied(withBatch(x, 2))], [2], entry.rtol);
      expectLikeLoop(grad(loss), [untied(withBatch(x, -1))], [-1], entry.rtol);
    });

    test('grad of vmap agrees with finite differences, to second order', () => {
      const mapped = vmap((t: Tensor) => pool(t, params).square(), { inAxes: -1 });
      checkGrads(mapped, [untied(withBatch(x, -1))], { order: 2 });
    });

    test('vmap of a Hessian-vector product (poolBackward differentiated under vmap)', () => {
      const v = floats(x);
      const hvp = (t: Tensor) => grad((u: Tensor) => grad(loss)(u).mul(v).sum())(t);
      expectLikeLoop(hvp, [untied(withBatch(x, 1))], [1], entry.rtol);
    });
  });

  test('lax pooling under nested vmap', () => {
    const f: Fn = (t) => lax.maxPool(t, [2, 2], { strides: [1, 2], padding: 'SAME' }); // [C, H, W] -> [C, H, W / 2]
    const images = untied([2, 4, 1, B, 5]); // inner axis 0, outer axis 3
    const nested = vmap(vmap(f), { inAxes: 3 })(images);
    const looped = numpy.stack(
      [0, 1, 2].map((i) =>
        numpy.stack([0, 1].map((j) => f(exampleOf(exampleOf(images, 3, i), 0, j)))),
      ),
    );
    expectSame(nested, looped, entry.rtol);
    const avg: Fn = (t) => lax.avgPool(t, [3], { padding: [[1, 1]] });
    expectLikeLoop(vmap(avg, { inAxes: 1 }), [floats([2, B, 2, 5])], [1], entry.rtol);
  });
});
