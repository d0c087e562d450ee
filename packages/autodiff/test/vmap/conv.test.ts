/**
 * Batching rules of `conv`, `convBackwardInput` and `convBackwardFilter`: `vmap` equals a loop over
 * examples for every combination of batched operands (batch axes first, in the middle, last, absent),
 * with feature groups, strides, padding and dilation; per-example gradients of a small CNN in one
 * filter-gradient call; grad of a vmapped net against finite differences; nesting.
 */
import type { Tensor } from '../../src/index.js';
import { grad, lax, nn, numpy, vmap } from '../../src/index.js';
import {
  conv,
  convBackwardFilter,
  convBackwardInput,
  type ConvParams,
} from '../../src/primitives/conv.js';
import { primitives } from '../../src/core/primitive.js';
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
import { uniform } from '../helpers/samples.js';

const B = 3;

interface Case {
  name: string;
  x: number[]; // one example's image [N, C, ...spatial]
  w: number[]; // one example's filter [O, C / groups, ...kernel]
  params: ConvParams;
}

const CASES: Case[] = [
  {
    name: '1-D, groups 1, stride 2, padding',
    x: [2, 3, 6],
    w: [2, 3, 3],
    params: { strides: [2], padding: [[1, 0]], dilation: [1], groups: 1 },
  },
  {
    name: '1-D, groups 2, dilation 2',
    x: [1, 4, 7],
    w: [6, 2, 2],
    params: { strides: [1], padding: [[0, 1]], dilation: [2], groups: 2 },
  },
  {
    name: '2-D, groups 1',
    x: [2, 2, 4, 5],
    w: [3, 2, 2, 3],
    params: {
      strides: [1, 2],
      padding: [
        [1, 1],
        [0, 1],
      ],
      dilation: [1, 1],
      groups: 1,
    },
  },
  {
    name: '2-D, groups 2 (two output features per group)',
    x: [1, 4, 4, 4],
    w: [4, 2, 3, 2],
    params: {
      strides: [1, 1],
      padding: [
        [1, 0],
        [0, 0],
      ],
      dilation: [1, 2],
      groups: 2,
    },
  },
];

// [axis of the first operand, axis of the second]: one or both batched, anywhere.
const AXES: [Axis, Axis][] = [
  [0, null],
  [1, null],
  [-1, null],
  [null, 0],
  [null, 1],
  [null, -1],
  [0, 0],
  [1, 0],
  [2, -1],
  [-1, 1],
];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(5);
  const floats = (shape: number[]) => uniform(shape, rand, -1, 1);

  test('every convolution primitive has a batching rule', () => {
    const names = ['conv', 'convBackwardInput', 'convBackwardFilter'];
    expect(names.filter((name) => !primitives().get(name)?.batch)).toEqual([]);
  });

  describe.each(CASES)('$name', ({ x, w, params }) => {
    const y = conv(floats(x), floats(w), params).shape; // one example's output shape

    test.each(AXES)('conv: image at %j, filter at %j', (ax, aw) => {
      const f: Fn = (image, filter) => conv(image, filter, params);
      expectLikeLoop(f, [floats(withBatch(x, ax)), floats(withBatch(w, aw))], [ax, aw], entry.rtol);
    });

    test.each(AXES)('convBackwardInput: dy at %j, filter at %j', (ady, aw) => {
      const f: Fn = (dy, filter) => convBackwardInput(dy, filter, x, params);
      expectLikeLoop(
        f,
        [floats(withBatch(y, ady)), floats(withBatch(w, aw))],
        [ady, aw],
        entry.rtol,
      );
    });

    test.each(AXES)('convBackwardFilter: image at %j, dy at %j', (ax, ady) => {
      const f: Fn = (image, dy) => convBackwardFilter(image, dy, w, params);
      expectLikeLoop(
        f,
        [floats(withBatch(x, ax)), floats(withBatch(y, ady))],
        [ax, ady],
        entry.rtol,
      );
    });

    test('gradients of both operands per example, whichever is batched', () => {
      const loss = (image: Tensor, filter: Tensor) => conv(image, filter, params).square().sum();
      const both = grad(loss, { argnums: [0, 1] });
      for (const [ax, aw] of [
        [0, null],
        [null, -1],
        [-1, 1],
      ] as [Axis, Axis][]) {
        const args = [floats(withBatch(x, ax)), floats(withBatch(w, aw))];
        expectLikeLoop((...a) => both(a[0]!, a[1]!)[0], args, [ax, aw], entry.rtol);
        expectLikeLoop((...a) => both(a[0]!, a[1]!)[1], args, [ax, aw], entry.rtol);
      }
    });
  });

  // A tiny CNN on one [C=2, 6, 6] image: conv 3x3 -> activation -> 2x2 average pool -> linear head.
  interface Params {
    w: Tensor; // [4, 2, 3, 3]
    head: Tensor; // [16, 3]
  }
  const net =
    (activation: (t: Tensor) => Tensor) =>
    (p: Params, image: Tensor): Tensor => {
      const features = activation(lax.conv(image.reshape([1, 2, 6, 6]), p.w, [1, 1], 'VALID'));
      const pooled = lax.avgPool(features, [2, 2], { strides: [2, 2] }); // [1, 4, 2, 2]
      return numpy.matmul(pooled.reshape([1, 16]), p.head).reshape([3]);
    };
  const cnnLoss = (p: Params, image: Tensor, target: Tensor): Tensor =>
    net(nn.relu)(p, image).sub(target).square().sum();
  const cnnParams = (): Params => ({ w: floats([4, 2, 3, 3]), head: floats([16, 3]) });

  test('per-example gradients of a CNN equal gradients taken one example at a time', () => {
    const p = cnnParams();
    const [images, targets] = [floats([B, 2, 6, 6]), floats([B, 3])];
    const perExample = vmap(grad(cnnLoss), { inAxes: [null, 0, 0] })(p, images, targets);
    const looped = [0, 1, 2].map((i) =>
      grad(cnnLoss)(p, exampleOf(images, 0, i), exampleOf(targets, 0, i)),
    );
    expectSame(perExample.w, numpy.stack(looped.map((g) => g.w)), entry.rtol);
    expectSame(perExample.head, numpy.stack(looped.map((g) => g.head)), entry.rtol);
    // The same with the images' batch axis last, and the input gradients too.
    const lastAxis = numpy.moveaxis(images, 0, -1);
    const byInput = vmap(grad(cnnLoss, { argnums: 1 }), { inAxes: [null, -1, 0] })(
      p,
      lastAxis,
      targets,
    );
    const inputLooped = [0, 1, 2].map((i) =>
      grad(cnnLoss, { argnums: 1 })(p, exampleOf(images, 0, i), exampleOf(targets, 0, i)),
    );
    expectSame(byInput, numpy.stack(inputLooped), entry.rtol);
  });

  test('per-example filter gradients take one convBackwardFilter call for the whole batch', () => {
    const backend = entry.backend();
    const spy = jest.spyOn(backend, 'convBackwardFilter');
    try {
      vmap(grad(cnnLoss), { inAxes: [null, 0, 0] })(
        cnnParams(),
        floats([B, 2, 6, 6]),
        floats([B, 3]),
      );
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![3]).toMatchObject({ groups: B });
    } finally {
      spy.mockRestore();
    }
  });

  test('grad of a vmapped conv net agrees with finite differences', () => {
    const batched = vmap(net(numpy.tanh), { inAxes: [null, -1] });
    const p = cnnParams();
    checkGrads(
      (w, head, images) => batched({ w, head }, images),
      [p.w, p.head, floats([2, 6, 6, B])],
    );
  });

  test('grad of a convolution vmapped over its filters, groups 1 and 2', () => {
    const one: Fn = (image, filter) => lax.conv(image, filter, [1], [[1, 1]]);
    checkGrads(
      (image, filters) => vmap(one, { inAxes: [null, 0] })(image, filters),
      [floats([2, 2, 5]), floats([B, 3, 2, 2])],
    );
    const two: Fn = (image, filter) =>
      lax.convGeneralDilated(image, filter, [1], 'VALID', { featureGroupCount: 2 });
    checkGrads(
      (images, filters) => vmap(two, { inAxes: [1, 0] })(images, filters),
      [floats([1, B, 4, 5]), floats([B, 4, 2, 2])],
    );
  });

  test('nested vmap: images mapped by one level, filters by the other', () => {
    const params: ConvParams = { strides: [1], padding: [[0, 0]], dilation: [1], groups: 2 };
    const f: Fn = (image, filter) => conv(image, filter, params);
    const [images, filters] = [floats([2, 1, 4, 5]), floats([4, 2, 2, B])]; // images along 0, filters along -1
    const nested = vmap(vmap(f, { inAxes: [0, null] }), { inAxes: [null, -1] })(images, filters);
    const looped = numpy.stack(
      [0, 1, 2].map((i) =>
        numpy.stack([0, 1].map((j) => f(exampleOf(images, 0, j), exampleOf(filters, -1, i)))),
      ),
    );
    expectSame(nested, looped, entry.rtol);
    const g = vmap(
      vmap(
        grad((image: Tensor, filter: Tensor) => f(image, filter).square().sum(), { argnums: 1 }),
        { inAxes: [0, null] },
      ),
      { inAxes: [null, -1] },
    )(images, filters);
    const gLooped = numpy.stack(
      [0, 1, 2].map((i) =>
        numpy.stack(
          [0, 1].map((j) =>
            grad((filter: Tensor) =>
              f(exampleOf(images, 0, j), filter)
                .square()
                .sum(),
            )(exampleOf(filters, -1, i)),
          ),
        ),
      ),
    );
    expectSame(g, gLooped, entry.rtol);
  });
});
