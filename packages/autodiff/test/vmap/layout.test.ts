/**
 * Batching rules of the layout primitives (reshape, transpose, broadcastTo, slice, concatenate, pad,
 * gather, scatterAdd): `vmap(f)` equals `f` applied to each example and stacked, for batch axes
 * anywhere and unbatched inputs; gradients in both orders; nesting; and random sampling under vmap.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy, random, vmap } from '../../src/index.js';
import { primitives } from '../../src/core/primitive.js';
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
import { type Axis, expectSame, expectLikeLoop, withBatch } from '../helpers/vmap.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { ints, uniform } from '../helpers/samples.js';

const BATCH_AXES = [0, 1, -1];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(5);
  const floats = (shape: number[]) => uniform(shape, rand, -1, 1);
  /** int32 indices in [lo, hi): negative and too-large ones exercise wrapping and clamping. */
  const indices = (shape: number[], lo: number, hi: number) =>
    numpy.floor(uniform(shape, rand, lo, hi)).astype('int32');

  test('every layout primitive has a batching rule', () => {
    const names = [
      'reshape',
      'transpose',
      'broadcastTo',
      'slice',
      'concatenate',
      'pad',
      'gather',
      'scatterAdd',
    ];
    expect(names.filter((name) => !primitives().get(name)?.batch)).toEqual([]);
  });

  test.each([
    [
      [2, 6],
      [3, 4],
    ],
    [[2, 6], [12]],
    [
      [2, 6],
      [2, 3, 2],
    ],
    [[], [1, 1]],
    [[4, 1], [4]],
  ])('reshape %j to %j', (from, to) => {
    const axes = BATCH_AXES.filter((b) => b <= from.length);
    for (const b of axes) expectLikeLoop((x) => reshape(x, to), [floats(withBatch(from, b))], [b]);
  });

  test.each([[[2, 0, 1]], [[1, 0, 2]], [[0, 2, 1]], [[0, 1, 2]]])('transpose by %j', (perm) => {
    for (const b of [...BATCH_AXES, 2])
      expectLikeLoop((x) => transpose(x, perm), [floats(withBatch([2, 3, 4], b))], [b]);
  });

  test.each([
    [
      [3, 1],
      [2, 3, 4],
    ], // the example has fewer axes than the target
    [[], [2, 2]],
    [[4], [3, 4]], // the target's leading 3 is not the batch size's 3
    [
      [2, 1, 1],
      [2, 3, 2],
    ],
  ])('broadcastTo %j -> %j', (from, to) => {
    const axes = BATCH_AXES.filter((b) => b <= from.length);
    for (const b of axes)
      expectLikeLoop((x) => broadcastTo(x, to), [floats(withBatch(from, b))], [b]);
  });

  test.each([
    [
      [0, 1],
      [5, 4],
      [1, 1],
    ],
    [
      [1, 0],
      [4, 3],
      [2, 2],
    ],
    [
      [4, 2],
      [5, 2],
      [3, 1],
    ],
    [
      [2, 2],
      [2, 4],
      [1, 1],
    ], // empty result
  ])('slice from %j to %j by %j', (start, limit, strides) => {
    for (const b of BATCH_AXES)
      expectLikeLoop((x) => slice(x, start, limit, strides), [floats(withBatch([5, 4], b))], [b]);
  });

  test('concatenate with batched and unbatched inputs, along each axis', () => {
    const join0 = (x: Tensor, y: Tensor, z: Tensor) => concat([x, y, z], 0);
    expectLikeLoop(join0, [floats([3, 2, 4]), floats([1, 4]), floats([2, 3, 4])], [0, null, 1]);
    expectLikeLoop(join0, [floats([2, 4]), floats([1, 4, 3]), floats([3, 4])], [null, -1, null]);
    const join1 = (x: Tensor, y: Tensor) => concat([x, y], 1);
    expectLikeLoop(join1, [floats([2, 1, 3]), floats([2, 3, 2])], [2, 1]);
    expectLikeLoop(join1, [floats([2, 1]), floats([3, 2, 2])], [null, 0]);
    expectLikeLoop(join1, [floats([2, 3, 1]), floats([2, 3, 2])], [1, 1]); // one layout: no moves
  });

  test.each([
    [[1, 0], [0, 2], [0, 0], 0],
    [[0, 1], [1, 0], [1, 2], -1.5],
    [[2, 2], [0, 0], [0, 1], 7],
  ])('pad lo %j hi %j interior %j with %d', (lo, hi, interior, value) => {
    for (const b of BATCH_AXES)
      expectLikeLoop((x) => pad(x, lo, hi, value, interior), [floats(withBatch([2, 3], b))], [b]);
  });

  // Examples x [2, 4, 3]: the gathered axis has length 2, 4 or 3. Indices of rank 0, 1 and 2.
  const INDEX_SHAPES = [[], [5], [2, 3]];

  test.each([0, 1, 2])('gather along axis %d: x batched, indices batched, or both', (axis) => {
    const n = [2, 4, 3][axis]!;
    for (const ishape of INDEX_SHAPES) {
      for (const [bx, bi] of [
        [0, null],
        [-1, null],
        [null, 0],
        [null, -1],
        [0, 0],
        [1, -1],
        [-1, 0],
      ] as Axis[][]) {
        const x = bx === null ? floats([2, 4, 3]) : floats(withBatch([2, 4, 3], bx!));
        const ix =
          bi === null
            ? indices(ishape, -n - 2, n + 2)
            : indices(withBatch(ishape, bi!), -n - 2, n + 2);
        expectLikeLoop((t, i) => gather(t, i, axis), [x, ix], [bx!, bi!], 0);
      }
    }
  });

  test('gather with batched indices picks each example its own rows (hand-checked)', () => {
    const x = numpy.array([
      [10, 11, 12],
      [20, 21, 22],
    ]);
    const picked = vmap((row: Tensor, i: Tensor) => gather(row, i, 0))(
      x,
      ints([2, 0, -1, 9], [2, 2]),
    );
    expect(picked.tolist()).toEqual([
      [12, 10],
      [22, 22],
    ]);
  });

  test.each([0, 1, 2])(
    'scatterAdd along axis %d: updates batched, indices batched, or both',
    (axis) => {
      // Examples of the result: [2, 4, 3] with the scattered axis of size `size`.
      const size = [2, 4, 3][axis]!;
      for (const ishape of INDEX_SHAPES) {
        const example = [...[2, 4, 3].slice(0, axis), ...ishape, ...[2, 4, 3].slice(axis + 1)];
        for (const [bu, bi] of [
          [0, null],
          [-1, null],
          [null, 0],
          [null, -1],
          [0, 0],
          [1, -1],
          [-1, 0],
        ] as Axis[][]) {
          const u = bu === null ? floats(example) : floats(withBatch(example, bu!));
          const ix =
            bi === null
              ? indices(ishape, -size - 1, size + 1)
              : indices(withBatch(ishape, bi!), -size - 1, size + 1);
          expectLikeLoop((t, i) => scatterAdd(t, i, axis, size), [u, ix], [bu!, bi!], entry.rtol);
        }
      }
    },
  );

  test('scatterAdd with batched indices accumulates repeats per example (hand-checked)', () => {
    const sums = vmap((u: Tensor, i: Tensor) => scatterAdd(u, i, 0, 3))(
      numpy.array([
        [1, 2, 4],
        [8, 16, 32],
      ]),
      ints([0, 0, 2, 1, -1, 1], [2, 3]),
    );
    expect(sums.tolist()).toEqual([
      [3, 0, 4],
      [0, 40, 16],
    ]);
  });

  // One example [4, 3] with its own indices [2]: every layout primitive on the way to a scalar.
  const model = (x: Tensor, i: Tensor): Tensor => {
    const rows = gather(x, i, 0); // [2, 3]
    const spread = scatterAdd(rows.mul(rows), i, 0, 4); // [4, 3]
    const framed = pad(slice(spread, [0, 1], [4, 3]), [1, 0], [0, 1], 0, [0, 1]); // [5, 4]
    const joined = concat(
      [transpose(framed, [1, 0]), broadcastTo(reshape(x, [12, 1]), [12, 5])],
      0,
    ); // [16, 5]
    return joined.mul(joined).sum();
  };

  test('vmap of grad gives per-example gradients, with per-example indices', () => {
    const xs = floats([3, 4, 3]);
    const ix = indices([3, 2], -4, 4);
    expectLikeLoop(grad(model), [xs, ix], [0, 0], entry.rtol);
    expectLikeLoop(grad(model), [xs.transpose([1, 2, 0]), ix.transpose()], [-1, 1], entry.rtol);
    expectLikeLoop(grad(model), [xs, indices([2], 0, 4)], [0, null], entry.rtol);
  });

  test('grad of vmap agrees with finite differences', () => {
    const ix = indices([2, 3], -4, 4);
    checkGrads((x) => vmap(model, { inAxes: [1, -1] })(x, ix), [floats([4, 3, 3])]);
    checkGrads((x) => vmap(model, { inAxes: [2, null] })(x, ix.get(0)), [floats([4, 3, 3])]);
  });

  test.each([
    ['reshape', (x: Tensor) => reshape(x, [3, 2])],
    ['transpose', (x: Tensor) => transpose(x, [1, 0])],
    ['broadcastTo', (x: Tensor) => broadcastTo(x, [2, 2, 3])],
    ['slice', (x: Tensor) => slice(x, [0, 1], [2, 3], [1, 2])],
    ['pad', (x: Tensor) => pad(x, [1, 0], [0, 2], 0, [1, 0])],
    ['concatenate', (x: Tensor) => concat([x, x.mul(x)], 1)],
    ['gather', (x: Tensor) => gather(x, ints([2, 0, 2]), 1)],
    ['scatterAdd', (x: Tensor) => scatterAdd(x, ints([1, 1, 3]), 1, 4)],
  ])('grad of vmapped %s agrees with finite differences', (_name, f) => {
    const square = (x: Tensor) => f(x).mul(f(x));
    checkGrads((x) => vmap(square, { inAxes: 1 })(x), [floats([2, 4, 3])]);
  });

  test('nested vmap of gather with both operands batched at both levels', () => {
    const inner = vmap((x: Tensor, i: Tensor) => gather(x, i, 1), { inAxes: [1, 0] });
    expectLikeLoop(inner, [floats([2, 3, 4, 5]), indices([3, 5, 2], -5, 5)], [-1, 1], 0);
    const innerScatter = vmap((u: Tensor, i: Tensor) => scatterAdd(u, i, 0, 3), {
      inAxes: [0, null],
    });
    expectLikeLoop(innerScatter, [floats([2, 4, 5]), indices([5, 4], -3, 3)], [2, 0], entry.rtol);
  });

  describe('random numbers under vmap equal those drawn key by key', () => {
    const keys = () => random.split(random.key(0), 4);
    const expectPerKey = (draw: (k: Tensor) => Tensor) => {
      const perKey = numpy.stack([0, 1, 2, 3].map((i) => draw(keys().get(i))));
      expectSame(vmap(draw)(keys()), perKey, 0);
    };

    test('normal', () => expectPerKey((k) => random.normal(k, [3])));
    test('uniform', () => expectPerKey((k) => random.uniform(k, [3])));
    test('split', () => expectPerKey((k) => random.split(k)));
    test('keys as the second axis', () => {
      const perKey = numpy.stack([0, 1, 2, 3].map((i) => random.normal(keys().get(i), [2])));
      expectSame(
        vmap((k: Tensor) => random.normal(k, [2]), { inAxes: 1 })(keys().transpose()),
        perKey,
        0,
      );
    });
  });
});
