// concatenate, stack, hstack, vstack, split and arraySplit: NumPy's results, errors and gradients.
import { numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

const int = (data: number[] | number[][]) => numpy.array(data, { dtype: 'int32' });

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('concatenate', () => {
    test('joins along axis 0 by default, along negative axes, and flattens with axis null', () => {
      const a = numpy.array([
        [1, 2],
        [3, 4],
      ]);
      const b = numpy.array([[5, 6]]);
      expect(numpy.concatenate([a, b]).tolist()).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(numpy.concatenate([a, numpy.array([[7], [8]])], { axis: -1 }).tolist()).toEqual([
        [1, 2, 7],
        [3, 4, 8],
      ]);
      expect(numpy.concatenate([a, b], { axis: null }).tolist()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    test('promotes dtypes: int32 with float32 gives float32, bool with int32 gives int32', () => {
      const out = numpy.concatenate([int([1, 2]), numpy.array([0.5])]);
      expect(out.dtype).toBe('float32');
      expect(out.tolist()).toEqual([1, 2, 0.5]);
      const mixed = numpy.concatenate([numpy.array([true]), int([3])]);
      expect(mixed.dtype).toBe('int32');
      expect(mixed.tolist()).toEqual([1, 3]);
    });

    test('keeps empty inputs as zero-length pieces', () => {
      expect(numpy.concatenate([numpy.zeros([0, 2]), numpy.ones([1, 2])]).tolist()).toEqual([
        [1, 1],
      ]);
    });

    test('refuses mismatched shapes, 0-d inputs, an empty list and a bad axis', () => {
      expect(() => numpy.concatenate([numpy.zeros([2, 2]), numpy.zeros([2, 3])])).toThrow(
        'concatenate: all inputs must have the same shape except along axis 0, found float32[2, 2], float32[2, 3]',
      );
      expect(() => numpy.concatenate([numpy.array(1), numpy.array(2)])).toThrow(
        'concatenate: zero-dimensional tensors cannot be concatenated',
      );
      expect(() => numpy.concatenate([])).toThrow(
        'concatenate: need at least one array to join, found an empty list',
      );
      expect(() => numpy.concatenate([numpy.zeros([2])], { axis: 1 })).toThrow(
        'concatenate: axis 1 is out of range for a tensor of rank 1 (expected -1 to 0)',
      );
    });

    test('gradients go back to each input', () => {
      const r = randomSource(1);
      checkGrads(
        (a, b) => numpy.concatenate([a, b], { axis: 1 }).square(),
        [randomTensor([2, 3], r), randomTensor([2, 1], r)],
        { order: 2 },
      );
    });
  });

  describe('stack, hstack, vstack', () => {
    test('stack adds a new axis at any position', () => {
      const a = numpy.array([
        [1, 2],
        [3, 4],
      ]);
      const b = numpy.array([
        [5, 6],
        [7, 8],
      ]);
      expect(numpy.stack([a, b]).shape).toEqual([2, 2, 2]);
      expect(numpy.stack([a, b], { axis: 1 }).tolist()).toEqual([
        [
          [1, 2],
          [5, 6],
        ],
        [
          [3, 4],
          [7, 8],
        ],
      ]);
      expect(numpy.stack([a, b], { axis: -1 }).tolist()).toEqual([
        [
          [1, 5],
          [2, 6],
        ],
        [
          [3, 7],
          [4, 8],
        ],
      ]);
      expect(numpy.stack([numpy.array(1), numpy.array(2)]).tolist()).toEqual([1, 2]);
    });

    test('stack refuses different shapes and out-of-range axes', () => {
      expect(() => numpy.stack([numpy.zeros([2]), numpy.zeros([3])])).toThrow(
        'stack: all inputs must have the same shape, found float32[2], float32[3]',
      );
      expect(() => numpy.stack([numpy.zeros([2])], { axis: 2 })).toThrow(
        'stack: axis 2 is out of range for a tensor of rank 2',
      );
    });

    test('hstack joins 1-D along axis 0 and 2-D along axis 1; vstack makes rows of 1-D', () => {
      expect(numpy.hstack([numpy.array([1]), numpy.array([2, 3])]).tolist()).toEqual([1, 2, 3]);
      expect(numpy.hstack([numpy.zeros([2, 1]), numpy.zeros([2, 3])]).shape).toEqual([2, 4]);
      expect(
        numpy
          .vstack([
            numpy.array([1, 2]),
            numpy.array([
              [3, 4],
              [5, 6],
            ]),
          ])
          .tolist(),
      ).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(numpy.vstack([numpy.array(1), numpy.array(2)]).tolist()).toEqual([[1], [2]]);
    });

    test('stack gradients', () => {
      const r = randomSource(2);
      checkGrads(
        (a, b) => numpy.stack([a, b], { axis: 1 }).mul(numpy.arange(2).reshape([1, 2, 1])),
        [randomTensor([3, 2], r), randomTensor([3, 2], r)],
      );
    });
  });

  describe('split and arraySplit', () => {
    test('split into equal sections or at indices, along any axis', () => {
      const x = numpy.arange(12).reshape([3, 4]);
      expect(numpy.split(x, 3).map((t) => t.tolist())).toEqual([
        [[0, 1, 2, 3]],
        [[4, 5, 6, 7]],
        [[8, 9, 10, 11]],
      ]);
      expect(numpy.split(x, 2, { axis: -1 }).map((t) => t.tolist())).toEqual([
        [
          [0, 1],
          [4, 5],
          [8, 9],
        ],
        [
          [2, 3],
          [6, 7],
          [10, 11],
        ],
      ]);
      expect(numpy.split(numpy.arange(6), [2, 3]).map((t) => t.tolist())).toEqual([
        [0, 1],
        [2],
        [3, 4, 5],
      ]);
    });

    test('indices out of order or past the end give empty pieces, as Python slices do', () => {
      expect(numpy.split(numpy.arange(4), [3, 1, 10]).map((t) => t.tolist())).toEqual([
        [0, 1, 2],
        [],
        [1, 2, 3],
        [],
      ]);
      expect(numpy.split(numpy.arange(4), [-1]).map((t) => t.tolist())).toEqual([[0, 1, 2], [3]]);
    });

    test('split refuses an unequal division; arraySplit makes the first pieces longer', () => {
      expect(() => numpy.split(numpy.arange(5), 3)).toThrow(
        'split: axis 0 of length 5 does not split into 3 equal sections (use arraySplit for unequal ones)',
      );
      expect(numpy.arraySplit(numpy.arange(7), 3).map((t) => t.tolist())).toEqual([
        [0, 1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(numpy.arraySplit(numpy.arange(2), 4).map((t) => t.tolist())).toEqual([
        [0],
        [1],
        [],
        [],
      ]);
      expect(() => numpy.split(numpy.arange(4), 0)).toThrow(
        'split: the number of sections must be a positive integer, found 0',
      );
      expect(() => numpy.split(numpy.array(1), 1)).toThrow(
        'split: cannot split a zero-dimensional tensor',
      );
    });

    test('gradients of the pieces go back to their places', () => {
      const r = randomSource(3);
      checkGrads(
        (x) => {
          const [a, b, c] = numpy.arraySplit(x, [1, 3], { axis: 1 });
          return numpy.concatenate([c!.mul(3), a!.square(), b!.mul(-1)], { axis: 1 });
        },
        [randomTensor([2, 5], r)],
      );
    });
  });
});
