// pool and poolBackward (max and avg), 1D to 3D, against the reference window walk.
import type { PoolOp } from '../../src/index.js';
import { absRef, fromFn, sizeOfShape } from '../reference/ndarray.js';
import { poolBackwardRef, poolRef, poolShapeRef, type PoolRefOptions } from '../reference/pool.js';
import { prng, randInt, randomFloats } from '../reference/random.js';
import { LAYOUTS, expectArray, fetch, forEachBackend, put } from './helpers.js';

const CASES: [string, number[], PoolRefOptions][] = [
  ['1d', [2, 3, 7], { window: [2] }],
  ['1d strided SAME', [2, 3, 7], { window: [3], strides: [2], padding: 'SAME' }],
  ['1d overlapping explicit', [1, 2, 6], { window: [3], strides: [1], padding: [[1, 2]] }],
  ['2d', [2, 2, 5, 6], { window: [2, 2] }],
  ['2d SAME overlapping', [1, 3, 5, 5], { window: [3, 3], strides: [1, 1], padding: 'SAME' }],
  [
    '2d explicit',
    [2, 1, 4, 5],
    {
      window: [2, 3],
      strides: [2, 2],
      padding: [
        [1, 1],
        [0, 1],
      ],
    },
  ],
  ['3d', [1, 2, 4, 4, 3], { window: [2, 2, 2], strides: [1, 2, 1] }],
  ['3d SAME', [1, 1, 3, 4, 5], { window: [2, 3, 2], padding: 'SAME' }],
  ['empty batch', [0, 2, 4, 4], { window: [2, 2] }],
  ['window larger than input', [1, 1, 2, 5], { window: [3, 2] }],
];

forEachBackend((ctx) => {
  describe.each(['max', 'avg'] as PoolOp[])('pool %s', (op) => {
    it.each(CASES)('%s: x %j, %j', async (label, shape, options) => {
      const rng = prng(label.length);
      for (const layout of LAYOUTS) {
        // Max pooling sees few distinct values, so windows tie and the first largest must win.
        const x =
          op === 'max'
            ? fromFn(shape, 'float32', () => randInt(rng, 0, 3) - 1.5)
            : randomFloats(rng, shape);
        const windowSize = sizeOfShape(options.window);
        await expectArray(
          ctx.be,
          ctx.be.pool(op, put(ctx.be, x, layout), options),
          poolRef(op, x, options),
          ctx.tol,
          {
            label: `pool ${layout}`,
            terms: windowSize,
            mag: poolRef(op, absRef(x), options),
          },
        );
        const dy = randomFloats(rng, poolShapeRef(shape, options));
        const dx = ctx.be.poolBackward(
          op,
          put(ctx.be, dy, layout),
          put(ctx.be, x, layout),
          options,
        );
        await expectArray(ctx.be, dx, poolBackwardRef(op, dy, x, options), ctx.tol, {
          label: `poolBackward ${layout}`,
          terms: windowSize,
          mag: poolBackwardRef(op, absRef(dy), x, options),
        });
      }
    });
  });

  describe.each(['max', 'avg'] as PoolOp[])('pool %s with NaN inputs', (op) => {
    const cases: [string, number[], PoolRefOptions][] = [
      ...CASES,
      ['2d tiling 2x2', [2, 2, 4, 6], { window: [2, 2] }],
    ];
    it.each(cases)('%s: x %j, %j', async (label, shape, options) => {
      const rng = prng(label.length + 7);
      for (const layout of LAYOUTS) {
        // About one element in five is NaN, with ties among the rest: windows hold several NaNs, a NaN
        // after a larger value, or none.
        const x = fromFn(shape, 'float32', () => {
          const r = randInt(rng, 0, 4);
          return r === 0 ? NaN : r - 2.5;
        });
        const windowSize = sizeOfShape(options.window);
        await expectArray(
          ctx.be,
          ctx.be.pool(op, put(ctx.be, x, layout), options),
          poolRef(op, x, options),
          ctx.tol,
          { label: `pool ${layout}`, terms: windowSize, mag: poolRef(op, absRef(x), options) },
        );
        const dy = randomFloats(rng, poolShapeRef(shape, options));
        const dx = ctx.be.poolBackward(
          op,
          put(ctx.be, dy, layout),
          put(ctx.be, x, layout),
          options,
        );
        await expectArray(ctx.be, dx, poolBackwardRef(op, dy, x, options), ctx.tol, {
          label: `poolBackward ${layout}`,
          terms: windowSize,
          mag: poolBackwardRef(op, absRef(dy), x, options),
        });
      }
    });
  });

  describe('pool, hand-derived', () => {
    const x = () => ctx.be.upload(new Float32Array([1, 3, 3, 2, 0, 5]), [1, 1, 6]);

    it('max pools with ties and routes the gradient to the first largest', async () => {
      expect(
        Array.from((await fetch(ctx.be, ctx.be.pool('max', x(), { window: [3] }))).data),
      ).toEqual([3, 5]);
      const dy = ctx.be.upload(new Float32Array([10, 20]), [1, 1, 2]);
      const dx = ctx.be.poolBackward('max', dy, x(), { window: [3] });
      expect(Array.from((await fetch(ctx.be, dx)).data)).toEqual([0, 10, 0, 0, 0, 20]);
    });

    it('max pools propagate NaN and route the gradient to the first NaN', async () => {
      const nan = ctx.be.upload(new Float32Array([1, 4, NaN, NaN, 2]), [1, 1, 5]);
      const y = await fetch(ctx.be, ctx.be.pool('max', nan, { window: [2], strides: [1] }));
      expect(Array.from(y.data)).toEqual([4, NaN, NaN, NaN]);
      const dy = ctx.be.upload(new Float32Array([1, 2, 3, 4]), [1, 1, 4]);
      const dx = ctx.be.poolBackward('max', dy, nan, { window: [2], strides: [1] });
      expect(Array.from((await fetch(ctx.be, dx)).data)).toEqual([0, 1, 5, 4, 0]);
      // The 2x2 tiling path: [[1, NaN], [NaN, 5]] and [[7, 0], [0, NaN]].
      const x2 = ctx.be.upload(new Float32Array([1, NaN, 7, 0, NaN, 5, 0, NaN]), [1, 1, 2, 4]);
      const y2 = await fetch(ctx.be, ctx.be.pool('max', x2, { window: [2, 2] }));
      expect(Array.from(y2.data)).toEqual([NaN, NaN]);
      const dy2 = ctx.be.upload(new Float32Array([10, 20]), [1, 1, 1, 2]);
      const dx2 = ctx.be.poolBackward('max', dy2, x2, { window: [2, 2] });
      expect(Array.from((await fetch(ctx.be, dx2)).data)).toEqual([0, 10, 0, 0, 0, 0, 0, 20]);
      // Average pooling: NaN in the window gives NaN; its gradient does not depend on x.
      const avg = await fetch(ctx.be, ctx.be.pool('avg', nan, { window: [2], strides: [1] }));
      expect(Array.from(avg.data)).toEqual([2.5, NaN, NaN, NaN]);
      const davg = ctx.be.poolBackward('avg', dy, nan, { window: [2], strides: [1] });
      expect(Array.from((await fetch(ctx.be, davg)).data)).toEqual([0.5, 1.5, 2.5, 3.5, 2]);
    });

    it('average pools divide by the whole window, padding included', async () => {
      const options = { window: [3], strides: [3], padding: [[1, 1]] as [number, number][] };
      const y = await fetch(ctx.be, ctx.be.pool('avg', x(), options));
      // Windows [pad, 1, 3] and [3, 2, 0]; the 5 is never covered.
      expect(Array.from(y.data)).toEqual([4 / 3, 5 / 3].map(Math.fround));
      const dy = ctx.be.upload(new Float32Array([3, 6]), [1, 1, 2]);
      const dx = await fetch(ctx.be, ctx.be.poolBackward('avg', dy, x(), options));
      expect(Array.from(dx.data)).toEqual([1, 1, 2, 2, 2, 0]);
    });

    it('max pools pad with -Infinity', async () => {
      const neg = ctx.be.upload(new Float32Array([-5, -6, -7]), [1, 1, 3]);
      const y = ctx.be.pool('max', neg, { window: [2], strides: [2], padding: [[1, 0]] });
      expect(Array.from((await fetch(ctx.be, y)).data)).toEqual([-5, -6]);
      // A window wholly in the padding sees only -Infinity, and routes no gradient.
      const one = ctx.be.upload(new Float32Array([1]), [1, 1, 1]);
      const options = { window: [1], padding: [[2, 0]] as [number, number][] };
      const z = await fetch(ctx.be, ctx.be.pool('max', one, options));
      expect(Array.from(z.data)).toEqual([-Infinity, -Infinity, 1]);
      const dy = ctx.be.upload(new Float32Array([5, 6, 7]), [1, 1, 3]);
      const dx = await fetch(ctx.be, ctx.be.poolBackward('max', dy, one, options));
      expect(Array.from(dx.data)).toEqual([7]);
    });
  });
});
