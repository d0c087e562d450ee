// argsort: every axis, layout and direction, against an insertion sort written here; special values.
import { KernelError } from '../../src/index.js';
import { fromFn, refOf, type Ref } from '../reference/ndarray.js';
import { prng, randomInts } from '../reference/random.js';
import { LAYOUTS, expectArray, forEachBackend, put } from './helpers.js';

/** Orders two values as argsort must: NaN above every number, -0 equal to +0. */
function before(a: number, b: number, descending: boolean): boolean {
  const rank = (v: number) => (Number.isNaN(v) ? Infinity : v);
  if (Number.isNaN(a) && Number.isNaN(b)) return false;
  if (Number.isNaN(a) !== Number.isNaN(b)) return descending ? Number.isNaN(a) : Number.isNaN(b);
  return descending ? rank(a) > rank(b) : rank(a) < rank(b);
}

/** The stable argsort of `x` along `axis`, by insertion sort (moves an index only past strictly later ones). */
function argsortRef(x: Ref, axis: number, descending: boolean): Ref {
  const n = x.shape[axis]!;
  const strides = x.shape.map((_, d) => x.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const orders = new Map<number, number[]>();
  return fromFn(x.shape, 'int32', (index) => {
    const rowStart = index.reduce((s, i, d) => s + (d === axis ? 0 : i * strides[d]!), 0);
    let order = orders.get(rowStart);
    if (!order) {
      order = [];
      for (let i = 0; i < n; i++) {
        let j = order.length;
        const v = x.data[rowStart + i * strides[axis]!]!;
        while (j > 0 && before(v, x.data[rowStart + order[j - 1]! * strides[axis]!]!, descending))
          j--;
        order.splice(j, 0, i);
      }
      orders.set(rowStart, order);
    }
    return order[index[axis]!]!;
  });
}

forEachBackend((ctx) => {
  describe('argsort', () => {
    it.each([false, true])(
      'random ints with many ties along every axis and layout (descending %s)',
      async (descending) => {
        const rng = prng(descending ? 2 : 1);
        const x = randomInts(rng, [3, 4, 5], -3, 3);
        for (const layout of LAYOUTS) {
          for (const axis of [0, 1, 2, -1]) {
            const want = argsortRef(x, axis < 0 ? axis + 3 : axis, descending);
            await expectArray(
              ctx.be,
              ctx.be.argsort(put(ctx.be, x, layout), axis, descending),
              want,
              ctx.tol,
              {
                label: `${layout} axis ${axis}`,
              },
            );
          }
        }
      },
    );

    it('special floats: NaN last (first when descending), -0 ties with +0, infinities in place', async () => {
      const values = [NaN, 1, -0, -Infinity, 0, NaN, Infinity, -2.5, 1];
      const x = refOf([values.length], 'float32', values);
      const a = put(ctx.be, x);
      expect(Array.from(await ctx.be.read(ctx.be.argsort(a, 0)))).toEqual([
        3, 7, 2, 4, 1, 8, 6, 0, 5,
      ]);
      expect(Array.from(await ctx.be.read(ctx.be.argsort(a, 0, true)))).toEqual([
        0, 5, 6, 1, 8, 2, 4, 7, 3,
      ]);
    });

    it('int32 extremes and empty or length-1 axes', async () => {
      const x = refOf([4], 'int32', [2147483647, -2147483648, 0, -1]);
      expect(Array.from(await ctx.be.read(ctx.be.argsort(put(ctx.be, x), 0)))).toEqual([
        1, 3, 2, 0,
      ]);
      const empty = ctx.be.argsort(ctx.be.full([2, 0], 0, 'float32'), 1);
      expect(empty.shape).toEqual([2, 0]);
      const single = ctx.be.argsort(ctx.be.full([3, 1], 5, 'int32'), 1);
      expect(Array.from(await ctx.be.read(single))).toEqual([0, 0, 0]);
    });

    it('refuses bool input and bad axes', () => {
      expect(() => ctx.be.argsort(ctx.be.full([2], 1, 'bool'), 0)).toThrow(KernelError);
      expect(() => ctx.be.argsort(ctx.be.full([2], 1, 'float32'), 1)).toThrow(/argsort: .*axis/);
      expect(() => ctx.be.argsort(ctx.be.full([], 1, 'float32'), 0)).toThrow(KernelError);
    });
  });
});
