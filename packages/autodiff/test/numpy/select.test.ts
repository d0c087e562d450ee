// take, takeAlongAxis, nonzero, flip, roll, tile, repeat and pad: NumPy/JAX results, errors, gradients.
import { numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

const int = (data: number[] | number[][]) => numpy.array(data, { dtype: 'int32' });

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const r = randomSource(7);

  describe('take', () => {
    const x = numpy.arange(12).reshape([3, 4]);

    test('flattened without an axis; index shape replaces the axis', () => {
      expect(numpy.take(x, [11, 0, -1]).tolist()).toEqual([11, 0, 11]);
      expect(numpy.take(x, [[0, 2]], { axis: 0 }).shape).toEqual([1, 2, 4]);
      expect(numpy.take(x, int([3, 0]), { axis: -1 }).tolist()).toEqual([
        [3, 0],
        [7, 4],
        [11, 8],
      ]);
      expect(numpy.take(x, 1, { axis: 1 }).tolist()).toEqual([1, 5, 9]);
    });

    test('out-of-range indices: clamped, wrapped or filled', () => {
      expect(numpy.take(x, [5, -7], { axis: 0 }).tolist()).toEqual([
        [8, 9, 10, 11],
        [0, 1, 2, 3],
      ]);
      expect(numpy.take(x, [5, -4], { axis: 1, mode: 'wrap' }).tolist()).toEqual([
        [1, 0],
        [5, 4],
        [9, 8],
      ]);
      expect(numpy.take(numpy.array([1, 2]), [2, -3, -2], { mode: 'fill' }).tolist()).toEqual([
        NaN,
        NaN,
        1,
      ]);
      expect(numpy.take(int([1, 2]), [2], { mode: 'fill' }).tolist()).toEqual([-(2 ** 31)]);
      expect(numpy.take(numpy.zeros([0]), [0], { mode: 'fill', fillValue: 3 }).tolist()).toEqual([
        3,
      ]);
    });

    test('errors for float indices, an empty axis and an unknown mode', () => {
      expect(() => numpy.take(x, numpy.array([1]))).toThrow(
        'take: `indices` must be int32, found float32[1]',
      );
      // A fractional JavaScript index would otherwise be truncated silently (to 1 here).
      expect(() => numpy.take(x, [1.9])).toThrow('take: `indices` must hold integers, found 1.9');
      expect(() => numpy.take(x, [[0], [2.5]], { axis: 0 })).toThrow(
        'take: `indices` must hold integers, found 2.5',
      );
      expect(() => numpy.take(x, new Float32Array([0, 0.5]))).toThrow(
        'take: `indices` must hold integers, found 0.5',
      );
      expect(() => numpy.take(x, -0.5)).toThrow('take: `indices` must hold integers, found -0.5');
      expect(numpy.take(x, new Float64Array([2, -1])).tolist()).toEqual([2, 11]);
      expect(() => numpy.take(numpy.zeros([2, 0]), [0], { axis: 1 })).toThrow(
        'take: cannot take from the empty axis 1 of float32[2, 0]',
      );
      // @ts-expect-error: an unknown mode, as JavaScript callers can pass
      expect(() => numpy.take(x, [0], { mode: 'raise' })).toThrow(
        "take: mode must be 'clip', 'wrap' or 'fill', found 'raise'",
      );
    });

    test('gradients add up over repeated indices', () => {
      checkGrads(
        (t) =>
          numpy.take(
            t,
            int([
              [2, 0],
              [2, 2],
            ]),
            { axis: 1 },
          ),
        [randomTensor([2, 3], r)],
        { order: 2 },
      );
      checkGrads(
        (t) => numpy.take(t, [0, 9], { mode: 'fill', fillValue: 0 }),
        [randomTensor([2, 3], r)],
      );
    });
  });

  describe('takeAlongAxis', () => {
    test('one index per position, with broadcasting of the other axes', () => {
      const x = numpy.array([
        [10, 30, 20],
        [60, 40, 50],
      ]);
      expect(numpy.takeAlongAxis(x, int([[0], [2]]), 1).tolist()).toEqual([[10], [50]]);
      expect(numpy.takeAlongAxis(x, int([[1, 0, 1]]), 0).tolist()).toEqual([[60, 30, 50]]);
      expect(numpy.takeAlongAxis(x, int([[-1, 0]]), -1).tolist()).toEqual([
        [20, 10],
        [50, 60],
      ]);
      expect(numpy.takeAlongAxis(x, int([5, 0]), null).tolist()).toEqual([50, 10]);
      expect(
        numpy.takeAlongAxis(x, int([[3], [0]]), 1, { mode: 'fill', fillValue: -1 }).tolist(),
      ).toEqual([[-1], [60]]);
    });

    test('inverts argsort', () => {
      const x = randomTensor([3, 5], r);
      const sorted = numpy.takeAlongAxis(x, numpy.argsort(x, { axis: 0 }), 0);
      expect(sorted.tolist()).toEqual(numpy.sort(x, { axis: 0 }).tolist());
    });

    test('errors for a rank mismatch', () => {
      expect(() => numpy.takeAlongAxis(numpy.zeros([2, 2]), int([0]), 0)).toThrow(
        'takeAlongAxis: indices must have the rank of arr (2), found int32[1] for float32[2, 2]',
      );
      expect(() => numpy.takeAlongAxis(numpy.zeros([2, 2]), int([[0, 1, 0]]), 1)).not.toThrow();
      expect(() => numpy.takeAlongAxis(numpy.zeros([2, 2]), int([[0], [1], [0]]), 1)).toThrow(
        'takeAlongAxis: indices int32[3, 1] do not broadcast against arr float32[2, 2] outside axis 1',
      );
    });

    test('errors for float indices, tensors or numbers', () => {
      expect(() => numpy.takeAlongAxis(numpy.zeros([2]), numpy.array([1]), 0)).toThrow(
        'takeAlongAxis: `indices` must be int32, found float32[1]',
      );
      expect(() => numpy.takeAlongAxis(numpy.zeros([2]), [0.5], 0)).toThrow(
        'takeAlongAxis: `indices` must hold integers, found 0.5',
      );
      expect(numpy.takeAlongAxis(numpy.array([5, 6]), [1, 1, 0], 0).tolist()).toEqual([6, 6, 5]);
    });

    test('gradients', () => {
      checkGrads(
        (t) =>
          numpy.takeAlongAxis(
            t,
            int([
              [0, 0],
              [2, 1],
            ]),
            1,
          ),
        [randomTensor([2, 3], r)],
        { order: 2 },
      );
    });
  });

  describe('nonzero', () => {
    test('one index tensor per dimension, in row-major order', () => {
      const [a, b] = numpy.nonzero(
        numpy.array([
          [0, 1, 0],
          [2, 0, NaN],
        ]),
      );
      expect(a!.tolist()).toEqual([0, 1, 1]);
      expect(b!.tolist()).toEqual([1, 0, 2]);
      expect(numpy.nonzero(numpy.zeros([3]))[0]!.shape).toEqual([0]);
      expect(numpy.nonzero(numpy.array([1, 1, 1]), { size: 2 })[0]!.tolist()).toEqual([0, 1]);
      expect(() => numpy.nonzero(numpy.array(1))).toThrow(
        'nonzero: cannot take nonzero of a zero-dimensional tensor',
      );
    });
  });

  describe('flip and roll', () => {
    const x = numpy.arange(6).reshape([2, 3]);

    test('flip along one, several or all axes', () => {
      expect(numpy.flip(x, { axis: -1 }).tolist()).toEqual([
        [2, 1, 0],
        [5, 4, 3],
      ]);
      expect(numpy.flip(x, { axis: [0, 1] }).tolist()).toEqual([
        [5, 4, 3],
        [2, 1, 0],
      ]);
      expect(numpy.flip(numpy.array(3)).tolist()).toEqual(3);
      expect(() => numpy.flip(x, { axis: 2 })).toThrow(
        'flip: axis 2 is out of range for a tensor of rank 2',
      );
    });

    test('roll by positive, negative and large shifts, flat or along axes', () => {
      expect(numpy.roll(x, 7, { axis: 1 }).tolist()).toEqual([
        [2, 0, 1],
        [5, 3, 4],
      ]);
      expect(numpy.roll(x, -1, { axis: 0 }).tolist()).toEqual([
        [3, 4, 5],
        [0, 1, 2],
      ]);
      expect(numpy.roll(x, -2).tolist()).toEqual([
        [2, 3, 4],
        [5, 0, 1],
      ]);
      expect(numpy.roll(x, [1, 2], { axis: 1 }).tolist()).toEqual([
        [0, 1, 2],
        [3, 4, 5],
      ]);
      expect(numpy.roll(numpy.zeros([0]), 3).shape).toEqual([0]);
      expect(() => numpy.roll(x, [1, 2, 3], { axis: [0, 1] })).toThrow(
        'roll: shift [1, 2, 3] and axis [0, 1] must have equal lengths',
      );
    });

    test('gradients', () => {
      checkGrads((t) => numpy.flip(t, { axis: 0 }).mul(numpy.arange(3)), [randomTensor([4, 3], r)]);
      checkGrads(
        (t) => numpy.roll(t, [1, -1], { axis: [0, 1] }).mul(numpy.arange(3)),
        [randomTensor([4, 3], r)],
      );
    });
  });

  describe('tile and repeat', () => {
    test('tile pads reps or the shape with leading ones', () => {
      const x = numpy.array([
        [1, 2],
        [3, 4],
      ]);
      expect(numpy.tile(x, [1, 2]).tolist()).toEqual([
        [1, 2, 1, 2],
        [3, 4, 3, 4],
      ]);
      expect(numpy.tile(x, [2, 1, 1]).shape).toEqual([2, 2, 2]);
      expect(numpy.tile(numpy.array(5), 3).tolist()).toEqual([5, 5, 5]);
      expect(numpy.tile(x, 0).shape).toEqual([2, 0]);
      expect(() => numpy.tile(x, [-1])).toThrow(
        'tile: reps must be non-negative integers, found [-1]',
      );
    });

    test('repeat elements by a count or per-element counts', () => {
      const x = numpy.array([
        [1, 2],
        [3, 4],
      ]);
      expect(numpy.repeat(x, 2).tolist()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
      expect(numpy.repeat(x, 2, { axis: -1 }).tolist()).toEqual([
        [1, 1, 2, 2],
        [3, 3, 4, 4],
      ]);
      expect(numpy.repeat(x, [2, 0], { axis: 0 }).tolist()).toEqual([
        [1, 2],
        [1, 2],
      ]);
      expect(numpy.repeat(x, [0, 0], { axis: 1 }).shape).toEqual([2, 0]);
      expect(() => numpy.repeat(x, [1], { axis: 0 })).toThrow(
        'repeat: repeats must be 2 non-negative integers (one per element along axis 0 of float32[2, 2]), found [1]',
      );
    });

    test('gradients sum over the copies', () => {
      checkGrads((t) => numpy.tile(t, [2, 1, 3]), [randomTensor([2, 2], r)]);
      checkGrads(
        (t) => numpy.repeat(t, 3, { axis: 0 }).mul(numpy.arange(2)),
        [randomTensor([2, 2], r)],
      );
      checkGrads((t) => numpy.repeat(t, [1, 0, 3], { axis: 1 }), [randomTensor([2, 3], r)]);
    });
  });

  describe('pad', () => {
    test('constant padding with every pad-width form', () => {
      const x = numpy.array([
        [1, 2],
        [3, 4],
      ]);
      expect(numpy.pad(x, 1).shape).toEqual([4, 4]);
      expect(numpy.pad(x, [1, 0]).tolist()).toEqual([
        [0, 0, 0],
        [0, 1, 2],
        [0, 3, 4],
      ]);
      expect(
        numpy
          .pad(
            x,
            [
              [0, 0],
              [0, 1],
            ],
            { constantValues: -1 },
          )
          .tolist(),
      ).toEqual([
        [1, 2, -1],
        [3, 4, -1],
      ]);
      expect(numpy.pad(x, [[1, 0]]).tolist()).toEqual([
        [0, 0, 0],
        [0, 1, 2],
        [0, 3, 4],
      ]);
      expect(numpy.pad(numpy.array([1, 2], { dtype: 'int32' }), [1]).tolist()).toEqual([
        0, 1, 2, 0,
      ]);
    });

    test('edge, reflect, symmetric and wrap, including widths beyond the length', () => {
      const x = numpy.array([1, 2, 3]);
      expect(numpy.pad(x, [4, 5], { mode: 'reflect' }).tolist()).toEqual([
        1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2,
      ]);
      expect(numpy.pad(x, [4, 4], { mode: 'symmetric' }).tolist()).toEqual([
        3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1,
      ]);
      expect(numpy.pad(x, [4, 4], { mode: 'wrap' }).tolist()).toEqual([
        3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1,
      ]);
      expect(numpy.pad(numpy.array([7]), 2, { mode: 'reflect' }).tolist()).toEqual([7, 7, 7, 7, 7]);
      expect(
        numpy
          .pad(
            numpy.array([
              [1, 2],
              [3, 4],
            ]),
            [
              [1, 0],
              [0, 1],
            ],
            { mode: 'edge' },
          )
          .tolist(),
      ).toEqual([
        [1, 2, 2],
        [1, 2, 2],
        [3, 4, 4],
      ]);
    });

    test('errors for bad widths, modes and empty axes', () => {
      const message =
        'pad: padWidth must be a number, [before, after], or 2 pairs of non-negative integers, found ';
      expect(() =>
        numpy.pad(numpy.zeros([2, 2]), [
          [1, 1],
          [1, 1],
          [1, 1],
        ]),
      ).toThrow(`${message}[[1,1],[1,1],[1,1]]`);
      expect(() => numpy.pad(numpy.zeros([2, 2]), -1)).toThrow(`${message}-1`);
      expect(() => numpy.pad(numpy.zeros([0]), 1, { mode: 'edge' })).toThrow(
        "pad: cannot pad the empty axis 0 of float32[0] in 'edge' mode (only 'constant' can)",
      );
      // @ts-expect-error: an unknown mode, as JavaScript callers can pass
      expect(() => numpy.pad(numpy.zeros([2]), 1, { mode: 'mean' })).toThrow(
        "pad: mode must be 'constant', 'edge', 'reflect', 'symmetric' or 'wrap', found 'mean'",
      );
    });

    test('gradients in each mode', () => {
      for (const mode of ['constant', 'edge', 'reflect', 'symmetric', 'wrap'] as const) {
        checkGrads(
          (t) =>
            numpy.pad(
              t,
              [
                [2, 1],
                [0, 3],
              ],
              { mode },
            ),
          [randomTensor([3, 2], r)],
        );
      }
    });
  });
});
