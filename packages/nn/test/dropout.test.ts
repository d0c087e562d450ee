// Dropout: inference and p = 0 pass through, the kept fraction and scaling, keys, gradients, vmap/jit, errors.
import { type Tensor, TensorError, grad, jit, numpy, random, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { Dropout, Identity, Sequential, inferenceMode } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

const flat = (t: Tensor): number[] => Array.from(t.dataSync());

describe.each(BACKENDS)('Dropout on $name', (entry) => {
  useBackend(entry);

  test('inference (field, option or inferenceMode) and p = 0 return x itself', () => {
    const x = random.normal(random.key(0), [5]);
    expect(new Dropout().p).toBe(0.5);
    expect(new Dropout(0.5, { inference: true }).call(x)).toBe(x);
    expect(new Dropout(0.5).call(x, { inference: true })).toBe(x);
    expect(inferenceMode(new Dropout(0.3)).call(x)).toBe(x);
    expect(new Dropout(0).call(x)).toBe(x);
    expect(new Dropout(0).call(x, { key: random.key(1) })).toBe(x);
    // The call option overrides the field both ways.
    const y = new Dropout(0.5, { inference: true }).call(x, {
      key: random.key(2),
      inference: false,
    });
    expect(y).not.toBe(x);
    // p and inference are leaves (not static), as in Equinox, so treeAt can change them.
    const changed = tree.treeAt((d: Dropout) => d.p, new Dropout(0.5), 0);
    expect(changed.call(x)).toBe(x);
  });

  test('training: kept fraction close to 1 - p, kept values scaled by 1 / (1 - p)', () => {
    const n = 20000;
    for (const p of [0.1, 0.5, 0.8]) {
      const x = random.uniform(random.key(3), [n], { minval: 1, maxval: 2 });
      const y = new Dropout(p).call(x, { key: random.key(Math.round(p * 10)) });
      expect(y.shape).toEqual([n]);
      const xs = flat(x);
      const ys = flat(y);
      let kept = 0;
      ys.forEach((v, i) => {
        if (v === 0) return;
        kept++;
        expect(Math.abs(v - xs[i]! / (1 - p))).toBeLessThanOrEqual(1e-5 * Math.abs(v));
      });
      // The standard deviation of the fraction is sqrt(p (1 - p) / n) < 0.004.
      expect(Math.abs(kept / n - (1 - p))).toBeLessThan(0.02);
    }
    // p = 1 drops everything, and the gradient is zero (not NaN).
    const x = numpy.array([1, -2, 3]);
    const all = new Dropout(1);
    expect(all.call(x, { key: random.key(0) }).tolist()).toEqual([0, 0, 0]);
    const g = grad((v: Tensor) => all.call(v, { key: random.key(0) }).sum())(x);
    expect(g.tolist()).toEqual([0, 0, 0]);
  });

  test('keys: the same key gives the same mask, the mask is JAX bernoulli(key, 1 - p)', () => {
    const layer = new Dropout(0.4);
    const x = numpy.ones([64]);
    const a = flat(layer.call(x, { key: random.key(5) }));
    expect(flat(layer.call(x, { key: random.key(5) }))).toEqual(a);
    expect(flat(layer.call(x, { key: random.key(6) }))).not.toEqual(a);
    const mask = flat(random.bernoulli(random.key(5), 0.6, [64]));
    expect(a.map((v) => (v === 0 ? 0 : 1))).toEqual(mask);
    expectClose(
      numpy.array(a.filter((v) => v !== 0)),
      a.filter((v) => v !== 0).map(() => 1 / 0.6),
    );
  });

  test('gradients, vmap with a key per example, and jit agree', () => {
    const layer = new Dropout(0.5);
    const key = random.key(9);
    const x = random.normal(random.key(8), [6]);
    checkLayerGrads(layer, [x], (l, v) => l.call(v, { key }));
    // By hand: the gradient of sum(dropout(x)) is the mask over (1 - p).
    const mask = flat(random.bernoulli(key, 0.5, [6]));
    expectClose(
      grad((v: Tensor) => layer.call(v, { key }).sum())(x),
      mask.map((m) => m * 2),
    );
    const xs = random.normal(random.key(10), [3, 4]);
    const keys = random.split(random.key(11), 3);
    const batched = vmap((v: Tensor, k: Tensor) => layer.call(v, { key: k }))(xs, keys);
    for (let i = 0; i < 3; i++) {
      expectClose(batched.get(i), flat(layer.call(xs.get(i), { key: keys.get(i) })));
    }
    const compiled = jit((v: Tensor, k: Tensor) => layer.call(v, { key: k }));
    expect(flat(compiled(x, key))).toEqual(flat(layer.call(x, { key })));
    // In a Sequential, each layer gets its own split of the key.
    const model = new Sequential([new Dropout(0.5), new Identity()]);
    expect(model.call(x, { key }).shape).toEqual([6]);
    expect(inferenceMode(model).call(x)).toBe(x);
  });

  test('bad arguments and a missing key give clear errors', () => {
    const x = numpy.ones([3]);
    expect(() => new Dropout(0.5).call(x)).toThrow(TensorError);
    expect(() => new Dropout(0.5).call(x)).toThrow(
      /Dropout: a `key` is needed when training with p > 0: call\(x, \{ key \}\)/,
    );
    expect(() => new Dropout(-0.1)).toThrow(
      /Dropout: `p` must be a number in \[0, 1\], found -0.1/,
    );
    expect(() => new Dropout(1.5)).toThrow(/found 1.5/);
    expect(() => new Dropout(NaN)).toThrow(/`p`/);
    expect(() => new Dropout('0.5' as never)).toThrow(/`p`/);
    expect(() => new Dropout(0.5, { inference: 'yes' as never })).toThrow(
      /Dropout: `inference` must be a boolean/,
    );
  });
});
