import * as tree from '@equinox-ts/pytree';
import { type BackendArray, CpuBackend } from '@equinox-ts/kernels';
import { type Tensor, TensorError, devicePut, devicePutAsync, grad, numpy } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';

describe.each(BACKENDS)('Tensor on $name', (entry) => {
  useBackend(entry);

  test('creation from nested arrays, typed arrays, scalars and booleans', () => {
    const x = numpy.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([x.shape, x.dtype, x.size, x.ndim]).toEqual([[2, 3], 'float32', 6, 2]);
    expect(numpy.array(3.5).shape).toEqual([]);
    expect(numpy.array(3.5).item()).toBe(3.5);
    expect(numpy.array([true, false]).dtype).toBe('bool');
    expect(numpy.array(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(numpy.array(new Uint8Array([255])).tolist()).toEqual([255]); // pixels stay numbers, not bools
    expect(numpy.array(new Float64Array([0.1])).dataSync()).toEqual(new Float32Array([0.1]));
    expect(numpy.array([[]]).shape).toEqual([1, 0]);
    expect(numpy.array([1.7, -1.7], { dtype: 'int32' }).tolist()).toEqual([1, -1]);
    expect(numpy.array(new Float32Array(6), { shape: [3, 2] }).shape).toEqual([3, 2]);
    // Booleans mixed with numbers are numbers; lists of tensors are stacked (as jnp.array does).
    expect(numpy.array([true, 2]).tolist()).toEqual([1, 2]);
    expect(numpy.array([true, 2]).dtype).toBe('float32');
    const stacked = numpy.array([numpy.array([1, 2], { dtype: 'int32' }), numpy.array([3.5, 4])]);
    expect([stacked.dtype, stacked.tolist()]).toEqual([
      'float32',
      [
        [1, 2],
        [3.5, 4],
      ],
    ]);
    expect(numpy.array([[numpy.array(1)], [numpy.array(2)]]).shape).toEqual([2, 1]);
    expect(() => numpy.array([numpy.zeros([2]), numpy.zeros([3])])).toThrow(
      'array: cannot stack entries of shapes [2] and [3] (entry 1)',
    );
  });

  test('bad data gives errors naming the problem', () => {
    expect(() => numpy.array([[1, 2], [3]])).toThrow(
      'array: ragged nested array: expected 2 entries at [1], found 1',
    );
    expect(() => numpy.array([[1, 2], 3] as never)).toThrow(
      'array: ragged nested array: expected 2 entries at [1], found the number 3',
    );
    expect(() => numpy.array(new Float32Array(5), { shape: [2, 2] })).toThrow(
      'array: shape [2, 2] needs 4 elements, found 5',
    );
    expect(() => numpy.array([1, 2]).item()).toThrow(TensorError);
    expect(() => numpy.array([1, 'a'] as never)).toThrow(
      'array: expected a number or boolean at [1], found the string "a"',
    );
    expect(() => numpy.add(numpy.ones([2]), 'a' as never)).toThrow(
      'add: operand 1 must be a tensor, a number, a boolean or an array, found the string "a"',
    );
    expect(() => numpy.add(numpy.ones([2]), [[1], [2, 3]])).toThrow(
      'add: ragged nested array: expected 1 entries at [1], found 2 entries',
    );
    // Errors name the function called, not the primitive behind it.
    expect(() => numpy.subtract(numpy.ones([2]), numpy.ones([3]))).toThrow(
      'subtract: shapes float32[2] and float32[3] do not broadcast: each trailing dimension must be equal or 1',
    );
    expect(() => numpy.arange(3).add(2 ** 31)).toThrow(
      /^add: the number 2147483648 does not fit in int32/,
    );
  });

  test('reading values: data, dataSync, tolist, item', async () => {
    const x = numpy.array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    expect(await x.data()).toEqual(new Int32Array([1, 2, 3, 4]));
    expect(x.dataSync()).toEqual(new Int32Array([1, 2, 3, 4]));
    expect(x.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(numpy.array([true, false]).tolist()).toEqual([true, false]);
    expect(numpy.array(2).tolist()).toBe(2);
  });

  test('toString prints like NumPy and summarises large tensors', () => {
    expect(
      numpy
        .array([
          [1, 2],
          [3, 4.5],
        ])
        .toString(),
    ).toBe('Tensor([[1. , 2. ],\n        [3. , 4.5]], dtype=float32)');
    expect(numpy.array(7, { dtype: 'int32' }).toString()).toBe('Tensor(7, dtype=int32)');
    expect(numpy.array([NaN, 1, -Infinity, 2.5]).toString()).toBe(
      'Tensor([ nan,  1. , -inf,  2.5], dtype=float32)',
    );
    // A float that rounds to an integer keeps its decimal point.
    expect(numpy.array([0.5, -0.99999994]).toString()).toBe('Tensor([ 0.5, -1. ], dtype=float32)');
    expect(numpy.array([true, false]).toString()).toBe('Tensor([ true, false], dtype=bool)');
    expect(numpy.arange(2000).toString()).toBe(
      'Tensor([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)',
    );
    const big = numpy.zeros([40, 40]).toString();
    expect(big.split('\n')).toHaveLength(7);
    expect(big).toContain('...');
    // Inside grad, tracers print their values and say they are traced.
    let printed = '';
    grad((x: Tensor) => {
      printed = x.toString();
      return x.sum();
    })(numpy.array([1]));
    expect(printed).toBe('Tensor([1.], dtype=float32, traced by grad)');
  });

  test('shapes are frozen; reshape and broadcastTo take a number for one dimension', () => {
    const x = numpy.zeros([2, 3]);
    expect(Object.isFrozen(x.shape)).toBe(true);
    expect(() => ((x.shape as number[])[0] = 5)).toThrow(TypeError);
    expect(x.reshape(6).shape).toEqual([6]);
    expect(numpy.broadcastTo(1, 3).tolist()).toEqual([1, 1, 1]);
    expect(() => x.sum({ axis: 0.5 })).toThrow(
      'sum: axis must be an integer, found the number 0.5',
    );
  });

  test('method forms', () => {
    const x = numpy.array([
      [3, 1],
      [2, 4],
    ]);
    expect(x.prod().item()).toBe(24);
    expect(x.var({ axis: 0 }).tolist()).toEqual([0.25, 2.25]);
    expect(x.std({ axis: 1 }).tolist()).toEqual([1, 1]);
    expect(x.gt(2).any({ axis: 1 }).tolist()).toEqual([true, true]);
    expect(x.gt(2).all().item()).toBe(0);
    expect(x.cumsum({ axis: 1 }).tolist()).toEqual([
      [3, 4],
      [2, 6],
    ]);
    expect(x.dot(numpy.array([1, 1])).tolist()).toEqual([4, 6]);
    expect(x.sort().tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(x.argsort({ axis: 0 }).tolist()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  test('a tensor is a pytree leaf', () => {
    const x = numpy.zeros([2]);
    expect(tree.leaves({ a: x, b: [x, 1] })).toEqual([x, x, 1]);
    const doubled = tree.map((t: Tensor) => t.add(1), { a: x });
    expect(doubled.a.tolist()).toEqual([1, 1]);
  });

  test('dispose frees early and later use is an error', () => {
    const x = numpy.ones([3]);
    x.dispose();
    expect(() => x.add(1)).toThrow(/released/);
  });

  test('tensors from two backends do not mix; devicePut moves them', () => {
    const other = new CpuBackend();
    const a = numpy.ones([2]);
    const b = numpy.ones([2], { backend: other });
    expect(() => a.add(b)).toThrow(
      `add: inputs live on different backends (${a.backend.name} and cpu); move one with devicePut`,
    );
    const moved = devicePut(b, a.backend);
    expect(moved.backend).toBe(a.backend);
    expect(a.add(moved).tolist()).toEqual([2, 2]);
  });

  test('devicePut moves every tensor of a pytree and keeps the other leaves', () => {
    const other = new CpuBackend();
    const kept = numpy.zeros([1], { backend: other });
    const model = { w: numpy.array([1, 2]), layers: [numpy.ones([2, 2]), kept], name: 'mlp' };
    const moved = devicePut(model, other);
    expect(moved.name).toBe('mlp');
    expect(moved.layers[1]).toBe(kept);
    for (const x of [moved.w, moved.layers[0]!]) expect(x.backend).toBe(other);
    expect(moved.w.tolist()).toEqual([1, 2]);
    expect(moved.layers[0]!.tolist()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  test('devicePutAsync moves from a backend that reads only asynchronously; devicePut says so', async () => {
    // A backend like WebGPU: no readSync.
    const asyncOnly = new CpuBackend();
    Object.defineProperty(asyncOnly, 'readSync', { value: undefined });
    Object.defineProperty(asyncOnly, 'read', {
      value: (x: BackendArray) => Promise.resolve(CpuBackend.prototype.readSync.call(asyncOnly, x)),
    });
    const x = numpy.array([3, 4], { backend: asyncOnly });
    expect(() => devicePut({ x }, numpy.ones([1]).backend)).toThrow(
      'devicePut: the cpu backend cannot read synchronously; use await devicePutAsync(tree, backend)',
    );
    const target = numpy.ones([1]).backend;
    const moved = await devicePutAsync({ x, n: 1 }, target);
    expect(moved.n).toBe(1);
    expect(moved.x.backend).toBe(target);
    expect(moved.x.tolist()).toEqual([3, 4]);
  });

  test('devicePut refuses traced tensors', () => {
    const other = new CpuBackend();
    expect(() => grad((x: Tensor) => devicePut(x, other).sum())(numpy.ones([2]))).toThrow(
      'devicePut: cannot move a traced tensor between backends',
    );
  });

  test('a tracer that escapes its grad cannot be used', () => {
    let escaped: Tensor | undefined;
    grad((x: Tensor) => {
      escaped = x.mul(2);
      return x.sum();
    })(numpy.array([1]));
    expect(() => escaped!.add(1)).toThrow(
      /a tensor traced by a grad that has already returned was used/,
    );
    expect(() => escaped!.dataSync()).toThrow(
      'dataSync: this tensor was traced by a grad that has already returned',
    );
  });
});
