// reduce over every subset of axes, argmax/argmin, and cumsum.
import type { ReduceOp } from '../../src/index.js';
import { argReduceRef, cumsumRef, reduceRef } from '../reference/reduce.js';
import { absRef, fromFn, refOf, sizeOfShape } from '../reference/ndarray.js';
import { prng, randomFloats, randomInts } from '../reference/random.js';
import { LAYOUTS, expectArray, forEachBackend, put } from './helpers.js';

const OPS: ReduceOp[] = ['sum', 'prod', 'max', 'min'];
/** Every subset of the axes of a rank-3 array, some written with negative axes. */
const SUBSETS = [[], [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2], [-1], [-3, -1], [2, 0]];

forEachBackend((ctx) => {
  describe('reduce', () => {
    it.each(OPS.flatMap((op) => (['float32', 'int32'] as const).map((d) => [op, d] as const)))(
      '%s of %s over every subset of axes, in every layout',
      async (op, dtype) => {
        const rng = prng(op.length);
        for (const layout of LAYOUTS) {
          // Products stay tame with values near 1 (float) or small (int, still wrapping past 2^31).
          const x =
            dtype === 'float32'
              ? randomFloats(rng, [3, 4, 5], op === 'prod' ? 0.5 : -3, op === 'prod' ? 1.5 : 3)
              : randomInts(rng, [3, 4, 5], op === 'prod' ? -6 : -1e6, op === 'prod' ? 6 : 1e6);
          const a = put(ctx.be, x, layout);
          for (const axes of SUBSETS) {
            const want = reduceRef(op, x, axes);
            const terms = sizeOfShape(x.shape) / sizeOfShape(want.shape);
            const mag = op === 'sum' ? reduceRef('sum', absRef(x), axes) : undefined;
            await expectArray(ctx.be, ctx.be.reduce(op, a, axes), want, ctx.tol, {
              label: `${layout} axes ${JSON.stringify(axes)}`,
              terms: op === 'sum' || op === 'prod' ? terms : 0,
              mag: mag ?? absRef(want),
            });
          }
        }
      },
    );

    it.each(OPS)('%s over empty dimensions gives the identity', async (op) => {
      const x = refOf([2, 0, 3], 'float32', []);
      for (const axes of [[1], [0, 1], [1, 2], [0, 1, 2], [0], []]) {
        await expectArray(
          ctx.be,
          ctx.be.reduce(op, put(ctx.be, x), axes),
          reduceRef(op, x, axes),
          ctx.tol,
          {
            label: JSON.stringify(axes),
          },
        );
      }
    });

    it('wraps int32 sums and products around', async () => {
      const x = refOf([4], 'int32', [2147483647, 1, 65536, 65536]);
      await expectArray(
        ctx.be,
        ctx.be.reduce('sum', put(ctx.be, x), [0]),
        refOf([], 'int32', [-2147352576]),
        ctx.tol,
      );
      const y = refOf([2], 'int32', [65536, 65536]);
      await expectArray(
        ctx.be,
        ctx.be.reduce('prod', put(ctx.be, y), [0]),
        refOf([], 'int32', [0]),
        ctx.tol,
      );
    });

    it('reduces a broadcast view and a scalar', async () => {
      const x = randomFloats(prng(5), [1, 4]);
      const wide = ctx.be.broadcastTo(put(ctx.be, x), [3, 4]);
      const big = fromFn([3, 4], 'float32', (i) => x.data[i[1]!]!);
      await expectArray(
        ctx.be,
        ctx.be.reduce('sum', wide, [0]),
        reduceRef('sum', big, [0]),
        ctx.tol,
        {
          terms: 3,
          mag: reduceRef('sum', absRef(big), [0]),
        },
      );
      const s = refOf([], 'float32', [2.5]);
      await expectArray(ctx.be, ctx.be.reduce('max', put(ctx.be, s), []), s, ctx.tol);
    });
  });

  describe('argReduce', () => {
    it.each(['argmax', 'argmin'] as const)('%s along each axis, in every layout', async (op) => {
      const rng = prng(op.length);
      for (const layout of LAYOUTS) {
        // Few distinct values, so ties are common: the first one must win.
        const x = randomInts(rng, [3, 4, 5], 0, 3);
        const xf = refOf(x.shape, 'float32', x.data);
        for (const axis of [0, 1, 2]) {
          for (const v of [x, xf]) {
            await expectArray(
              ctx.be,
              ctx.be.argReduce(op, put(ctx.be, v, layout), axis),
              argReduceRef(op, v, axis),
              ctx.tol,
              {
                label: `${v.dtype} ${layout} axis ${axis}`,
              },
            );
          }
        }
      }
    });

    it.each(['argmax', 'argmin'] as const)('%s counts the first NaN as the extreme', async (op) => {
      const x = refOf([3, 4], 'float32', [1, NaN, 5, NaN, -Infinity, 2, Infinity, 2, 3, 3, 0, 3]);
      await expectArray(
        ctx.be,
        ctx.be.argReduce(op, put(ctx.be, x), 1),
        argReduceRef(op, x, 1),
        ctx.tol,
      );
      const want = op === 'argmax' ? [1, 2, 0] : [1, 0, 2];
      await expectArray(
        ctx.be,
        ctx.be.argReduce(op, put(ctx.be, x), 1),
        refOf([3], 'int32', want),
        ctx.tol,
        {
          label: 'hand-derived',
        },
      );
    });

    it('handles empty other dimensions and a 1-d input', async () => {
      const e = refOf([0, 3], 'float32', []);
      await expectArray(
        ctx.be,
        ctx.be.argReduce('argmax', put(ctx.be, e), 1),
        refOf([0], 'int32', []),
        ctx.tol,
      );
      const v = refOf([4], 'float32', [1, 7, 7, -2]);
      await expectArray(
        ctx.be,
        ctx.be.argReduce('argmax', put(ctx.be, v), 0),
        refOf([], 'int32', [1]),
        ctx.tol,
      );
    });
  });

  describe('cumsum', () => {
    it.each([false, true])(
      'along each axis (reverse %p), float32 and int32, every layout',
      async (reverse) => {
        const rng = prng(reverse ? 2 : 1);
        for (const layout of LAYOUTS) {
          const xf = randomFloats(rng, [3, 4, 5], -3, 3);
          const xi = randomInts(rng, [3, 4, 5], -2147483648, 2147483647);
          for (const axis of [0, 1, 2]) {
            await expectArray(
              ctx.be,
              ctx.be.cumsum(put(ctx.be, xf, layout), axis, reverse),
              cumsumRef(xf, axis, reverse),
              ctx.tol,
              {
                label: `float32 ${layout} axis ${axis}`,
                terms: xf.shape[axis],
                mag: cumsumRef(absRef(xf), axis, reverse),
              },
            );
            await expectArray(
              ctx.be,
              ctx.be.cumsum(put(ctx.be, xi, layout), axis, reverse),
              cumsumRef(xi, axis, reverse),
              ctx.tol,
              {
                label: `int32 ${layout} axis ${axis}`,
              },
            );
          }
        }
      },
    );

    it('is forward by default and handles empty dimensions', async () => {
      const x = refOf([4], 'float32', [1, 2, 3, 4]);
      await expectArray(
        ctx.be,
        ctx.be.cumsum(put(ctx.be, x), 0),
        refOf([4], 'float32', [1, 3, 6, 10]),
        ctx.tol,
      );
      await expectArray(
        ctx.be,
        ctx.be.cumsum(put(ctx.be, x), 0, true),
        refOf([4], 'float32', [10, 9, 7, 4]),
        ctx.tol,
      );
      const e = refOf([2, 0], 'float32', []);
      for (const axis of [0, 1]) {
        await expectArray(ctx.be, ctx.be.cumsum(put(ctx.be, e), axis), e, ctx.tol, {
          label: `axis ${axis}`,
        });
      }
    });
  });
});
