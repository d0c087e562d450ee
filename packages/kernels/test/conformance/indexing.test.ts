// gather and scatterAdd: index resolution (negative, clamped), multi-d indices, repeated indices.
import type { DType } from '../../src/index.js';
import { absRef, refOf, type Ref } from '../reference/ndarray.js';
import { gatherRef, scatterAddRef } from '../reference/layout.js';
import { prng, randomInts, randomOf } from '../reference/random.js';
import { LAYOUTS, expectArray, fetch, forEachBackend, put } from './helpers.js';

/** [x shape, axis, indices shape]; indices range over [-2n, 2n) so some are negative or out of range. */
const CASES: [number[], number, number[]][] = [
  [[5], 0, [3]],
  [[4, 5], 0, [6]],
  [[4, 5], 1, [2, 3]],
  [[3, 4, 5], 1, [2, 2]],
  [[3, 4, 5], 2, []],
  [[3, 4, 5], 0, [0]],
  [[2, 0, 3], 0, [4]],
  [[4, 3], 1, [2, 0, 2]],
];

function indicesFor(seed: number, n: number, shape: number[]): Ref {
  return randomInts(prng(seed), shape, -2 * n, 2 * n - 1);
}

forEachBackend((ctx) => {
  describe('gather', () => {
    it.each(CASES)(
      'x %j along %i by indices %j, every dtype and layout',
      async (shape, axis, ishape) => {
        for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
          for (const layout of LAYOUTS) {
            const x = randomOf(prng(shape.length), shape, dtype);
            const idx = indicesFor(ishape.length + axis, shape[axis]!, ishape);
            const got = ctx.be.gather(put(ctx.be, x, layout), put(ctx.be, idx, layout), axis);
            await expectArray(ctx.be, got, gatherRef(x, idx, axis), ctx.tol, {
              label: `${dtype} ${layout}`,
            });
          }
        }
      },
    );

    it('resolves negative indices from the end and clamps the rest (hand-derived)', async () => {
      const x = ctx.be.upload(new Float32Array([10, 11, 12, 13]), [4]);
      const idx = ctx.be.upload(new Int32Array([0, -1, -4, -5, -100, 3, 4, 100]), [2, 4]);
      const got = ctx.be.gather(x, idx, 0);
      expect(got.shape).toEqual([2, 4]);
      expect(Array.from((await fetch(ctx.be, got)).data)).toEqual([10, 13, 10, 10, 10, 13, 13, 13]);
    });

    it('takes rows of a matrix by a broadcast index view', async () => {
      const x = refOf([3, 2], 'int32', [1, 2, 3, 4, 5, 6]);
      const idx = ctx.be.broadcastTo(ctx.be.upload(new Int32Array([2]), [1]), [3]);
      await expectArray(
        ctx.be,
        ctx.be.gather(put(ctx.be, x), idx, 0),
        refOf([3, 2], 'int32', [5, 6, 5, 6, 5, 6]),
        ctx.tol,
      );
    });
  });

  describe('scatterAdd', () => {
    it.each(CASES.filter(([s, a]) => s[a]! > 0))(
      'into %j along %i from indices %j, float32 and int32, every layout',
      async (shape, axis, ishape) => {
        for (const dtype of ['float32', 'int32'] as DType[]) {
          for (const layout of LAYOUTS) {
            const idx = indicesFor(ishape.length + axis, shape[axis]!, ishape);
            const ushape = [...shape.slice(0, axis), ...ishape, ...shape.slice(axis + 1)];
            const u = randomOf(prng(ushape.length), ushape, dtype);
            const got = ctx.be.scatterAdd(
              put(ctx.be, u, layout),
              put(ctx.be, idx, layout),
              axis,
              shape[axis]!,
            );
            const want = scatterAddRef(u, idx, axis, shape[axis]!);
            await expectArray(ctx.be, got, want, ctx.tol, {
              label: `${dtype} ${layout}`,
              terms: Math.max(1, idx.data.length),
              mag: scatterAddRef(absRef(u), idx, axis, shape[axis]!),
            });
          }
        }
      },
    );

    it('accumulates repeated indices (hand-derived)', async () => {
      const u = ctx.be.upload(new Float32Array([1, 2, 3, 4, 5]), [5]);
      const idx = ctx.be.upload(new Int32Array([1, 1, -1, 1, 7]), [5]);
      const got = ctx.be.scatterAdd(u, idx, 0, 4);
      expect(got.shape).toEqual([4]);
      expect(Array.from((await fetch(ctx.be, got)).data)).toEqual([0, 7, 0, 8]);
    });

    it('gives zeros for empty indices', async () => {
      const u = refOf([2, 0], 'float32', []);
      const idx = refOf([0], 'int32', []);
      await expectArray(
        ctx.be,
        ctx.be.scatterAdd(put(ctx.be, u), put(ctx.be, idx), 1, 3),
        refOf([2, 3], 'float32', [0, 0, 0, 0, 0, 0]),
        ctx.tol,
      );
    });
  });
});
