/**
 * Batching rules of the reductions (reduce_sum/prod/max/min), argmax/argmin, cumsum and argsort:
 * `vmap(f)` equals `f` applied to each example and stacked, with the batch axis before, between and
 * after the reduced axes; gradients in both orders; nesting.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy, vmap } from '../../src/index.js';
import { primitives } from '../../src/core/primitive.js';
import { argReduce, cumsum, reduce } from '../../src/primitives/reduce.js';
import { argsort } from '../../src/primitives/sort.js';
import { expectLikeLoop } from '../helpers/vmap.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { distinct, ints, uniform } from '../helpers/samples.js';

const OPS = ['sum', 'prod', 'max', 'min'] as const;
const BATCH_AXES = [0, 1, 2, -1];
// Axes of a [2, 4, 3] example (rank 3): each alone, pairs, all.
const AXES_SETS = [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(11);
  /** A [2, 4, 3] example with a batch axis of 3 inserted at `axis`. */
  const batchedAt = (axis: number, make: (shape: number[]) => Tensor): Tensor => {
    const shape = [2, 4, 3];
    shape.splice(axis < 0 ? shape.length + 1 + axis : axis, 0, 3);
    return make(shape);
  };
  const floats = (shape: number[]) => uniform(shape, rand, 0.5, 1.5);
  const smallInts = (shape: number[]) => numpy.floor(uniform(shape, rand, -3, 3)).astype('int32');

  test('every reduction primitive has a batching rule', () => {
    const names = [...OPS.map((op) => `reduce_${op}`), 'argmax', 'argmin', 'cumsum', 'argsort'];
    expect(names.filter((name) => !primitives().get(name)?.batch)).toEqual([]);
  });

  test.each(OPS)('reduce_%s over every axis set, batch axis anywhere, float32 and int32', (op) => {
    for (const batchAxis of BATCH_AXES) {
      const x = batchedAt(batchAxis, floats);
      const n = batchedAt(batchAxis, smallInts);
      for (const axes of AXES_SETS) {
        expectLikeLoop((t) => reduce(op, t, axes), [x], [batchAxis], entry.rtol);
        expectLikeLoop((t) => reduce(op, t, axes), [n], [batchAxis], 0);
      }
    }
  });

  test.each(['argmax', 'argmin'] as const)(
    '%s along each axis, batch axis anywhere, with ties',
    (op) => {
      for (const batchAxis of BATCH_AXES) {
        const n = batchedAt(batchAxis, smallInts);
        const x = batchedAt(batchAxis, (shape) => distinct(shape, rand));
        for (const axis of [0, 1, 2]) {
          expectLikeLoop((t) => argReduce(op, t, axis), [n], [batchAxis], 0);
          expectLikeLoop((t) => argReduce(op, t, axis), [x], [batchAxis], 0);
        }
      }
    },
  );

  test('cumsum and argsort along each axis, either direction, batch axis anywhere', () => {
    for (const batchAxis of BATCH_AXES) {
      const x = batchedAt(batchAxis, floats);
      const n = batchedAt(batchAxis, smallInts); // ties: argsort must stay stable
      for (const axis of [0, 1, 2]) {
        for (const flag of [false, true]) {
          expectLikeLoop((t) => cumsum(t, axis, flag), [x], [batchAxis], entry.rtol);
          expectLikeLoop((t) => cumsum(t, axis, flag), [n], [batchAxis], 0);
          expectLikeLoop((t) => argsort(t, axis, flag), [n], [batchAxis], 0);
          expectLikeLoop((t) => argsort(t, axis, flag), [x], [batchAxis], 0);
        }
      }
    }
  });

  test('argsort under vmap puts NaN last, as per example', () => {
    const x = numpy.array([
      [NaN, 1, -2],
      [3, NaN, 0],
    ]);
    expectLikeLoop((t) => argsort(t, 0, false), [x], [1], 0);
    expect(vmap((t: Tensor) => argsort(t, 0, false))(x).tolist()).toEqual([
      [2, 1, 0],
      [2, 0, 1],
    ]);
  });

  // One example [2, 3]: every differentiable reduction, over different axes.
  const model = (x: Tensor): Tensor => {
    const rows = reduce('sum', x, [1]);
    const cols = reduce('prod', x, [0]);
    const peak = reduce('max', x, [0, 1]);
    const low = reduce('min', cumsum(x, 1, true), [1]);
    return reduce('sum', rows.mul(peak), [0])
      .add(reduce('sum', cols, [0]))
      .add(reduce('sum', low, [0]));
  };

  test('vmap of grad gives per-example gradients', () => {
    const xs = distinct([2, 4, 3], rand).add(2);
    expectLikeLoop(grad(model), [xs], [1], entry.rtol);
    expectLikeLoop(grad(model), [xs.transpose([1, 0, 2])], [0], entry.rtol);
  });

  test.each([
    ['reduce_sum', (t: Tensor) => reduce('sum', t, [0, 2])],
    ['reduce_prod', (t: Tensor) => reduce('prod', t, [1])],
    ['reduce_max', (t: Tensor) => reduce('max', t, [0, 1])],
    ['reduce_min', (t: Tensor) => reduce('min', t, [2])],
    ['cumsum', (t: Tensor) => cumsum(t, 1, false)],
    ['cumsum reversed', (t: Tensor) => cumsum(t, 2, true)],
  ])('grad of vmapped %s agrees with finite differences', (_name, f) => {
    // Distinct values keep max/min away from ties, where they are not differentiable.
    const x = distinct([2, 3, 4, 2], rand);
    checkGrads((t) => vmap(f, { inAxes: 1 })(t), [x]);
    checkGrads((t) => vmap(f, { inAxes: -1 })(t), [x]);
  });

  test('nested vmap: per-row maxima and sums of a batch of matrices', () => {
    const x = uniform([2, 3, 4, 5], rand, -1, 1);
    const inner = vmap((t: Tensor) => reduce('max', t, [0]).add(reduce('sum', t, [0])), {
      inAxes: 1,
    });
    expectLikeLoop(inner, [x], [2], entry.rtol);
    const innerArg = vmap((t: Tensor) => argReduce('argmin', t, 1), { inAxes: 0 });
    expectLikeLoop(innerArg, [x], [-1], 0);
    // A hand-checked case: two batches of two rows.
    const hand = vmap(vmap((t: Tensor) => reduce('sum', t, [0])));
    expect(hand(ints([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])).tolist()).toEqual([
      [3, 7],
      [11, 15],
    ]);
  });
});
