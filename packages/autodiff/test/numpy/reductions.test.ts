// The reductions of numpy/reductions.ts: axes (negative, several), keepdims, dtypes, empty inputs,
// errors, and a few gradients.
import { numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const x = numpy.arange(24).reshape([2, 3, 4]);

  test('sum over one, several, negative and all axes, with keepdims', () => {
    expect(numpy.sum(x).item()).toBe(276);
    expect(numpy.sum(x, { axis: -1 }).tolist()).toEqual([
      [6, 22, 38],
      [54, 70, 86],
    ]);
    expect(numpy.sum(x, { axis: [0, 2] }).tolist()).toEqual([60, 92, 124]);
    expect(numpy.sum(x, { axis: [-1, 0], keepdims: true }).shape).toEqual([1, 3, 1]);
    expect(numpy.sum(x, { keepdims: true }).shape).toEqual([1, 1, 1]);
    expect(numpy.sum(x, { axis: [] }).shape).toEqual([2, 3, 4]);
  });

  test('dtypes: int sums stay int32, bools count as int32, mean is float32', () => {
    expect(numpy.sum(x).dtype).toBe('int32');
    const b = numpy.array([true, true, false]);
    expect(numpy.sum(b).dtype).toBe('int32');
    expect(numpy.sum(b).item()).toBe(2);
    expect(numpy.mean(numpy.array([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
    expect(numpy.mean(numpy.array([1, 2], { dtype: 'int32' })).item()).toBe(1.5);
  });

  test('empty reductions: sum 0, prod 1, mean NaN, all true, any false; max is an error', () => {
    const e = numpy.zeros([0, 3]);
    expect(numpy.sum(e, { axis: 0 }).tolist()).toEqual([0, 0, 0]);
    expect(numpy.prod(e, { axis: 0 }).tolist()).toEqual([1, 1, 1]);
    expect(numpy.mean(e, { axis: 0 }).tolist()).toEqual([NaN, NaN, NaN]);
    expect(numpy.sum(e, { axis: 1 }).shape).toEqual([0]);
    expect(numpy.all(e).item()).toBe(1);
    expect(numpy.any(e).item()).toBe(0);
    expect(() => numpy.max(e, { axis: 0 })).toThrow(
      'max: zero-size reduction over float32[0, 3]: max of nothing has no identity',
    );
    expect(numpy.max(e, { axis: 1 }).shape).toEqual([0]);
    expect(() => numpy.argmax(e, { axis: 0 })).toThrow(
      'argmax: cannot take argmax of the empty axis 0 of float32[0, 3]',
    );
  });

  test('max, min, prod along axes', () => {
    const y = numpy.array([
      [3, -1, 2],
      [0, 5, -4],
    ]);
    expect(numpy.max(y, { axis: 0 }).tolist()).toEqual([3, 5, 2]);
    expect(numpy.min(y, { axis: -1, keepdims: true }).tolist()).toEqual([[-1], [-4]]);
    expect(numpy.prod(y, { axis: 1 }).tolist()).toEqual([-6, -0]);
    expect(numpy.max(numpy.array([1, NaN, 3])).item()).toBeNaN();
  });

  test('variance and std with ddof, over axes', () => {
    const y = numpy.array([
      [1, 2, 3, 4],
      [2, 2, 2, 2],
    ]);
    expect(numpy.variance(y, { axis: 1 }).tolist()).toEqual([1.25, 0]);
    expect(numpy.variance(y, { axis: 0, keepdims: true }).tolist()).toEqual([[0.25, 0, 0.25, 1]]);
    expect(numpy.std(y, { axis: 1, ddof: 1 }).get(1).item()).toBe(0);
    expect(numpy.std(y, { axis: 1, ddof: 1 }).get(0).item()).toBeCloseTo(Math.sqrt(5 / 3), 6);
    expect(numpy.std(numpy.array([2, 4, 4, 4, 5, 5, 7, 9])).item()).toBe(2);
  });

  test('argmax and argmin: first of ties, flattened by default, keepdims', () => {
    const y = numpy.array([
      [1, 7, 7],
      [9, 0, 9],
    ]);
    expect(numpy.argmax(y).item()).toBe(3);
    expect(numpy.argmax(y, { axis: 1 }).tolist()).toEqual([1, 0]);
    expect(numpy.argmin(y, { axis: 0 }).tolist()).toEqual([0, 1, 0]);
    expect(numpy.argmax(y, { axis: -1, keepdims: true }).shape).toEqual([2, 1]);
    expect(numpy.argmax(y, { keepdims: true }).shape).toEqual([1, 1]);
    expect(numpy.argmax(y).dtype).toBe('int32');
    expect(numpy.argmax(numpy.array([false, true])).item()).toBe(1);
  });

  test('all and any along axes', () => {
    const y = numpy.array([
      [1, 0],
      [2, 3],
    ]);
    expect(numpy.all(y, { axis: 1 }).tolist()).toEqual([false, true]);
    expect(numpy.any(y, { axis: 0 }).tolist()).toEqual([true, true]);
    expect(numpy.any(numpy.zeros([2, 2]), { axis: -1, keepdims: true }).tolist()).toEqual([
      [false],
      [false],
    ]);
  });

  test('cumsum along an axis, flattened, in reverse, for bools', () => {
    const y = numpy.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(numpy.cumsum(y, { axis: 0 }).tolist()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    expect(numpy.cumsum(y).tolist()).toEqual([1, 3, 6, 10, 15, 21]);
    expect(numpy.cumsum(y, { axis: -1, reverse: true }).tolist()).toEqual([
      [6, 5, 3],
      [15, 11, 6],
    ]);
    expect(numpy.cumsum(numpy.array([true, true, false])).tolist()).toEqual([1, 2, 2]);
  });

  test('bad axes are errors naming the function', () => {
    expect(() => numpy.sum(x, { axis: 3 })).toThrow(
      'sum: axis 3 is out of range for a tensor of rank 3 (expected -3 to 2)',
    );
    expect(() => numpy.mean(x, { axis: [1, -2] })).toThrow('mean: repeated axis in [1, -2]');
    expect(() => numpy.argmin(x, { axis: -4 })).toThrow(
      'argmin: axis -4 is out of range for a tensor of rank 3',
    );
    expect(() => numpy.cumsum(x, { axis: 1.5 })).toThrow(
      'cumsum: axis must be an integer, found the number 1.5',
    );
  });

  test('gradients of sum, mean, max, prod, variance and cumsum', () => {
    const r = randomSource(4);
    const t = randomTensor([3, 4], r);
    checkGrads((a) => numpy.sum(a, { axis: 0, keepdims: true }), [t]);
    checkGrads((a) => numpy.mean(a, { axis: [-1] }), [t]);
    checkGrads((a) => numpy.max(a, { axis: 1 }), [t]);
    checkGrads((a) => numpy.prod(a, { axis: 0 }), [t]);
    checkGrads((a) => numpy.variance(a, { axis: 1, ddof: 1 }), [t], { order: 2 });
    checkGrads((a) => numpy.cumsum(a, { axis: 1, reverse: true }), [t]);
  });
});
