// Integer division and remainders by sign, JAX's dtype promotion with weak JavaScript numbers,
// broadcasting of the elementwise functions, rounding of integers, and logaddexp.
import { grad, numpy, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

const int = (data: number[]) => numpy.array(data, { dtype: 'int32' });

/** Every sign combination of dividends and divisors, flattened into two vectors. */
const dividends = [-7, -6, -1, 0, 1, 6, 7];
const divisors = [-3, -2, 2, 3];
const pairs = dividends.flatMap((a) => divisors.map((b) => [a, b] as const));
const as = pairs.map(([a]) => a);
const bs = pairs.map(([, b]) => b);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('floorDivide, remainder, fmod', () => {
    test('int32 floorDivide rounds toward minus infinity, as Python //', () => {
      const out = numpy.floorDivide(int(as), int(bs));
      expect(out.dtype).toBe('int32');
      expect(out.tolist()).toEqual(pairs.map(([a, b]) => Math.floor(a / b) + 0));
    });

    test('int32 remainder has the sign of the divisor, as Python %', () => {
      const out = numpy.remainder(int(as), int(bs));
      expect(out.dtype).toBe('int32');
      expect(out.tolist()).toEqual(pairs.map(([a, b]) => a - b * Math.floor(a / b)));
    });

    test('int32 fmod has the sign of the dividend, as C', () => {
      const out = numpy.fmod(int(as), int(bs));
      expect(out.dtype).toBe('int32');
      expect(out.tolist()).toEqual(pairs.map(([a, b]) => (a % b) + 0));
    });

    test('floor division identity a == b * (a // b) + a % b holds for int32', () => {
      const q = numpy.floorDivide(int(as), int(bs));
      const m = numpy.remainder(int(as), int(bs));
      expect(q.mul(int(bs)).add(m).tolist()).toEqual(as);
    });

    test('float32 versions', () => {
      expect(numpy.floorDivide(numpy.array([-7.5, 7.5]), 2).tolist()).toEqual([-4, 3]);
      expect(numpy.remainder(numpy.array([-7.5, 7.5]), 2).tolist()).toEqual([0.5, 1.5]);
      expect(numpy.remainder(numpy.array([-7.5, 7.5]), -2).tolist()).toEqual([-1.5, -0.5]);
      expect(numpy.fmod(numpy.array([-7.5, 7.5]), 2).tolist()).toEqual([-1.5, 1.5]);
      expect(numpy.floorDivide(int([7]), 2.5).dtype).toBe('float32');
      expect(numpy.floorDivide(int([7]), 2.5).tolist()).toEqual([2]);
    });
  });

  describe('dtype promotion with weak JavaScript numbers', () => {
    test('an int32 tensor plus an integer stays int32; plus a fraction becomes float32', () => {
      const x = int([1, 2]);
      expect(numpy.add(x, 1).dtype).toBe('int32');
      expect(x.add(1).tolist()).toEqual([2, 3]);
      expect(x.mul(3).dtype).toBe('int32');
      const y = x.add(1.5);
      expect(y.dtype).toBe('float32');
      expect(y.tolist()).toEqual([2.5, 3.5]);
    });

    test('bool plus a number gives int32; bool with bool comparisons stay bool', () => {
      const b = numpy.array([true, false]);
      expect(b.add(1).dtype).toBe('int32');
      expect(b.add(1).tolist()).toEqual([2, 1]);
      expect(b.add(0.5).dtype).toBe('float32');
      expect(b.eq(true).tolist()).toEqual([true, false]);
    });

    test('a float32 tensor stays float32 next to any number; tensors promote strongly', () => {
      expect(numpy.ones([1]).add(2).dtype).toBe('float32');
      expect(numpy.add(int([1]), numpy.array([1])).dtype).toBe('float32');
      expect(numpy.add(int([1]), numpy.array([true])).dtype).toBe('int32');
      expect(numpy.add(1, 2).dtype).toBe('float32');
    });

    test('true division of integers gives float32; comparisons give bool', () => {
      const q = numpy.divide(int([1, 3]), int([2, 2]));
      expect(q.dtype).toBe('float32');
      expect(q.tolist()).toEqual([0.5, 1.5]);
      expect(int([1]).div(2).dtype).toBe('float32');
      expect(numpy.less(int([1]), 1.5).tolist()).toEqual([true]);
      expect(numpy.maximum(int([1, 5]), 3).dtype).toBe('int32');
    });

    test('where promotes its branches as arithmetic does', () => {
      const out = numpy.where(numpy.array([true, false]), int([1, 2]), 0.5);
      expect(out.dtype).toBe('float32');
      expect(out.tolist()).toEqual([1, 0.5]);
      expect(numpy.where(numpy.array([true, false]), int([1, 2]), 0).dtype).toBe('int32');
    });
  });

  describe('broadcasting', () => {
    test('shapes broadcast from the trailing dimension', () => {
      const out = numpy.subtract(numpy.array([[10], [20]]), numpy.array([1, 2, 3]));
      expect(out.tolist()).toEqual([
        [9, 8, 7],
        [19, 18, 17],
      ]);
      expect(numpy.add(numpy.zeros([2, 1, 3]), numpy.zeros([4, 1])).shape).toEqual([2, 4, 3]);
      expect(numpy.add(numpy.zeros([0, 3]), numpy.zeros([1, 3])).shape).toEqual([0, 3]);
    });

    test('shapes that do not broadcast are an error naming both', () => {
      expect(() => numpy.add(numpy.zeros([2]), numpy.zeros([3]))).toThrow(
        'add: shapes float32[2] and float32[3] do not broadcast: each trailing dimension must be equal or 1',
      );
      expect(() => numpy.bitwiseAnd(numpy.zeros([2]), 1)).toThrow(
        'bitwiseAnd: expected int32 or bool inputs, found float32[2]',
      );
    });

    test('clip with a missing bound', () => {
      expect(numpy.clip(numpy.array([-1, 5]), null, 2).tolist()).toEqual([-1, 2]);
      expect(numpy.clip(int([-1, 5]), 0).dtype).toBe('int32');
    });
  });

  describe('rounding', () => {
    const roundings = [
      ['round', numpy.round],
      ['floor', numpy.floor],
      ['ceil', numpy.ceil],
      ['trunc', numpy.trunc],
    ] as const;

    test.each(roundings)('%s returns int32 and bool inputs unchanged, as JAX', (_name, f) => {
      const ints = int([-7, 0, 3, 2 ** 31 - 1]);
      const out = f(ints);
      expect(out.dtype).toBe('int32');
      // 2**31 - 1 has no exact float32: a round trip through float32 would change it.
      expect(out.tolist()).toEqual([-7, 0, 3, 2 ** 31 - 1]);
      expect(f(numpy.array([true, false])).tolist()).toEqual([true, false]);
    });

    test('float32 inputs are rounded each in its own way', () => {
      const x = numpy.array([-2.5, -1.5, -0.7, 0.5, 1.7, 2.5]);
      expect(numpy.round(x).tolist()).toEqual([-2, -2, -1, 0, 2, 2]);
      expect(numpy.floor(x).tolist()).toEqual([-3, -2, -1, 0, 1, 2]);
      expect(numpy.ceil(x).tolist()).toEqual([-2, -1, -0, 1, 2, 3]);
      expect(numpy.trunc(x).tolist()).toEqual([-2, -1, -0, 0, 1, 2]);
      expect(numpy.floor(x).dtype).toBe('float32');
    });
  });

  describe('logaddexp', () => {
    /** float64 log(exp(a) + exp(b)), shifted by the maximum. */
    const reference = (a: number, b: number) => {
      const m = Math.max(a, b);
      return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    };

    test('matches float64 for small, large, negative and tied inputs', () => {
      const as = [0, 1, -3, 1000, -1000, 2, 88, -20];
      const bs = [0, -1, 4, 1000, -1000.5, 2, 89, 30];
      const out = numpy.logaddexp(numpy.array(as), numpy.array(bs));
      expect(out.dtype).toBe('float32');
      Array.from(out.dataSync()).forEach((v, i) => {
        const expected = reference(as[i]!, bs[i]!);
        expect(Math.abs(v - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      });
    });

    test('infinities give the larger input, never NaN; NaN propagates', () => {
      const out = numpy.logaddexp(
        numpy.array([-Infinity, Infinity, -Infinity, Infinity, -Infinity, NaN]),
        numpy.array([-Infinity, Infinity, Infinity, -Infinity, 0, 1]),
      );
      expect(out.tolist()).toEqual([-Infinity, Infinity, Infinity, Infinity, 0, NaN]);
    });

    test('integer inputs give float32 and broadcast', () => {
      const out = numpy.logaddexp(int([0, 1]).reshape([2, 1]), int([0, 1]));
      expect(out.dtype).toBe('float32');
      expect(out.shape).toEqual([2, 2]);
      expect(out.dataSync()[1]).toBeCloseTo(reference(0, 1), 6);
    });

    test('gradients by finite differences, to second order', () => {
      const r = randomSource(5);
      checkGrads(
        (a, b) => numpy.logaddexp(a, b),
        [randomTensor([2, 3], r, 3), randomTensor([3], r, 3)],
        { order: 2 },
      );
    });

    test('the gradient is the softmax weight of each input, finite at -Infinity', () => {
      const da = grad((a: Tensor) => numpy.logaddexp(a, numpy.array([0, 0, -Infinity])).sum())(
        numpy.array([0, Math.log(3), -Infinity]),
      );
      const [tie, weighted, bothInfinite] = Array.from(da.dataSync());
      expect(tie).toBe(0.5);
      expect(weighted).toBeCloseTo(0.75, 6);
      expect(Number.isFinite(bothInfinite)).toBe(true);
    });
  });
});
