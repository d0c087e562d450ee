// Embedding: initialisation, lookups, gradients, vmap/jit with traced indices, errors.
import {
  type Tensor,
  TensorError,
  filterGrad,
  jit,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import { Embedding } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

const int = (i: number | number[]) => numpy.array(i, { dtype: 'int32' });
const rows = (t: Tensor) => t.tolist() as number[][];

describe.each(BACKENDS)('Embedding on $name', (entry) => {
  useBackend(entry);

  test('initialisation: a standard normal table, or the given weight', () => {
    for (const [n, size] of [
      [1, 1],
      [5, 3],
      [7, 2],
    ] as const) {
      const key = random.key(n * 10 + size);
      const table = new Embedding(n, size, { key });
      expect(table.weight.shape).toEqual([n, size]);
      expect([table.numEmbeddings, table.embeddingSize]).toEqual([n, size]);
      expect(Array.from(table.weight.dataSync())).toEqual(
        Array.from(random.normal(key, [n, size]).dataSync()),
      );
    }
    const weight = numpy.arange(6).reshape([3, 2]);
    const given = new Embedding(null, null, { weight });
    expect(given.weight).toBe(weight);
    expect([given.numEmbeddings, given.embeddingSize]).toEqual([3, 2]);
    expect(new Embedding(3, 2, { weight }).weight).toBe(weight);
    expect(new Embedding(3, null, { weight }).embeddingSize).toBe(2);
    // Empty tables are allowed, as in Equinox.
    expect(new Embedding(0, 4, { key: random.key(0) }).weight.shape).toEqual([0, 4]);
  });

  test('lookups equal the weight rows, negative indices count from the end', () => {
    const table = new Embedding(4, 3, { key: random.key(1) });
    const w = rows(table.weight);
    for (let i = 0; i < 4; i++) {
      expect(table.call(i).tolist()).toEqual(w[i]);
      expect(table.call(int(i)).tolist()).toEqual(w[i]);
    }
    expect(table.call(-1).tolist()).toEqual(w[3]);
    expect(table.call(int(-4)).tolist()).toEqual(w[0]);
    expect(table.call(2).shape).toEqual([3]);
  });

  test('vmap and jit with traced indices; traced out-of-range indices are clamped as in JAX', () => {
    const table = new Embedding(5, 2, { key: random.key(2) });
    const w = rows(table.weight);
    const ids = int([4, 0, 2, 2]);
    expect(rows(vmap(table.call)(ids))).toEqual([w[4], w[0], w[2], w[2]]);
    expect(rows(jit(vmap(table.call))(ids))).toEqual([w[4], w[0], w[2], w[2]]);
    expect(jit(table.call)(int(3)).tolist()).toEqual(w[3]);
    expect(jit(table.call)(int(-1)).tolist()).toEqual(w[4]);
    expect(jit(table.call)(int(9)).tolist()).toEqual(w[4]);
    expect(rows(vmap(table.call)(int([-9, 7])))).toEqual([w[0], w[4]]);
  });

  test('gradients: one-hot rows of the table, and finite differences', () => {
    const table = new Embedding(3, 2, { key: random.key(3) });
    const grads = filterGrad((t: Embedding) =>
      t
        .call(1)
        .mul(numpy.array([2, -1]))
        .sum(),
    )(table);
    expectClose(grads.weight, [
      [0, 0],
      [2, -1],
      [0, 0],
    ]);
    const summed = filterGrad((t: Embedding) => vmap(t.call)(int([0, 2, 0])).sum())(table);
    expectClose(summed.weight, [
      [2, 2],
      [0, 0],
      [1, 1],
    ]);
    checkLayerGrads(table, [], (t) => t.call(int(2)).square());
  });

  test('bad arguments and out-of-range concrete indices give clear errors', () => {
    const table = new Embedding(4, 2, { key: random.key(4) });
    expect(() => table.call(4)).toThrow(TensorError);
    expect(() => table.call(4)).toThrow(
      /Embedding: index 4 is out of range for a table of 4 embeddings \(valid: -4 to 3\)/,
    );
    expect(() => table.call(int(-5))).toThrow(/index -5 is out of range/);
    expect(() => table.call(1.5)).toThrow(/Embedding: the index must be an integer, found 1.5/);
    expect(() => table.call(numpy.array(1))).toThrow(
      /expected one index, an int32\[\] tensor or a number, found float32\[\]; make it with numpy.array\(i, \{ dtype: 'int32' \}\)/,
    );
    expect(() => table.call(int([1, 2]))).toThrow(
      /found int32\[2\]; look up several indices with vmap/,
    );
    expect(() => new Embedding(3, 2, {})).toThrow(
      /Embedding: give `numEmbeddings`, `embeddingSize` and a `key`/,
    );
    expect(() => new Embedding(null, 2, { key: random.key(0) })).toThrow(/give `numEmbeddings`/);
    expect(() => new Embedding(-1, 2, { key: random.key(0) })).toThrow(
      /`numEmbeddings` must be a non-negative integer, found -1/,
    );
    expect(() => new Embedding(2, 1.5, { key: random.key(0) })).toThrow(/`embeddingSize`/);
    expect(() => new Embedding(null, null, { weight: numpy.ones([3]) })).toThrow(
      /`weight` must be a 2-D tensor \[numEmbeddings, embeddingSize\], found float32\[3\]/,
    );
    expect(() => new Embedding(4, 2, { weight: numpy.ones([3, 2]) })).toThrow(
      /`weight` must have shape \[numEmbeddings, embeddingSize\] = \[4, 2\], found float32\[3, 2\]/,
    );
  });
});
