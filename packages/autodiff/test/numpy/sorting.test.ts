// sort and argsort: stable order, NaNs last, every length, along any axis, and the gradient of sort.
import { grad, numpy, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

/** The stable ascending order of `values` by JavaScript's (stable) sort, NaNs last and -0 equal to 0. */
function referenceOrder(values: readonly number[], descending = false): number[] {
  const rank = (v: number) => (Number.isNaN(v) ? Infinity : v);
  return values
    .map((_, i) => i)
    .sort((i, j) => {
      const a = values[i]!;
      const b = values[j]!;
      if (Number.isNaN(a) || Number.isNaN(b)) {
        const order = Number(Number.isNaN(a)) - Number(Number.isNaN(b));
        return descending ? -order : order;
      }
      const d = rank(a) - rank(b);
      return descending ? -d : d;
    });
}

/** Values with ties, signed zeros, infinities and NaNs. */
function awkwardValues(n: number, rand: () => number): number[] {
  const pool = [NaN, -0, 0, Infinity, -Infinity, 1.5, -2];
  return Array.from({ length: n }, () =>
    rand() < -0.3 ? pool[Math.floor(((rand() + 1) / 2) * pool.length)]! : Math.round(rand() * 4),
  );
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const r = randomSource(5);

  test.each([0, 1, 2, 3, 5, 8, 13, 32, 33])(
    'argsort of %i awkward float32 values is the stable order',
    (n) => {
      const values = awkwardValues(n, r);
      expect(numpy.argsort(numpy.array(values)).tolist()).toEqual(referenceOrder(values));
      expect(numpy.argsort(numpy.array(values), { descending: true }).tolist()).toEqual(
        referenceOrder(values, true),
      );
    },
  );

  test('sort puts NaNs last and keeps the values of signed zeros', () => {
    const out = numpy.sort(numpy.array([NaN, 1, -0, -Infinity, 0, NaN, -1]));
    expect(Array.from(out.dataSync())).toEqual([-Infinity, -1, -0, 0, 1, NaN, NaN]);
    expect(Object.is(out.dataSync()[2], -0)).toBe(true);
  });

  test('int32 keys over the whole range, and bools', () => {
    const big = 2 ** 31 - 1;
    const values = [5, -big - 1, big, 0, -1, big, -big - 1];
    const ints = numpy.array(values, { dtype: 'int32' });
    expect(numpy.sort(ints).tolist()).toEqual([-big - 1, -big - 1, -1, 0, 5, big, big]);
    expect(numpy.argsort(ints).tolist()).toEqual(referenceOrder(values));
    expect(numpy.argsort(ints, { descending: true }).tolist()).toEqual([2, 5, 0, 3, 4, 1, 6]);
    expect(numpy.sort(ints).dtype).toBe('int32');
    expect(numpy.sort(numpy.array([true, false, true])).tolist()).toEqual([false, true, true]);
  });

  test('along every axis of a 3-D tensor, and flattened', () => {
    const x = randomTensor([3, 4, 5], r, 3);
    const data = Array.from(x.dataSync());
    for (const axis of [0, 1, 2, -1, -3]) {
      const sorted = numpy.sort(x, { axis });
      const order = numpy.argsort(x, { axis });
      const a = (axis + 3) % 3;
      const moved = numpy.moveaxis(x, a, -1).reshape([-1, x.shape[a]!]);
      const rows = (moved.tolist() as number[][]).map((row) => referenceOrder(row));
      expect(numpy.moveaxis(order, a, -1).reshape([-1, x.shape[a]!]).tolist()).toEqual(rows);
      expect(numpy.moveaxis(sorted, a, -1).reshape([-1, x.shape[a]!]).tolist()).toEqual(
        (moved.tolist() as number[][]).map((row, i) => rows[i]!.map((j) => row[j]!)),
      );
    }
    expect(Array.from(numpy.sort(x, { axis: null }).dataSync())).toEqual(
      referenceOrder(data).map((i) => Math.fround(data[i]!)),
    );
  });

  test('sort and argsort with empty axes and errors', () => {
    expect(numpy.sort(numpy.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(numpy.sort(numpy.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(numpy.argsort(numpy.zeros([0, 3]), { axis: 0 }).shape).toEqual([0, 3]);
    expect(() => numpy.sort(numpy.array(1))).toThrow(
      'sort: cannot sort a zero-dimensional tensor along an axis (use axis: null)',
    );
    expect(() => numpy.argsort(numpy.zeros([2]), { axis: 1 })).toThrow(
      'argsort: axis 1 is out of range for a tensor of rank 1',
    );
    expect(numpy.sort(numpy.array(3), { axis: null }).tolist()).toEqual([3]);
  });

  test('the gradient of sort sends each cotangent to the element it came from', () => {
    const x = numpy.array([0.5, -1, 2, 0]);
    const weights = numpy.array([1, 10, 100, 1000]);
    // sorted: [-1, 0, 0.5, 2] from positions [1, 3, 0, 2].
    const g = grad((t: Tensor) => numpy.sort(t).mul(weights).sum())(x);
    expect(g.tolist()).toEqual([100, 1, 1000, 10]);
  });

  test('sort passes gradient checks along each axis and descending', () => {
    checkGrads((x) => numpy.sort(x), [randomTensor([3, 6], r)], { order: 2 });
    checkGrads((x) => numpy.sort(x, { axis: 0, descending: true }), [randomTensor([5, 2], r)]);
  });
});
