// RotaryPositionalEmbedding: a hand-derived rotation, the relative-position property, use inside
// MultiheadAttention, gradients, vmap/jit, and errors.
import { type Tensor, TensorError, jit, numpy, random, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { MultiheadAttention, RotaryPositionalEmbedding } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

type Matrix = number[][];
const rows = (t: Tensor) => t.tolist() as Matrix;
const normal = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

/**
 * RoPE by hand, for embedding size 4: channel pairs (0, 2) and (1, 3) turn by the angles `t * f0`
 * and `t * f1`, where `f_i = theta^(-2i / 4)`.
 */
function ropeBySize4(x: Matrix, theta: number): Matrix {
  const frequencies = [1, 1 / Math.sqrt(theta)];
  return x.map(([a, b, c, d], t) => {
    const [cos0, sin0] = [Math.cos(t * frequencies[0]!), Math.sin(t * frequencies[0]!)];
    const [cos1, sin1] = [Math.cos(t * frequencies[1]!), Math.sin(t * frequencies[1]!)];
    return [
      a! * cos0 - c! * sin0,
      b! * cos1 - d! * sin1,
      c! * cos0 + a! * sin0,
      d! * cos1 + b! * sin1,
    ];
  });
}

describe.each(BACKENDS)('RotaryPositionalEmbedding on $name', (entry) => {
  useBackend(entry);

  test('has no parameters; keeps the shape; position 0 is unchanged', () => {
    const rope = new RotaryPositionalEmbedding(6);
    expect(rope.embeddingSize).toBe(6);
    expect(rope.theta).toBe(10000);
    expect(tree.leaves(rope)).toHaveLength(0);
    for (const seqLen of [1, 2, 7]) {
      const x = normal(seqLen, [seqLen, 6]);
      const y = rope.call(x);
      expect(y.shape).toEqual([seqLen, 6]);
      expectClose(y.get(0), rows(x)[0], 1e-6);
    }
    const empty = new RotaryPositionalEmbedding(0);
    expect(empty.call(numpy.zeros([3, 0])).shape).toEqual([3, 0]);
  });

  test('rotates channel i with channel i + size/2 by position * theta^(-2i/size), by hand', () => {
    const x = normal(1, [5, 4]);
    expectClose(new RotaryPositionalEmbedding(4).call(x), ropeBySize4(rows(x), 10000), 1e-5);
    expectClose(
      new RotaryPositionalEmbedding(4, { theta: 4 }).call(x),
      ropeBySize4(rows(x), 4),
      1e-5,
    );
    // Size 2, unit vector e0: position t gives (cos t, sin t).
    const unit = numpy.array([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expectClose(new RotaryPositionalEmbedding(2).call(unit), [
      [1, 0],
      [Math.cos(1), Math.sin(1)],
      [Math.cos(2), Math.sin(2)],
    ]);
    // Rotations keep the norm of every position.
    const y = rows(new RotaryPositionalEmbedding(4).call(x));
    rows(x).forEach((row, t) => {
      const norm = (v: number[]) => Math.hypot(...v);
      expect(norm(y[t]!)).toBeCloseTo(norm(row), 5);
    });
  });

  test('<rope(q)_m, rope(k)_n> depends only on m - n', () => {
    const size = 6;
    const seqLen = 8;
    const rope = new RotaryPositionalEmbedding(size, { theta: 100 });
    const q = normal(2, [size]);
    const k = normal(3, [size]);
    const rq = rows(rope.call(numpy.broadcastTo(q, [seqLen, size])));
    const rk = rows(rope.call(numpy.broadcastTo(k, [seqLen, size])));
    const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);
    const byOffset = new Map<number, number>();
    let checked = 0;
    for (let m = 0; m < seqLen; m++) {
      for (let n = 0; n < seqLen; n++) {
        const value = dot(rq[m]!, rk[n]!);
        const first = byOffset.get(m - n);
        if (first === undefined) byOffset.set(m - n, value);
        else {
          expect(Math.abs(value - first)).toBeLessThan(1e-4);
          checked++;
        }
      }
    }
    expect(checked).toBe(seqLen * seqLen - (2 * seqLen - 1));
    // And it does depend on the offset.
    expect(Math.abs(byOffset.get(1)! - byOffset.get(3)!)).toBeGreaterThan(1e-3);
  });

  test('inside MultiheadAttention through processHeads, mapped over heads', () => {
    const attention = new MultiheadAttention(2, 8, { key: random.key(4) });
    const rope = new RotaryPositionalEmbedding(4);
    const perHead = vmap(rope.call, { inAxes: 1, outAxes: 1 });
    const heads = normal(5, [3, 2, 4]);
    const rotated = perHead(heads);
    for (let h = 0; h < 2; h++) {
      expectClose(rotated.get(':', h), rows(rope.call(heads.get(':', h))), 1e-6);
    }
    const x = normal(6, [3, 8]);
    const withRope = attention.call(x, x, x, {
      processHeads: (q, k, v) => [perHead(q), perHead(k), v],
    });
    expect(withRope.shape).toEqual([3, 8]);
    expect(rows(withRope)).not.toEqual(rows(attention.call(x, x, x)));
  });

  test('gradients match finite differences; vmap and jit equal eager', () => {
    const rope = new RotaryPositionalEmbedding(4, { theta: 10 });
    checkLayerGrads(rope, [normal(7, [3, 4])], (l, x) =>
      l
        .call(x)
        .square()
        .mul(numpy.arange(12).reshape([3, 4]))
        .sum(),
    );
    const xs = normal(8, [3, 5, 4]);
    const batched = vmap(rope.call)(xs);
    for (let b = 0; b < 3; b++) expectClose(batched.get(b), rows(rope.call(xs.get(b))), 1e-6);
    expectClose(jit(rope.call)(xs.get(0)), rows(rope.call(xs.get(0))), 1e-6);
  });

  test('errors name the argument and what was expected', () => {
    expect(() => new RotaryPositionalEmbedding(3)).toThrow(
      'RotaryPositionalEmbedding: `embeddingSize` must be a non-negative even integer, found 3',
    );
    expect(() => new RotaryPositionalEmbedding(-2)).toThrow(TensorError);
    expect(() => new RotaryPositionalEmbedding(2.5)).toThrow(/non-negative even integer/);
    expect(() => new RotaryPositionalEmbedding(4, { theta: 0 })).toThrow(
      'RotaryPositionalEmbedding: `theta` must be a positive number, found 0',
    );
    expect(() => new RotaryPositionalEmbedding(4, { theta: Number.NaN })).toThrow(/`theta`/);
    const rope = new RotaryPositionalEmbedding(4);
    expect(() => rope.call(numpy.ones([3, 6]))).toThrow(
      'RotaryPositionalEmbedding: expected `x` of shape [*, 4], found float32[3, 6]',
    );
    expect(() => rope.call(numpy.ones([2, 3, 4]))).toThrow(/batch with vmap/);
    expect(() => rope.call(numpy.ones([4]))).toThrow(/expected `x` of shape \[\*, 4\]/);
  });
});
