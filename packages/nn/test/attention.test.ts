// MultiheadAttention: shapes, values against a float64 reference, masks, dropout, gradients,
// vmap/jit, and errors.
import {
  type Tensor,
  TensorError,
  filterJit,
  isInexactArray,
  jit,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { MultiheadAttention, inferenceMode } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

type Matrix = number[][];
const rows = (t: Tensor) => t.tolist() as Matrix;
const LOWEST = -3.4028234663852886e38;

/** `x W^T + b` for each row of `x`, in float64. */
function project(x: Matrix, w: Matrix, b: number[] | null): Matrix {
  return x.map((row) =>
    w.map((wi, i) => wi.reduce((s, wij, j) => s + wij * row[j]!, b ? b[i]! : 0)),
  );
}

/**
 * Multi-head attention by nested loops in float64, with the layer's weights: per head `h`,
 * `softmax(q_h k_h^T / sqrt(d))` with masked logits set to the lowest float32, times `v_h`.
 * `mask(h, i, j)` says whether query `i` attends to position `j` in head `h`; `drop(h, i, j)` gives
 * the dropout factor of that weight (1 without dropout).
 */
function reference(
  layer: MultiheadAttention,
  query: Matrix,
  key: Matrix,
  value: Matrix,
  mask: (h: number, i: number, j: number) => boolean = () => true,
  drop: (h: number, i: number, j: number) => number = () => 1,
): Matrix {
  const bias = (l: { bias: Tensor | null }) => (l.bias ? (l.bias.tolist() as number[]) : null);
  const q = project(query, rows(layer.queryProj.weight), bias(layer.queryProj));
  const k = project(key, rows(layer.keyProj.weight), bias(layer.keyProj));
  const v = project(value, rows(layer.valueProj.weight), bias(layer.valueProj));
  const { numHeads, qkSize, voSize } = layer;
  const concatenated: Matrix = query.map(() => new Array<number>(numHeads * voSize).fill(0));
  for (let h = 0; h < numHeads; h++) {
    for (let i = 0; i < query.length; i++) {
      const logits = key.map((_, j) => {
        if (!mask(h, i, j)) return LOWEST;
        let s = 0;
        for (let d = 0; d < qkSize; d++) s += q[i]![h * qkSize + d]! * k[j]![h * qkSize + d]!;
        return s / Math.sqrt(qkSize);
      });
      const top = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - top));
      const total = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < key.length; j++) {
        const weight = (e[j]! / total) * drop(h, i, j);
        for (let d = 0; d < voSize; d++)
          concatenated[i]![h * voSize + d]! += weight * v[j]![h * voSize + d]!;
      }
    }
  }
  return project(concatenated, rows(layer.outputProj.weight), bias(layer.outputProj));
}

const normal = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

describe.each(BACKENDS)('MultiheadAttention on $name', (entry) => {
  useBackend(entry);

  test('defaults, projection shapes and output shapes for a grid of arguments', () => {
    const plain = new MultiheadAttention(2, 6, { key: random.key(0) });
    expect([plain.keySize, plain.valueSize, plain.outputSize, plain.qkSize, plain.voSize]).toEqual([
      6, 6, 6, 3, 3,
    ]);
    expect([plain.useQueryBias, plain.useKeyBias, plain.useValueBias, plain.useOutputBias]).toEqual(
      [false, false, false, false],
    );
    expect(plain.dropoutP).toBe(0);
    expect(plain.inference).toBe(false);
    // Four weights, no biases.
    expect(tree.leaves(plain).filter(isInexactArray)).toHaveLength(4);
    const grid = [
      { heads: 1, q: 4, opts: {} },
      { heads: 3, q: 7, opts: {} }, // qkSize = floor(7 / 3) = 2
      { heads: 2, q: 4, opts: { keySize: 3, valueSize: 5, outputSize: 6, qkSize: 1, voSize: 3 } },
      {
        heads: 2,
        q: 4,
        opts: { useQueryBias: true, useKeyBias: true, useValueBias: true, useOutputBias: true },
      },
    ];
    for (const { heads, q, opts } of grid) {
      const layer = new MultiheadAttention(heads, q, { key: random.key(heads + q), ...opts });
      const qk = heads * layer.qkSize;
      const vo = heads * layer.voSize;
      expect(layer.queryProj.weight.shape).toEqual([qk, q]);
      expect(layer.keyProj.weight.shape).toEqual([qk, layer.keySize]);
      expect(layer.valueProj.weight.shape).toEqual([vo, layer.valueSize]);
      expect(layer.outputProj.weight.shape).toEqual([layer.outputSize, vo]);
      for (const [qSeq, kvSeq] of [
        [1, 1],
        [3, 2],
        [2, 5],
      ] as const) {
        const out = layer.call(
          numpy.ones([qSeq, q]),
          numpy.ones([kvSeq, layer.keySize]),
          numpy.ones([kvSeq, layer.valueSize]),
        );
        expect(out.shape).toEqual([qSeq, layer.outputSize]);
      }
    }
    const biased = new MultiheadAttention(2, 4, { key: random.key(1), useKeyBias: true });
    expect(biased.keyProj.bias!.shape).toEqual([4]);
    expect(biased.queryProj.bias).toBeNull();
  });

  test('values match a float64 reference, with and without biases and sizes', () => {
    const cases = [
      new MultiheadAttention(2, 4, { key: random.key(3) }),
      new MultiheadAttention(3, 5, {
        key: random.key(4),
        keySize: 3,
        valueSize: 2,
        outputSize: 4,
        qkSize: 2,
        voSize: 3,
        useQueryBias: true,
        useKeyBias: true,
        useValueBias: true,
        useOutputBias: true,
      }),
    ];
    cases.forEach((layer, c) => {
      const query = normal(10 + c, [3, layer.querySize]);
      const key = normal(20 + c, [4, layer.keySize]);
      const value = normal(30 + c, [4, layer.valueSize]);
      expectClose(
        layer.call(query, key, value),
        reference(layer, rows(query), rows(key), rows(value)),
        1e-4,
      );
    });
    // Self-attention with one position: the weight is 1, so the output is the projected value.
    const layer = cases[0]!;
    const x = normal(5, [1, 4]);
    const only = project(
      project(rows(x), rows(layer.valueProj.weight), null),
      rows(layer.outputProj.weight),
      null,
    );
    expectClose(layer.call(x, x, x), only, 1e-5);
  });

  test('masks: [qSeq, kvSeq] and per head; a fully masked row weighs every position equally', () => {
    const layer = new MultiheadAttention(2, 4, { key: random.key(6), useValueBias: true });
    const query = normal(1, [3, 4]);
    const key = normal(2, [4, 4]);
    const value = normal(3, [4, 4]);
    const causal = [
      [true, false, false, false],
      [true, true, false, false],
      [false, false, false, false], // fully masked
    ];
    const shared = layer.call(query, key, value, { mask: numpy.array(causal, { dtype: 'bool' }) });
    expectClose(
      shared,
      reference(layer, rows(query), rows(key), rows(value), (_, i, j) => causal[i]![j]!),
      1e-4,
    );
    // Row 0 attends to position 0 only: its output is position 0's projected value.
    const full = layer.call(query, key, value);
    const firstOnly = layer.call(query.get('0:1'), key.get('0:1'), value.get('0:1'));
    expectClose(shared.get(0), rows(firstOnly)[0], 1e-5);
    expect(rows(full)[0]).not.toEqual(rows(shared)[0]);
    // A fully masked row: as if every logit were equal, i.e. as with a zero query projection.
    const zeroQuery = tree.treeAt(
      (m: MultiheadAttention) => m.queryProj.weight,
      layer,
      numpy.zeros([4, 4]),
    );
    expectClose(shared.get(2), rows(zeroQuery.call(query, key, value))[2], 1e-5);
    expect(rows(shared).flat().every(Number.isFinite)).toBe(true);

    const perHead = [causal, causal.map((row, i) => row.map((_, j) => j >= i))];
    expectClose(
      layer.call(query, key, value, { mask: numpy.array(perHead, { dtype: 'bool' }) }),
      reference(layer, rows(query), rows(key), rows(value), (h, i, j) => perHead[h]![i]![j]!),
      1e-4,
    );
    // An all-true mask changes nothing.
    expectClose(
      layer.call(query, key, value, { mask: numpy.ones([3, 4], { dtype: 'bool' }) }),
      rows(full),
      1e-6,
    );
  });

  test('processHeads sees [seq, numHeads, channels] heads and may transform them', () => {
    const layer = new MultiheadAttention(2, 4, { key: random.key(8), voSize: 3 });
    const x = normal(1, [3, 4]);
    const shapes: (readonly number[])[] = [];
    const identity = layer.call(x, x, x, {
      processHeads: (q, k, v) => {
        shapes.push(q.shape, k.shape, v.shape);
        return [q, k, v];
      },
    });
    expect(shapes).toEqual([
      [3, 2, 2],
      [3, 2, 2],
      [3, 2, 3],
    ]);
    expectClose(identity, rows(layer.call(x, x, x)), 1e-6);
    // Zeroing the query heads makes every weight equal.
    const uniform = layer.call(x, x, x, { processHeads: (q, k, v) => [q.mul(0), k, v] });
    const zeroQuery = tree.treeAt(
      (m: MultiheadAttention) => m.queryProj.weight,
      layer,
      numpy.zeros([4, 4]),
    );
    expectClose(uniform, rows(zeroQuery.call(x, x, x)), 1e-5);
    expect(() => layer.call(x, x, x, { processHeads: (q, k, v) => [q.get(':', 0), k, v] })).toThrow(
      /processHeads.*unchanged shapes/,
    );
  });

  test('dropout: inference is deterministic, training needs a key and follows per-head keys', () => {
    const key = random.key(9);
    const base = new MultiheadAttention(2, 4, { key });
    const dropping = new MultiheadAttention(2, 4, { key, dropoutP: 0.5 });
    const query = normal(1, [3, 4]);
    const kv = normal(2, [5, 4]);
    const clean = rows(base.call(query, kv, kv));
    // Inference: by field, by inferenceMode, or by the call's option; no key needed.
    const frozen = new MultiheadAttention(2, 4, { key, dropoutP: 0.5, inference: true });
    expect(frozen.inference).toBe(true);
    expectClose(frozen.call(query, kv, kv), clean, 1e-6);
    const switched = inferenceMode(dropping);
    expect(switched.inference).toBe(true);
    expectClose(switched.call(query, kv, kv), clean, 1e-6);
    expectClose(dropping.call(query, kv, kv, { inference: true }), clean, 1e-6);
    expect(() => frozen.call(query, kv, kv, { inference: false })).toThrow(/needs a random `key`/);
    // Training: a key is required.
    expect(() => dropping.call(query, kv, kv)).toThrow(TensorError);
    expect(() => dropping.call(query, kv, kv)).toThrow(/dropout needs a random `key`/);
    // p = 0 needs no key.
    expectClose(base.call(query, kv, kv, { inference: false }), clean, 1e-6);
    const k1 = random.key(1);
    const trained = dropping.call(query, kv, kv, { key: k1 });
    expect(rows(trained)).not.toEqual(clean);
    expect(rows(dropping.call(query, kv, kv, { key: k1 }))).toEqual(rows(trained));
    expect(rows(dropping.call(query, kv, kv, { key: random.key(2) }))).not.toEqual(rows(trained));
    // Head h drops with bernoulli(split(key, heads)[h], 1 - p) and rescales by 1 / (1 - p).
    const headKeys = random.split(k1, 2);
    const keepMasks = [0, 1].map(
      (h) => random.bernoulli(headKeys.get(h), 0.5, [3, 5]).tolist() as boolean[][],
    );
    expectClose(
      trained,
      reference(dropping, rows(query), rows(kv), rows(kv), undefined, (h, i, j) =>
        keepMasks[h]![i]![j]! ? 2 : 0,
      ),
      1e-4,
    );
  });

  test('gradients match finite differences, with and without a mask', () => {
    const layer = new MultiheadAttention(2, 4, {
      key: random.key(11),
      keySize: 3,
      qkSize: 2,
      voSize: 1,
      outputSize: 2,
      useQueryBias: true,
      useOutputBias: true,
    });
    const query = normal(1, [2, 4]).mul(0.5);
    const key = normal(2, [3, 3]).mul(0.5);
    const value = normal(3, [3, 4]).mul(0.5);
    checkLayerGrads(layer, [query, key, value], (l, q, k, v) => l.call(q, k, v).square().sum());
    const mask = numpy.array(
      [
        [true, false, true],
        [false, false, false],
      ],
      { dtype: 'bool' },
    );
    checkLayerGrads(layer, [query, key, value], (l, q, k, v) => l.call(q, k, v, { mask }).sum());
  });

  test('vmap over a batch equals per-example calls; jit and filterJit equal eager', () => {
    const layer = new MultiheadAttention(2, 4, { key: random.key(12), useKeyBias: true });
    const queries = normal(1, [3, 2, 4]);
    const kvs = normal(2, [3, 5, 4]);
    const masks = random.bernoulli(random.key(3), 0.7, [3, 2, 5]);
    const run = (q: Tensor, kv: Tensor, m: Tensor) => layer.call(q, kv, kv, { mask: m });
    const batched = vmap(run)(queries, kvs, masks);
    expect(batched.shape).toEqual([3, 2, 4]);
    for (let b = 0; b < 3; b++) {
      expectClose(batched.get(b), rows(run(queries.get(b), kvs.get(b), masks.get(b))), 1e-5);
    }
    const eager = run(queries.get(0), kvs.get(0), masks.get(0));
    expectClose(jit(run)(queries.get(0), kvs.get(0), masks.get(0)), rows(eager), 1e-5);
    const viaFilterJit = filterJit((m: MultiheadAttention, q: Tensor, kv: Tensor) =>
      m.call(q, kv, kv),
    )(layer, queries.get(1), kvs.get(1));
    expectClose(viaFilterJit, rows(layer.call(queries.get(1), kvs.get(1), kvs.get(1))), 1e-5);
    // Dropout under vmap with one key per example draws each example's masks.
    const dropper = new MultiheadAttention(2, 4, { key: random.key(13), dropoutP: 0.5 });
    const exampleKeys = random.split(random.key(6), 3);
    const perExample = vmap((q: Tensor, kv: Tensor, key: Tensor) =>
      dropper.call(q, kv, kv, { key }),
    )(queries, kvs, exampleKeys);
    for (let b = 0; b < 3; b++) {
      const single = dropper.call(queries.get(b), kvs.get(b), kvs.get(b), {
        key: exampleKeys.get(b),
      });
      expectClose(perExample.get(b), rows(single), 1e-5);
    }
    // Dropout under jit draws the same masks as eagerly.
    const dropping = new MultiheadAttention(2, 4, { key: random.key(12), dropoutP: 0.3 });
    const k = random.key(5);
    const train = (q: Tensor, kv: Tensor, key: Tensor) => dropping.call(q, kv, kv, { key });
    expectClose(
      jit(train)(queries.get(0), kvs.get(0), k),
      rows(train(queries.get(0), kvs.get(0), k)),
      1e-5,
    );
  });

  test('errors name the argument and what was expected', () => {
    const key = random.key(0);
    expect(() => new MultiheadAttention(0, 4, { key })).toThrow(
      /`numHeads` must be a positive integer/,
    );
    expect(() => new MultiheadAttention(2, 2.5, { key })).toThrow(
      /`querySize` must be a positive integer/,
    );
    expect(() => new MultiheadAttention(8, 4, { key })).toThrow(
      /`qkSize` defaults to floor\(querySize \/ numHeads\)/,
    );
    expect(new MultiheadAttention(8, 4, { key, qkSize: 1, voSize: 1 }).qkSize).toBe(1);
    expect(() => new MultiheadAttention(2, 4, { key, keySize: 0 })).toThrow(
      /`keySize` must be a positive integer/,
    );
    expect(() => new MultiheadAttention(2, 4, { key, dropoutP: 1 })).toThrow(
      /`dropoutP` must be a number in \[0, 1\)/,
    );
    expect(() => new MultiheadAttention(2, 4, { key, dropoutP: -0.1 })).toThrow(/dropoutP/);

    const layer = new MultiheadAttention(2, 4, { key, keySize: 3 });
    const q = numpy.ones([2, 4]);
    const k = numpy.ones([3, 3]);
    const v = numpy.ones([3, 4]);
    expect(() => layer.call(numpy.ones([2, 3]), k, v)).toThrow(
      'MultiheadAttention: expected `query` of shape [*, 4], found float32[2, 3]',
    );
    expect(() => layer.call(numpy.ones([5, 2, 4]), k, v)).toThrow(/batch with vmap/);
    expect(() => layer.call(q, numpy.ones([3, 4]), v)).toThrow(/expected `key` of shape \[\*, 3\]/);
    expect(() => layer.call(q, k, numpy.ones([3]))).toThrow(/expected `value` of shape \[\*, 4\]/);
    expect(() => layer.call(q, k, numpy.ones([2, 4]))).toThrow(
      /`key` and `value` must have the same sequence length, found float32\[3, 3\] and float32\[2, 4\]/,
    );
    expect(() => layer.call(q, k, v, { mask: numpy.ones([3, 2], { dtype: 'bool' }) })).toThrow(
      'MultiheadAttention: expected `mask` of dtype bool and shape [2, 3] or [2, 2, 3], found bool[3, 2]',
    );
    expect(() => layer.call(q, k, v, { mask: numpy.ones([2, 3]) })).toThrow(
      /found float32\[2, 3\]/,
    );
    expect(() => layer.call(q, k, v, { mask: numpy.ones([3, 2, 3], { dtype: 'bool' }) })).toThrow(
      /mask/,
    );
  });
});
