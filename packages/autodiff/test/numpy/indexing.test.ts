// numpy.index and Tensor.get against NumPy's indexing rules, worked out by hand on x = arange(24)
// shaped [2, 3, 4] (so x[a, b, c] = 12a + 4b + c).
import { Tensor, numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

const int = (data: number[] | number[][]) => numpy.array(data, { dtype: 'int32' });
const bool = (data: boolean[] | boolean[][]) => numpy.array(data);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const x = numpy.arange(24).reshape([2, 3, 4]);

  describe('basic indices', () => {
    test('numbers, negative numbers and trailing axes', () => {
      expect(x.get(1).shape).toEqual([3, 4]);
      expect(x.get(1, 2).tolist()).toEqual([20, 21, 22, 23]);
      expect(x.get(-1, -1, -1).shape).toEqual([]);
      expect(x.get(-1, -1, -1).item()).toBe(23);
      expect(numpy.index(x, 0, 1)).toBeInstanceOf(Tensor);
    });

    test('slices with steps, negative steps, clamping and empty results', () => {
      expect(x.get(0, 0, '1:').tolist()).toEqual([1, 2, 3]);
      expect(x.get(0, 0, ':-1').tolist()).toEqual([0, 1, 2]);
      expect(x.get(0, 0, '::2').tolist()).toEqual([0, 2]);
      expect(x.get(0, 0, '::-1').tolist()).toEqual([3, 2, 1, 0]);
      expect(x.get(0, 0, '3:0:-1').tolist()).toEqual([3, 2, 1]);
      expect(x.get(0, 0, '::-3').tolist()).toEqual([3, 0]);
      expect(x.get(0, 0, '-2::-1').tolist()).toEqual([2, 1, 0]);
      expect(x.get(0, 0, '-100:100').tolist()).toEqual([0, 1, 2, 3]);
      expect(x.get(0, 0, '3:1').shape).toEqual([0]);
      expect(x.get(':', '::-1', 0).tolist()).toEqual([
        [8, 4, 0],
        [20, 16, 12],
      ]);
    });

    // Fails today: indexing.ts passes the negative step of an empty slice on to lax.slice, which refuses it.
    test('an empty slice with a negative step has length 0', () => {
      expect(x.get(0, 0, '1:3:-1').shape).toEqual([0]);
      expect(x.get(':', '0:2:-1').shape).toEqual([2, 0, 4]);
    });

    test('new axes and the ellipsis', () => {
      expect(x.get(null, 0, null).shape).toEqual([1, 1, 3, 4]);
      expect(x.get('...', 1).tolist()).toEqual([
        [1, 5, 9],
        [13, 17, 21],
      ]);
      expect(x.get(0, '...', null).shape).toEqual([3, 4, 1]);
      expect(x.get('...').shape).toEqual([2, 3, 4]);
      expect(x.get(1, '...', 2, 3).item()).toBe(23);
      expect(x.get(null, '...', null).shape).toEqual([1, 2, 3, 4, 1]);
    });
  });

  describe('integer-tensor indices', () => {
    test('one tensor index: its shape replaces the axis', () => {
      expect(x.get(int([1, 0, 1])).shape).toEqual([3, 3, 4]);
      expect(
        x
          .get(
            0,
            int([
              [0, 2],
              [1, 1],
            ]),
          )
          .get(':', ':', 0)
          .tolist(),
      ).toEqual([
        [0, 8],
        [4, 4],
      ]);
      expect(
        x
          .get('...', int([0, 3]))
          .get(1)
          .tolist(),
      ).toEqual([
        [12, 15],
        [16, 19],
        [20, 23],
      ]);
      expect(x.get(int([])).shape).toEqual([0, 3, 4]);
    });

    test('negative indices count from the end; others out of range are clamped (as JAX)', () => {
      expect(x.get(0, 0, int([-1, -4])).tolist()).toEqual([3, 0]);
      expect(x.get(0, 0, int([5, -9])).tolist()).toEqual([3, 0]);
    });

    test('adjacent tensor indices broadcast together and stay in place', () => {
      expect(x.get(':', int([0, 2]), int([[1], [3]])).tolist()).toEqual([
        [
          [1, 9],
          [3, 11],
        ],
        [
          [13, 21],
          [15, 23],
        ],
      ]);
      expect(x.get(':', 1, int([0, 3])).tolist()).toEqual([
        [4, 7],
        [16, 19],
      ]);
    });

    test('non-adjacent tensor indices move their dimensions to the front', () => {
      expect(x.get(int([0, 1]), ':', int([2, 3])).tolist()).toEqual([
        [2, 6, 10],
        [15, 19, 23],
      ]);
      expect(x.get(0, ':', int([1, 2])).tolist()).toEqual([
        [1, 5, 9],
        [2, 6, 10],
      ]);
      expect(x.get(int([[1]]), '::-1', int([0, 1])).shape).toEqual([1, 2, 3]);
    });

    test('negative indices of a tensor index wrap once; beyond -n they clamp to 0', () => {
      const v = numpy.arange(4);
      expect(numpy.index(v, int([-1, -4, -5, -100, 3, 4])).tolist()).toEqual([3, 0, 0, 0, 3, 3]);
    });

    test('with a new axis and a negative-step slice', () => {
      expect(x.get(null, int([1])).shape).toEqual([1, 1, 3, 4]);
      // The number counts as an advanced index too, so the two are not adjacent and go first (NumPy).
      expect(x.get(0, '::-1', int([0])).tolist()).toEqual([[8, 4, 0]]);
      expect(x.get(0, int([0]), '::-1').tolist()).toEqual([[3, 2, 1, 0]]);
    });
  });

  describe('bool masks', () => {
    test('a mask of the full shape, of leading dimensions, and at a later position', () => {
      expect(x.get(x.gt(20)).tolist()).toEqual([21, 22, 23]);
      const rows = bool([
        [true, false, true],
        [false, false, true],
      ]);
      expect(x.get(rows).shape).toEqual([3, 4]);
      expect(x.get(rows, 0).tolist()).toEqual([0, 8, 20]);
      expect(
        x
          .get(':', bool([true, false, true]))
          .get('...', 0)
          .tolist(),
      ).toEqual([
        [0, 8],
        [12, 20],
      ]);
      expect(x.get(bool([false, false])).shape).toEqual([0, 3, 4]);
    });

    // Fails today (indexing.ts drops a 0-d mask): NumPy's x[True] adds an axis of length 1, x[False] one of length 0.
    test('a 0-d mask adds an axis of length 1 (true) or 0 (false), as NumPy', () => {
      expect(x.get(numpy.array(true)).shape).toEqual([1, 2, 3, 4]);
      expect(x.get(numpy.array(false)).shape).toEqual([0, 2, 3, 4]);
    });

    // Fails today (indexing.ts turns the mask into indices without checking its shape, then clamps them).
    test('a mask whose shape differs from the dimensions it covers is an error', () => {
      expect(() => x.get(bool([true, false, true]))).toThrow(/index: .*mask/);
    });
  });

  describe('errors', () => {
    test('bad indices are errors naming index and the problem', () => {
      expect(() => x.get(0, 0, 0, 0)).toThrow(
        'index: too many indices for int32[2, 3, 4]: 4 given',
      );
      expect(() => x.get(2)).toThrow('index: index 2 is out of bounds for axis 0 with size 2');
      expect(() => x.get(0, -4)).toThrow('index: index -4 is out of bounds for axis 1 with size 3');
      expect(() => x.get('...', 0, '...')).toThrow(
        "index: an index can only have a single ellipsis ('...')",
      );
      expect(() => x.get('a:b')).toThrow(
        "index: cannot read the slice 'a:b': expected 'start:stop' or 'start:stop:step' with integer parts",
      );
      expect(() => x.get('::0')).toThrow("index: slice step cannot be zero in '::0'");
      expect(() => x.get(numpy.array([1]))).toThrow(
        'index: tensor indices must be int32 or bool, found float32[1]',
      );
    });
  });

  describe('gradients', () => {
    const r = randomSource(8);
    const t = randomTensor([3, 4], r);
    test('through slices, negative steps and new axes', () => {
      checkGrads((a) => a.get('1:', '::-2', null), [t], { order: 2 });
      checkGrads((a) => a.get('...', -1), [t]);
    });
    test('through integer tensors with repeats, adjacent and not', () => {
      checkGrads((a) => a.get(int([2, 0, 2])), [t], { order: 2 });
      checkGrads((a) => a.get(int([[0], [2]]), int([1, 1, 3])), [t]);
      const cube = randomTensor([2, 3, 2], r);
      checkGrads((a) => a.get(int([1, 0]), ':', int([0, 0])), [cube]);
    });
    test('through a bool mask', () => {
      checkGrads(
        (a) =>
          a.get(
            bool([
              [true, false, true, false],
              [false, false, true, true],
              [true, true, true, true],
            ]),
          ),
        [t],
      );
    });
  });
});
