// numpy.at(x, ...idx).set/add/subtract/get: NumPy's assignment results, JAX's dropping, gradients.
import { numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

const int = (data: number[] | number[][]) => numpy.array(data, { dtype: 'int32' });

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const r = randomSource(9);

  test('set with numbers, slices (negative steps too), new axes and the ellipsis', () => {
    const x = numpy.zeros([3, 4]);
    expect(numpy.at(x, 1).set(7).tolist()).toEqual([
      [0, 0, 0, 0],
      [7, 7, 7, 7],
      [0, 0, 0, 0],
    ]);
    expect(
      numpy
        .at(x, -1, '::-2')
        .set(numpy.array([1, 2]))
        .tolist(),
    ).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 2, 0, 1],
    ]);
    expect(
      numpy
        .at(x, '...', '1:3')
        .set(numpy.array([[1], [2], [3]]))
        .tolist(),
    ).toEqual([
      [0, 1, 1, 0],
      [0, 2, 2, 0],
      [0, 3, 3, 0],
    ]);
    expect(numpy.at(x, null, 0, 0).set(5).tolist()).toEqual([
      [5, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  test('set with integer tensors: the last of repeated indices wins, negatives count from the end', () => {
    const x = numpy.zeros([5]);
    expect(
      numpy
        .at(x, int([1, -1, 1, 3, 1]))
        .set(numpy.array([1, 2, 3, 4, 5]))
        .tolist(),
    ).toEqual([0, 5, 0, 4, 2]);
    const m = numpy.zeros([2, 3]);
    expect(
      numpy
        .at(m, int([[0], [1]]), int([0, 2]))
        .set(
          numpy.array([
            [1, 2],
            [3, 4],
          ]),
        )
        .tolist(),
    ).toEqual([
      [1, 0, 2],
      [3, 0, 4],
    ]);
    expect(
      numpy
        .at(m, ':', int([2, 2]))
        .set(
          numpy.array([
            [1, 2],
            [3, 4],
          ]),
        )
        .tolist(),
    ).toEqual([
      [0, 0, 2],
      [0, 0, 4],
    ]);
  });

  test('integer-tensor indices out of range are dropped, as in JAX', () => {
    const x = numpy.zeros([3]);
    expect(
      numpy
        .at(x, int([0, 3, -4, 2]))
        .set(numpy.array([1, 2, 3, 4]))
        .tolist(),
    ).toEqual([1, 0, 4]);
    expect(
      numpy
        .at(x, int([0, 3, -4, 2]))
        .add(1)
        .tolist(),
    ).toEqual([1, 0, 1]);
  });

  test('add and subtract accumulate repeated indices', () => {
    const x = numpy.ones([2, 2]);
    expect(
      numpy
        .at(x, int([0, 0, 1]), 1)
        .add(numpy.array([1, 2, 3]))
        .tolist(),
    ).toEqual([
      [1, 4],
      [1, 4],
    ]);
    expect(
      numpy
        .at(x, int([1, 1]))
        .subtract(1)
        .tolist(),
    ).toEqual([
      [1, 1],
      [-1, -1],
    ]);
    expect(
      numpy
        .at(x, x.gt(0))
        .add(numpy.array([1, 2, 3, 4]))
        .tolist(),
    ).toEqual([
      [2, 3],
      [4, 5],
    ]);
  });

  test('values take the dtype of x; bool and int32 tensors update', () => {
    const ints = numpy.arange(4);
    const added = numpy.at(ints, 1).add(2.7);
    expect(added.dtype).toBe('int32');
    expect(added.tolist()).toEqual([0, 3, 2, 3]);
    const flags = numpy.array([false, false, true]);
    expect(numpy.at(flags, 0).set(true).tolist()).toEqual([true, false, true]);
    expect(
      numpy
        .at(flags, int([2]))
        .set(false)
        .tolist(),
    ).toEqual([false, false, false]);
    expect(numpy.at(numpy.arange(3), '1:').get().tolist()).toEqual([1, 2]);
  });

  test('errors name the update and the problem', () => {
    const x = numpy.zeros([2, 3]);
    expect(() => numpy.at(x, 0).set(numpy.zeros([2]))).toThrow(
      'at.set: values float32[2] do not broadcast to the indexed shape [3]',
    );
    expect(() => numpy.at(x, 0).add(numpy.zeros([1, 3]))).toThrow(
      'at.add: values float32[1, 3] do not broadcast to the indexed shape [3]',
    );
    expect(() => numpy.at(x, 0, 0, 0).set(1)).toThrow(
      'at.set: too many indices for float32[2, 3]: 3 given',
    );
    expect(() => numpy.at(x, 2).set(1)).toThrow(
      'at.set: index 2 is out of bounds for axis 0 with size 2',
    );
  });

  test('gradients with respect to x and the values', () => {
    const i = int([2, 0, 2]);
    checkGrads(
      (x, v) => numpy.at(x, i).set(v),
      [randomTensor([4, 2], r), randomTensor([3, 2], r)],
      { order: 2 },
    );
    checkGrads(
      (x, v) => numpy.at(x, i).add(v).square(),
      [randomTensor([4, 2], r), randomTensor([3, 2], r)],
    );
    checkGrads(
      (x, v) => numpy.at(x, ':', '::2').set(v),
      [randomTensor([2, 3], r), randomTensor([2, 1], r)],
    );
    checkGrads(
      (x, v) => numpy.at(x, 1, int([0, 5])).subtract(v),
      [randomTensor([2, 3], r), randomTensor([2], r)],
    );
  });
});
