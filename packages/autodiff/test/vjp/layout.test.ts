/**
 * VJPs of the layout primitives (reshape, transpose, broadcastTo, slice, concatenate, pad, gather,
 * scatterAdd) and of matmul against finite differences. The layout ops are linear, so their second
 * derivative is zero; squaring their output makes the order-2 check exercise the VJP of each VJP.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy } from '../../src/index.js';
import {
  broadcastTo,
  concat,
  gather,
  pad,
  reshape,
  scatterAdd,
  slice,
  transpose,
} from '../../src/primitives/layout.js';
import { matmul } from '../../src/primitives/matmul.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { expectClose, ints, uniform } from '../helpers/samples.js';

const squared = (t: Tensor): Tensor => t.mul(t);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(42);
  const sample = (shape: number[]) => uniform(shape, rand, -1, 1);

  test.each([
    [
      [2, 3, 4],
      [6, 4],
    ],
    [[4, 6], [24]],
    [[], [1, 1]],
    [
      [2, 1, 3],
      [3, 2],
    ],
  ])('reshape %j to %j', (from, to) => {
    checkGrads((x) => squared(reshape(x, to)), [sample(from)], { order: 2 });
  });

  test.each([
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [3, 4],
      [1, 0],
    ],
    [
      [2, 1, 3, 2],
      [3, 1, 0, 2],
    ],
  ])('transpose %j by %j', (shape, perm) => {
    checkGrads((x) => squared(transpose(x, perm)), [sample(shape)], { order: 2 });
  });

  test.each([
    [
      [3, 1],
      [2, 3, 4],
    ],
    [[], [2, 2]],
    [[4], [3, 4]],
    [
      [2, 1, 1],
      [2, 3, 2],
    ],
  ])('broadcastTo %j -> %j', (from, to) => {
    checkGrads((x) => squared(broadcastTo(x, to)), [sample(from)], { order: 2 });
  });

  test('broadcastTo sums the cotangent over the copies', () => {
    const g = grad((x: Tensor) => broadcastTo(x, [2, 3, 2]).sum())(numpy.zeros([3, 1]));
    expectClose(g, [4, 4, 4], [3, 1]);
  });

  test.each([
    [
      [5, 6],
      [1, 0],
      [5, 6],
      [2, 3],
    ],
    [
      [5, 6],
      [0, 1],
      [4, 5],
      [1, 2],
    ],
    [[7], [1], [4], [2]],
    [
      [3, 4, 5],
      [0, 1, 1],
      [3, 4, 5],
      [2, 2, 3],
    ],
    [
      [4, 4],
      [3, 0],
      [4, 4],
      [5, 1],
    ],
  ])('slice of %j from %j to %j with strides %j', (shape, start, limit, strides) => {
    checkGrads((x) => squared(slice(x, start, limit, strides)), [sample(shape)], { order: 2 });
  });

  test('slice puts the cotangent back at the picked elements, zeros elsewhere', () => {
    // Elements 1 and 3 of [0..6), then the empty slice.
    const g = grad((x: Tensor) =>
      slice(x, [1], [5], [2])
        .mul(numpy.array([10, 20]))
        .sum(),
    )(numpy.zeros([6]));
    expectClose(g, [0, 10, 0, 20, 0, 0], [6]);
    const empty = grad((x: Tensor) => slice(x, [1, 0], [1, 3]).sum())(numpy.ones([2, 3]));
    expectClose(empty, [0, 0, 0, 0, 0, 0], [2, 3]);
  });

  test.each([
    [
      [
        [2, 1],
        [2, 3],
        [2, 2],
      ],
      1,
    ],
    [
      [
        [1, 3],
        [4, 3],
      ],
      0,
    ],
    [
      [
        [2, 2, 1],
        [2, 2, 2],
      ],
      2,
    ],
  ])('concatenate %j along axis %d', (shapes, axis) => {
    checkGrads((...xs) => squared(concat(xs, axis)), shapes.map(sample), { order: 2 });
  });

  test.each([
    [
      [2, 3],
      [1, 0],
      [0, 2],
      [1, 2],
    ],
    [[3], [0], [0], [2]],
    [
      [1, 2],
      [2, 1],
      [1, 0],
      [3, 1],
    ],
    [
      [2, 2, 2],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ],
  ])('pad %j with lo %j, hi %j, interior %j', (shape, lo, hi, interior) => {
    checkGrads((x) => squared(pad(x, lo, hi, 0.5, interior)), [sample(shape)], { order: 2 });
  });

  test('pad with interior takes the cotangent from the original positions', () => {
    // [a, b] -> [0, a, 0, 0, b, 0]: lo 1, interior 2, hi 1.
    const w = numpy.array([1, 2, 3, 4, 5, 6]);
    const g = grad((x: Tensor) => pad(x, [1], [1], 7, [2]).mul(w).sum())(numpy.zeros([2]));
    expectClose(g, [2, 5], [2]);
  });

  describe('gather', () => {
    test('with repeated and negative indices along axis 0', () => {
      checkGrads((x) => squared(gather(x, ints([0, 2, -1, 0, 2]), 0)), [sample([4, 3])], {
        order: 2,
      });
    });

    test('with a 2-D index array along the last axis', () => {
      checkGrads((x) => squared(gather(x, ints([0, -1, 1, 1], [2, 2]), 2)), [sample([2, 1, 3])], {
        order: 2,
      });
    });

    test('adds up the cotangents of repeated picks; -1 is the last row', () => {
      const g = grad((x: Tensor) => gather(x, ints([0, 2, -1, 0, 2]), 0).sum())(
        numpy.zeros([4, 2]),
      );
      expectClose(g, [2, 2, 0, 0, 2, 2, 1, 1], [4, 2]);
    });

    test('out-of-range indices are clamped in the gradient as in the value', () => {
      const x = numpy.array([1, 2, 3]);
      const g = grad((t: Tensor) =>
        gather(t, ints([5, -7]), 0)
          .mul(numpy.array([10, 100]))
          .sum(),
      )(x);
      expectClose(g, [100, 0, 10], [3]);
    });
  });

  describe('scatterAdd', () => {
    test('with repeated and negative indices', () => {
      checkGrads((u) => squared(scatterAdd(u, ints([0, 2, -1, 0, 2]), 0, 4)), [sample([5, 3])], {
        order: 2,
      });
    });

    test('along a middle axis with a 2-D index array', () => {
      checkGrads(
        (u) => squared(scatterAdd(u, ints([1, 1, 0, -1], [2, 2]), 1, 3)),
        [sample([2, 2, 2, 3])],
        { order: 2 },
      );
    });

    test('each update gets the cotangent of the slot it lands in', () => {
      const w = numpy.array([1, 10, 100]);
      const g = grad((u: Tensor) =>
        scatterAdd(u, ints([2, 0, 2, -1]), 0, 3)
          .mul(w)
          .sum(),
      )(numpy.zeros([4]));
      expectClose(g, [100, 1, 100, 100], [4]);
    });
  });

  describe('matmul', () => {
    const combos = [false, true].flatMap((transposeA) =>
      [false, true].map((transposeB) => [transposeA, transposeB] as const),
    );
    /** Stored shape of an operand that is logically [...batch, rows, cols]. */
    const stored = (batch: number[], rows: number, cols: number, transposed: boolean) =>
      transposed ? [...batch, cols, rows] : [...batch, rows, cols];

    test.each(combos)(
      'transposeA %s, transposeB %s, with broadcasting batch dimensions',
      (transposeA, transposeB) => {
        const a = sample(stored([2, 1], 2, 3, transposeA));
        const b = sample(stored([3], 3, 4, transposeB));
        checkGrads((x, y) => matmul(x, y, { transposeA, transposeB }), [a, b], { order: 2 });
      },
    );

    test.each(combos)(
      'transposeA %s, transposeB %s, batched against unbatched',
      (transposeA, transposeB) => {
        const a = sample(stored([], 3, 2, transposeA));
        const b = sample(stored([2, 2], 2, 4, transposeB));
        checkGrads((x, y) => matmul(x, y, { transposeA, transposeB }).square(), [a, b], {
          order: 2,
        });
      },
    );

    test('the gradient of sum(A B) is row sums of B and column sums of A', () => {
      const a = numpy.array([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const b = numpy.array([
        [1, 0, 2],
        [-1, 3, 1],
      ]);
      const [ga, gb] = grad((x: Tensor, y: Tensor) => matmul(x, y).sum(), { argnums: [0, 1] })(
        a,
        b,
      );
      expectClose(ga, [3, 3, 3, 3, 3, 3], [3, 2]);
      expectClose(gb, [9, 9, 9, 12, 12, 12], [2, 3]);
    });
  });
});
