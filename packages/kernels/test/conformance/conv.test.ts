// conv and its two backward kernels against the reference definition, 1D to 3D, every option.
import { absRef, sizeOfShape, type Ref } from '../reference/ndarray.js';
import {
  convBackwardFilterRef,
  convBackwardInputRef,
  convRef,
  convShapeRef,
  type ConvRefOptions,
} from '../reference/conv.js';
import { prng, randomFloats } from '../reference/random.js';
import {
  LAYOUTS,
  expectArray,
  fetch,
  forEachBackend,
  testParallelJobs,
  put,
  type Conformance,
  type Layout,
} from './helpers.js';

/** [x shape, w shape, options]: 1D, 2D and 3D, strides, paddings, dilation, groups, batch, empties. */
const CASES: [string, number[], number[], ConvRefOptions][] = [
  ['1d', [2, 3, 7], [4, 3, 3], {}],
  ['1d strided SAME', [2, 3, 7], [4, 3, 3], { strides: [2], padding: 'SAME' }],
  ['1d dilated explicit', [1, 2, 9], [3, 2, 3], { dilation: [2], padding: [[1, 2]] }],
  ['1d even kernel SAME', [1, 1, 6], [1, 1, 4], { padding: 'SAME' }],
  ['1d unused tail', [1, 2, 6], [2, 2, 3], { strides: [2] }],
  ['2d', [2, 3, 5, 6], [4, 3, 3, 2], {}],
  ['2d SAME strided', [1, 2, 7, 6], [3, 2, 3, 3], { strides: [2, 3], padding: 'SAME' }],
  [
    '2d dilated',
    [1, 2, 7, 7],
    [2, 2, 3, 2],
    {
      dilation: [2, 3],
      padding: [
        [2, 0],
        [1, 3],
      ],
    },
  ],
  ['2d groups', [2, 4, 5, 5], [6, 2, 3, 3], { groups: 2, padding: 'SAME' }],
  [
    '2d depthwise',
    [1, 3, 5, 4],
    [3, 1, 3, 3],
    {
      groups: 3,
      padding: [
        [1, 1],
        [1, 1],
      ],
    },
  ],
  ['2d depthwise x2', [2, 3, 4, 4], [6, 1, 2, 2], { groups: 3, strides: [2, 2] }],
  ['2d 1x1', [2, 5, 3, 3], [4, 5, 1, 1], {}],
  [
    '3d',
    [1, 2, 4, 5, 3],
    [3, 2, 2, 3, 2],
    {
      padding: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      strides: [1, 2, 1],
    },
  ],
  [
    '3d SAME dilated groups',
    [2, 2, 4, 4, 4],
    [2, 1, 2, 2, 2],
    { padding: 'SAME', dilation: [2, 1, 2], groups: 2 },
  ],
  ['empty batch', [0, 3, 5], [4, 3, 2], {}],
  ['kernel larger than input', [1, 1, 2, 5], [2, 1, 3, 3], {}],
  ['empty output channels', [1, 2, 4], [0, 2, 2], {}],
];

function terms(shape: readonly number[], from: number): number {
  return Math.max(1, sizeOfShape(shape.slice(from)));
}

async function checkAll(
  ctx: Conformance,
  x: Ref,
  w: Ref,
  options: ConvRefOptions,
  layout: Layout,
  label: string,
) {
  const yShape = convShapeRef(x.shape, w.shape, options);
  const dy = randomFloats(prng(yShape.length), yShape);
  const groups = options.groups ?? 1;
  await expectArray(
    ctx.be,
    ctx.be.conv(put(ctx.be, x, layout), put(ctx.be, w, layout), options),
    convRef(x, w, options),
    ctx.tol,
    {
      label: `${label} conv ${layout}`,
      terms: terms(w.shape, 1),
      mag: convRef(absRef(x), absRef(w), options),
    },
  );
  const dx = ctx.be.convBackwardInput(
    put(ctx.be, dy, layout),
    put(ctx.be, w, layout),
    x.shape,
    options,
  );
  await expectArray(ctx.be, dx, convBackwardInputRef(dy, w, x.shape, options), ctx.tol, {
    label: `${label} convBackwardInput ${layout}`,
    terms: (w.shape[0]! / groups) * terms(w.shape, 2),
    mag: convBackwardInputRef(absRef(dy), absRef(w), x.shape, options),
  });
  const dw = ctx.be.convBackwardFilter(
    put(ctx.be, x, layout),
    put(ctx.be, dy, layout),
    w.shape,
    options,
  );
  await expectArray(ctx.be, dw, convBackwardFilterRef(x, dy, w.shape, options), ctx.tol, {
    label: `${label} convBackwardFilter ${layout}`,
    terms: yShape[0]! * terms(yShape, 2),
    mag: convBackwardFilterRef(absRef(x), absRef(dy), w.shape, options),
  });
}

forEachBackend((ctx) => {
  describe('conv, convBackwardInput, convBackwardFilter', () => {
    it.each(CASES)('%s: x %j, w %j, %j', async (label, xs, ws, options) => {
      const rng = prng(label.length);
      await checkAll(
        ctx,
        randomFloats(rng, xs),
        randomFloats(rng, ws),
        options,
        'contiguous',
        label,
      );
    });

    it.each(LAYOUTS)('takes %s views of every operand', async (layout) => {
      const rng = prng(layout.length);
      for (const [label, xs, ws, options] of [CASES[2]!, CASES[8]!, CASES[12]!]) {
        await checkAll(ctx, randomFloats(rng, xs), randomFloats(rng, ws), options, layout, label);
      }
    });

    it('computes a hand-derived 1d example', async () => {
      const x = ctx.be.upload(new Float32Array([1, 2, 3, 4]), [1, 1, 4]);
      const w = ctx.be.upload(new Float32Array([1, 0, -1]), [1, 1, 3]);
      expect(Array.from((await fetch(ctx.be, ctx.be.conv(x, w))).data)).toEqual([-2, -2]);
      const same = ctx.be.conv(x, w, { padding: 'SAME' });
      expect(Array.from((await fetch(ctx.be, same)).data)).toEqual([-2, -2, -2, 3]);
      const dy = ctx.be.upload(new Float32Array([1, 10]), [1, 1, 2]);
      const dx = ctx.be.convBackwardInput(dy, w, [1, 1, 4]);
      expect(Array.from((await fetch(ctx.be, dx)).data)).toEqual([1, 10, -1, -10]);
      const dw = ctx.be.convBackwardFilter(x, dy, [1, 1, 3]);
      expect(Array.from((await fetch(ctx.be, dw)).data)).toEqual([21, 32, 43]);
    });
  });

  testParallelJobs(ctx);
});
