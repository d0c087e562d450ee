// The shape functions of numpy/shape.ts: results, negative axes, empty tensors and error messages.
import { numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const x = numpy.arange(6).reshape([2, 3]);

  test('reshape infers one -1 and keeps row-major order; empty shapes too', () => {
    expect(numpy.reshape(x, [-1]).tolist()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(numpy.reshape(x, [3, -1]).tolist()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(numpy.reshape(numpy.zeros([0, 4]), [2, 0, 3]).shape).toEqual([2, 0, 3]);
    expect(numpy.reshape(numpy.array([5]), []).shape).toEqual([]);
  });

  test('reshape errors', () => {
    expect(() => numpy.reshape(x, [4, -1])).toThrow(
      'reshape: cannot reshape [2, 3] (6 elements) to [4, -1]',
    );
    expect(() => numpy.reshape(x, [-1, -1])).toThrow(
      'reshape: invalid shape [-1, -1]: entries must be non-negative integers, with at most one -1',
    );
    expect(() => numpy.reshape(x, [5])).toThrow(
      'reshape: cannot reshape [2, 3] (6 elements) to [5] (5 elements)',
    );
    expect(() => numpy.reshape(numpy.zeros([0, 2]), [0, -1])).toThrow(
      'reshape: cannot reshape [0, 2] (0 elements) to [0, -1]',
    );
  });

  test('transpose, swapaxes and moveaxis with negative axes', () => {
    const y = numpy.arange(24).reshape([2, 3, 4]);
    expect(numpy.transpose(x).tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(numpy.transpose(y, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(numpy.transpose(y, [2, 0, 1]).get(1, 1, 2).item()).toBe(21);
    expect(numpy.swapaxes(y, -1, 0).shape).toEqual([4, 3, 2]);
    expect(numpy.moveaxis(y, -1, 0).shape).toEqual([4, 2, 3]);
    expect(numpy.moveaxis(y, 0, 1).get(2, 1, 3).item()).toBe(23);
  });

  test('transpose errors', () => {
    expect(() => numpy.transpose(x, [0, 0])).toThrow(
      'transpose: axes [0, 0] is not a permutation of 2 dimensions',
    );
    expect(() => numpy.transpose(x, [0])).toThrow(
      'transpose: axes [0] is not a permutation of 2 dimensions',
    );
    expect(() => numpy.transpose(x, [0, 2])).toThrow(
      'transpose: axes entry 2 is out of range for a tensor of rank 2',
    );
    expect(() => numpy.swapaxes(x, 0, 2)).toThrow('swapaxes: axis2 2 is out of range');
  });

  test('expandDims and squeeze', () => {
    expect(numpy.expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(numpy.expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(numpy.expandDims(x, [0, -1]).shape).toEqual([1, 2, 3, 1]);
    expect(numpy.squeeze(numpy.zeros([1, 2, 1, 1]), [0, -1]).shape).toEqual([2, 1]);
    expect(numpy.squeeze(numpy.zeros([1, 1])).shape).toEqual([]);
    expect(() => numpy.squeeze(x, 0)).toThrow(
      'squeeze: cannot squeeze axis 0 of [2, 3]: its length is 2, not 1',
    );
    expect(() => numpy.expandDims(x, 3)).toThrow(
      'expandDims: axis 3 is out of range for a tensor of rank 3',
    );
    expect(() => numpy.expandDims(x, [1, 1])).toThrow('expandDims: repeated axis in [1, 1]');
  });

  test('broadcastTo, broadcastShapes, broadcastArrays, ravel, atleast1d', () => {
    expect(numpy.broadcastTo(numpy.array([[1], [2]]), [2, 2, 3]).tolist()).toEqual([
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
    ]);
    expect(() => numpy.broadcastTo(numpy.zeros([3]), [2, 2])).toThrow(
      "broadcastTo: cannot broadcast float32[3] to [2, 2]: each trailing dimension must equal the target's or be 1",
    );
    expect(numpy.broadcastShapes([1, 3], [2, 1], [3])).toEqual([2, 3]);
    expect(numpy.broadcastShapes([0, 1], [3])).toEqual([0, 3]);
    expect(() => numpy.broadcastShapes([2], [3])).toThrow(
      'broadcastShapes: shapes [2], [3] do not broadcast',
    );
    const [a, b] = numpy.broadcastArrays(numpy.array([1, 2]), 5);
    expect(b!.tolist()).toEqual([5, 5]);
    expect(a!.shape).toEqual([2]);
    expect(numpy.ravel(numpy.zeros([2, 0])).shape).toEqual([0]);
    expect(numpy.atleast1d(x).shape).toEqual([2, 3]);
    expect(numpy.atleast1d(numpy.array(1)).shape).toEqual([1]);
  });

  test('gradients flow through the layout changes', () => {
    const r = randomSource(6);
    checkGrads(
      (t) => numpy.moveaxis(t, 0, -1).reshape([4, -1]).mul(numpy.arange(6)),
      [randomTensor([2, 4, 3], r)],
    );
    checkGrads(
      (t) =>
        numpy.broadcastTo(numpy.expandDims(t, 1), [3, 2, 4]).mul(numpy.arange(2).reshape([2, 1])),
      [randomTensor([3, 4], r)],
    );
    checkGrads((t) => numpy.squeeze(numpy.swapaxes(t, 0, 2)), [randomTensor([1, 3, 2], r)]);
  });
});
