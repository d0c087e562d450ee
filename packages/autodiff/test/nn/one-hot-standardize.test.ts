import { TensorError, nn, numpy, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('oneHot', () => {
    test('labels become indicator rows; out-of-range and negative labels give all-zero rows, as JAX', () => {
      const labels = numpy.array([2, 0, 3, -1, -3], { dtype: 'int32' });
      const y = nn.oneHot(labels, 3);
      expect(y.dtype).toBe('float32');
      expect(y.tolist()).toEqual([
        [0, 0, 1],
        [1, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ]);
    });

    test('axis places the class axis; dtype sets the result type', () => {
      const labels = numpy.array(
        [
          [0, 1],
          [1, 1],
        ],
        { dtype: 'int32' },
      );
      expect(nn.oneHot(labels, 2, { axis: 0 }).tolist()).toEqual([
        [
          [1, 0],
          [0, 0],
        ],
        [
          [0, 1],
          [1, 1],
        ],
      ]);
      expect(nn.oneHot(labels, 2, { axis: 1 }).shape).toEqual([2, 2, 2]);
      expect(nn.oneHot(labels, 2, { axis: 1 }).tolist()).toEqual([
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ]);
      const ints = nn.oneHot(numpy.array([1], { dtype: 'int32' }), 3, { dtype: 'int32' });
      expect(ints.dtype).toBe('int32');
      expect(ints.tolist()).toEqual([[0, 1, 0]]);
    });

    test('float labels compare by value (1.5 matches no class); a scalar label gives a vector', () => {
      expect(nn.oneHot(numpy.array([1, 1.5]), 3).tolist()).toEqual([
        [0, 1, 0],
        [0, 0, 0],
      ]);
      expect(nn.oneHot(numpy.array(2, { dtype: 'int32' }), 4).tolist()).toEqual([0, 0, 1, 0]);
      expect(nn.oneHot(numpy.array([1], { dtype: 'int32' }), 0).shape).toEqual([1, 0]);
    });

    test('bad arguments throw TensorErrors', () => {
      expect(() => nn.oneHot(numpy.array([1]), -1)).toThrow(TensorError);
      expect(() => nn.oneHot(numpy.array([1]), 2.5)).toThrow(
        /^oneHot: `numClasses` must be a non-negative integer, found 2.5/,
      );
      expect(() => nn.oneHot(numpy.array([1]), 2, { axis: 2 })).toThrow(
        /^oneHot: axis 2 is out of range for a tensor of rank 2/,
      );
    });
  });

  describe('standardize', () => {
    test('hand-derived values: zero mean, unit variance along the axis', () => {
      // Variance 8/3: the result is [-1, 0, 1] * sqrt(3/2).
      const [a, b, c] = nn.standardize(numpy.array([1, 3, 5]), { epsilon: 0 }).tolist() as number[];
      expect([a! + Math.sqrt(1.5), b, c! - Math.sqrt(1.5)].every((v) => Math.abs(v!) < 1e-6)).toBe(
        true,
      );
      const x = numpy.array([
        [0, 4],
        [2, 2],
      ]);
      expect(nn.standardize(x, { axis: 0, epsilon: 0 }).tolist()).toEqual([
        [-1, 1],
        [1, -1],
      ]);
      expect(nn.standardize(x, { axis: null, epsilon: 0 }).tolist()).toEqual(
        [
          [-1, 1],
          [0, 0],
        ].map((r) => r.map((v) => v * Math.fround(2 / Math.sqrt(2)))),
      );
      // Epsilon keeps a constant row finite.
      expect(nn.standardize(numpy.array([7, 7]), { epsilon: 1 }).tolist()).toEqual([0, 0]);
    });

    test('given mean and variance are used as they are', () => {
      expect(
        nn.standardize(numpy.array([1, 3]), { mean: 1, variance: 4, epsilon: 0 }).tolist(),
      ).toEqual([0, 1]);
    });

    test('random rows come out with mean 0 and variance 1 (float64 check)', () => {
      const x = randomTensor([3, 6], randomSource(2), 5, 2);
      const rows = nn.standardize(x).tolist() as number[][];
      for (const row of rows) {
        const mean = row.reduce((a, b) => a + b, 0) / row.length;
        const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
        expect(Math.abs(mean)).toBeLessThan(1e-5);
        expect(variance).toBeCloseTo(1, 3);
      }
    });

    test('gradients by finite differences, to second order', () => {
      checkGrads((t: Tensor) => nn.standardize(t), [randomTensor([2, 5], randomSource(3), 2)], {
        order: 2,
        eps: 1e-2,
      });
      checkGrads(
        (t: Tensor) => nn.standardize(t, { axis: 0 }),
        [randomTensor([4, 2], randomSource(5), 2)],
        { order: 2, eps: 1e-2 },
      );
    });
  });
});
