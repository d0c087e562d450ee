// cast between every pair of dtypes, and bitcast between float32 and int32.
import type { DType } from '../../src/index.js';
import { bitcastRef, castRef } from '../reference/elementwise.js';
import { refOf } from '../reference/ndarray.js';
import { prng, randInt } from '../reference/random.js';
import { LAYOUTS, expectArray, fetch, forEachBackend, put, testSimdLaunches } from './helpers.js';

const DTYPES: DType[] = ['float32', 'int32', 'bool'];
/**
 * Values of each dtype worth converting; floats include values past the int32 range, where float to int32
 * saturates (2147483647 as float32 is 2^31, one past the range).
 */
const VALUES: Record<DType, number[]> = {
  float32: [
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    1.9999,
    -1.9999,
    2.5,
    -2.5,
    1e-30,
    123456.5,
    -2147483520,
    NaN,
    3e9,
    -3e9,
    Infinity,
    -Infinity,
    2147483647,
    -2147483648,
  ],
  int32: [0, 1, -1, 2, -3, 16777217, -16777217, 2147483647, -2147483648],
  bool: [0, 1, 1, 0],
};

forEachBackend((ctx) => {
  describe('cast', () => {
    it.each(DTYPES.flatMap((from) => DTYPES.map((to) => [from, to] as const)))(
      '%s to %s',
      async (from, to) => {
        const values = VALUES[from];
        for (const layout of LAYOUTS) {
          const x = refOf([values.length], from, values);
          await expectArray(
            ctx.be,
            ctx.be.cast(put(ctx.be, x, layout), to),
            castRef(x, to),
            ctx.tol,
            {
              label: layout,
            },
          );
        }
        const x2 = refOf([2, 0], from, []);
        await expectArray(ctx.be, ctx.be.cast(put(ctx.be, x2), to), castRef(x2, to), ctx.tol);
        const m = refOf([2, 2], from, values.slice(0, 4));
        await expectArray(
          ctx.be,
          ctx.be.cast(put(ctx.be, m, 'transposed'), to),
          castRef(m, to),
          ctx.tol,
          {
            label: '2-d transposed',
          },
        );
      },
    );

    it('truncates toward zero, sends NaN to 0 and makes NaN true', async () => {
      const x = put(ctx.be, refOf([5], 'float32', [2.7, -2.7, NaN, -0.2, 0.2]));
      expect(Array.from((await fetch(ctx.be, ctx.be.cast(x, 'int32'))).data)).toEqual([
        2, -2, 0, 0, 0,
      ]);
      expect(Array.from((await fetch(ctx.be, ctx.be.cast(x, 'bool'))).data)).toEqual([
        1, 1, 1, 1, 1,
      ]);
    });

    it('saturates floats past the int32 range, and sends NaN to 0', async () => {
      const values = [3e9, -3e9, Infinity, -Infinity, NaN, 2.5, -2.5, 2147483647, -2147483904];
      const x = put(ctx.be, refOf([values.length], 'float32', values));
      expect(Array.from((await fetch(ctx.be, ctx.be.cast(x, 'int32'))).data)).toEqual([
        2147483647, -2147483648, 2147483647, -2147483648, 0, 2, -2, 2147483647, -2147483648,
      ]);
    });

    it('rounds large int32 to the nearest float32', async () => {
      const x = put(ctx.be, refOf([3], 'int32', [16777217, 16777219, 2147483647]));
      const got = await fetch(ctx.be, ctx.be.cast(x, 'float32'));
      expect(Array.from(got.data)).toEqual([16777216, 16777220, 2147483648]);
    });
  });

  describe('bitcast', () => {
    it('gives the known bit patterns of float32 values', async () => {
      const x = put(ctx.be, refOf([6], 'float32', [1, -2, 0, -0, Infinity, 0.5]));
      const got = await fetch(ctx.be, ctx.be.bitcast(x, 'int32'));
      expect(Array.from(got.data)).toEqual([
        0x3f800000,
        0xc0000000 | 0,
        0,
        0x80000000 | 0,
        0x7f800000,
        0x3f000000,
      ]);
    });

    it('turns int32 bit patterns into float32 values', async () => {
      const x = put(
        ctx.be,
        refOf([4], 'int32', [0x3f800000, 0x40490fdb, 0xff800000 | 0, 0x7fc00000]),
      );
      const got = await fetch(ctx.be, ctx.be.bitcast(x, 'float32'));
      expect(Array.from(got.data)).toEqual([1, Math.fround(Math.PI), -Infinity, NaN]);
    });

    it('round-trips random int32 patterns (not NaN) and float32 values in every layout', async () => {
      const rng = prng(3);
      for (const layout of LAYOUTS) {
        const ints = Array.from({ length: 24 }, () => {
          const v = randInt(rng, -2147483648, 2147483647);
          return (v & 0x7f800000) === 0x7f800000 ? v & 0x3fffffff : v; // drop NaN and Inf exponents
        });
        const x = refOf([2, 3, 4], 'int32', ints);
        const asFloat = ctx.be.bitcast(put(ctx.be, x, layout), 'float32');
        await expectArray(
          ctx.be,
          asFloat,
          bitcastRef(x, 'float32'),
          { rtol: 0, atol: 0 },
          { label: layout },
        );
        await expectArray(ctx.be, ctx.be.bitcast(asFloat, 'int32'), x, ctx.tol, { label: layout });
      }
    });

    it('round-trips quiet NaN payloads from int32 through float32', async () => {
      const x = refOf([3], 'int32', [0x7fc00001, 0xffc00000 | 0, 0x7fc12345]);
      const back = ctx.be.bitcast(ctx.be.bitcast(put(ctx.be, x), 'float32'), 'int32');
      await expectArray(ctx.be, back, x, ctx.tol);
    });

    it('keeps the shape, including empty ones', async () => {
      const x = refOf([0, 3], 'float32', []);
      await expectArray(
        ctx.be,
        ctx.be.bitcast(put(ctx.be, x), 'int32'),
        bitcastRef(x, 'int32'),
        ctx.tol,
      );
    });
  });

  testSimdLaunches(ctx);
});
