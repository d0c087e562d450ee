// LayerNorm, RMSNorm and GroupNorm: shapes, values against float64 references, gradients, vmap/jit, errors.
import { type Tensor, TensorError, jit, numpy, random, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { GroupNorm, LayerNorm, RMSNorm, State, StateIndex } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';

const flat = (t: Tensor): number[] => Array.from(t.dataSync());
const mean64 = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const var64 = (v: number[]): number => {
  const m = mean64(v);
  return mean64(v.map((a) => (a - m) ** 2));
};

/** Replaces a layer's weight and bias by random values, so the affine part is tested too. */
function randomAffine<L extends { weight: Tensor | null; bias: Tensor | null }>(
  layer: L,
  seed: number,
): L {
  const [kw, kb] = random.split(random.key(seed));
  return tree.treeAt((l: L) => [l.weight, l.bias], layer, [
    random.normal(kw!, layer.weight!.shape),
    random.normal(kb!, layer.bias!.shape),
  ]);
}

/** LayerNorm over all of `x` in float64: (x - mean) / sqrt(var + eps) * w + b, elementwise w, b. */
function layerNorm64(x: number[], w: number[] | null, b: number[] | null, eps: number): number[] {
  const m = mean64(x);
  const s = Math.sqrt(var64(x) + eps);
  return x.map((v, i) => ((v - m) / s) * (w ? w[i]! : 1) + (b ? b[i]! : 0));
}

/** GroupNorm in float64 by nested loops over x of shape [C, rest] (rest flattened). */
function groupNorm64(
  x: number[],
  channels: number,
  groups: number,
  w: number[] | null,
  b: number[] | null,
  eps: number,
): number[] {
  const rest = x.length / channels;
  const perGroup = channels / groups;
  const out = new Array<number>(x.length);
  for (let g = 0; g < groups; g++) {
    const values: number[] = [];
    for (let c = g * perGroup; c < (g + 1) * perGroup; c++) {
      for (let r = 0; r < rest; r++) values.push(x[c * rest + r]!);
    }
    const m = mean64(values);
    const s = Math.sqrt(var64(values) + eps);
    for (let c = g * perGroup; c < (g + 1) * perGroup; c++) {
      for (let r = 0; r < rest; r++) {
        const i = c * rest + r;
        out[i] = ((x[i]! - m) / s) * (w ? w[c]! : 1) + (b ? b[c]! : 0);
      }
    }
  }
  return out;
}

describe.each(BACKENDS)('normalisation layers on $name', (entry) => {
  useBackend(entry);

  test('LayerNorm: shapes, initialisation, values against float64', () => {
    for (const shape of [3, [1], [2, 3], [2, 2, 2]] as const) {
      const dims: number[] = typeof shape === 'number' ? [shape] : [...shape];
      const plain = new LayerNorm(shape);
      expect(plain.shape).toEqual(dims);
      expect(flat(plain.weight!)).toEqual(new Array(dims.reduce((a, b) => a * b)).fill(1));
      expect(flat(plain.bias!).every((v) => v === 0)).toBe(true);
      const norm = randomAffine(plain, dims.length);
      const x = random.normal(random.key(7), dims).mul(3).add(1);
      const y = norm.call(x);
      expect(y.shape).toEqual(dims);
      expectClose(y, layerNorm64(flat(x), flat(norm.weight!), flat(norm.bias!), 1e-5), 1e-4);
    }
    // Hand-derived: [1, 2, 3] has mean 2 and variance 2/3.
    const y = new LayerNorm(3, { eps: 0 }).call(numpy.array([1, 2, 3]));
    expectClose(y, [-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    // eps enters under the square root.
    expectClose(new LayerNorm(2, { eps: 3 }).call(numpy.array([-1, 1])), [-0.5, 0.5]);
    const noAffine = new LayerNorm(4, { useWeight: false, useBias: false });
    expect(noAffine.weight).toBeNull();
    expect(noAffine.bias).toBeNull();
    expect(tree.leaves(noAffine)).toHaveLength(0);
    expect(new LayerNorm(4, { useBias: false }).bias).toBeNull();
    expect(new LayerNorm(4, { useWeight: false }).weight).toBeNull();
    const anyShape = new LayerNorm(null, { useWeight: false, useBias: false });
    const z = random.normal(random.key(3), [2, 5]);
    expectClose(anyShape.call(z), layerNorm64(flat(z), null, null, 1e-5), 1e-4);
    expect(anyShape.call(numpy.ones([3])).tolist()).toEqual([0, 0, 0]);
  });

  test('RMSNorm: Equinox defaults (weight and bias), values against float64', () => {
    const plain = new RMSNorm([2, 3]);
    expect(plain.weight!.shape).toEqual([2, 3]);
    expect(plain.bias!.shape).toEqual([2, 3]);
    expect(plain.eps).toBe(1e-5);
    const norm = randomAffine(plain, 1);
    const x = random.normal(random.key(4), [2, 3]).add(0.5);
    const xs = flat(x);
    const rms = Math.sqrt(mean64(xs.map((v) => v * v)) + 1e-5);
    const w = flat(norm.weight!);
    const b = flat(norm.bias!);
    expectClose(
      norm.call(x),
      xs.map((v, i) => (v / rms) * w[i]! + b[i]!),
      1e-4,
    );
    // Not centred: a constant input becomes ones (times the weight).
    expectClose(new RMSNorm(3, { eps: 0 }).call(numpy.full([3], -4)), [-1, -1, -1]);
    const bare = new RMSNorm(3, { useWeight: false, useBias: false });
    expect(tree.leaves(bare)).toHaveLength(0);
    expectClose(
      bare.call(numpy.array([1, 2, 2])),
      [1, 2, 2].map((v) => v / Math.sqrt(3 + 1e-5)),
    );
  });

  test('GroupNorm: a grid of groups, channels and spatial shapes against float64', () => {
    const cases: [number, number, number[]][] = [
      [1, 3, []],
      [3, 3, [2]],
      [2, 4, [2, 3]],
      [1, 2, [3, 1, 2]],
    ];
    for (const [groups, channels, spatial] of cases) {
      const norm = randomAffine(new GroupNorm(groups, channels), groups + channels);
      expect(norm.weight!.shape).toEqual([channels]);
      const x = random
        .normal(random.key(channels), [channels, ...spatial])
        .mul(2)
        .sub(1);
      const y = norm.call(x);
      expect(y.shape).toEqual([channels, ...spatial]);
      expectClose(
        y,
        groupNorm64(flat(x), channels, groups, flat(norm.weight!), flat(norm.bias!), 1e-5),
        1e-4,
      );
    }
    // Hand-derived: groups [0, 2] and [5, 5] (the second has variance 0).
    const bare = new GroupNorm(2, null, { channelwiseAffine: false, eps: 0.25 });
    expect(bare.weight).toBeNull();
    expectClose(bare.call(numpy.array([0, 2, 5, 5])), [
      -1 / Math.sqrt(1.25),
      1 / Math.sqrt(1.25),
      0,
      0,
    ]);
    // Without `channels`, any channel count divisible by groups is accepted.
    expect(bare.call(numpy.ones([6, 2])).shape).toEqual([6, 2]);
  });

  test('gradients match finite differences', () => {
    const x = random.normal(random.key(11), [2, 3]);
    checkLayerGrads(randomAffine(new LayerNorm([2, 3]), 2), [x], (l, v) => l.call(v));
    checkLayerGrads(randomAffine(new RMSNorm([2, 3]), 3), [x], (l, v) => l.call(v));
    checkLayerGrads(
      randomAffine(new GroupNorm(2, 4), 4),
      [random.normal(random.key(12), [4, 2])],
      (l, v) => l.call(v),
    );
    checkLayerGrads(new LayerNorm(null, { useWeight: false, useBias: false }), [x], (l, v) =>
      l.call(v),
    );
  });

  test('vmap, jit and the State pass-through', () => {
    const xs = random.normal(random.key(5), [4, 3]);
    const layers = [
      randomAffine(new LayerNorm(3), 6),
      randomAffine(new RMSNorm(3), 7),
      randomAffine(new GroupNorm(3, 3), 8),
    ];
    for (const layer of layers) {
      const batched = vmap(layer.call)(xs);
      expect(batched.shape).toEqual([4, 3]);
      for (let i = 0; i < 4; i++) expectClose(batched.get(i), flat(layer.call(xs.get(i))));
      expectClose(jit(vmap(layer.call))(xs), flat(batched));
      // A State is handed back as it came, so these layers can stand in for BatchNorm.
      const state = new State(new StateIndex(numpy.zeros([1])));
      const [y, same] = layer.call(xs.get(0), state);
      expect(same).toBe(state);
      expectClose(y, flat(layer.call(xs.get(0))));
    }
    // Normalising each row of a batch is the vmap of a LayerNorm over one row.
    const rowNorm = new LayerNorm(3, { useWeight: false, useBias: false });
    const rows = xs.tolist() as number[][];
    expectClose(
      vmap(rowNorm.call)(xs),
      rows.map((r) => layerNorm64(r, null, null, 1e-5)),
      1e-4,
    );
  });

  test('bad arguments and inputs give clear errors', () => {
    expect(() => new LayerNorm(3).call(numpy.ones([4]))).toThrow(TensorError);
    expect(() => new LayerNorm(3).call(numpy.ones([4]))).toThrow(
      /LayerNorm: expected `x` of shape \[3\] \(the layer's `shape`\), found float32\[4\]/,
    );
    expect(() => new LayerNorm(3).call(numpy.ones([5, 3]))).toThrow(/vmap the layer/);
    expect(() => new LayerNorm([2, 3]).call(numpy.ones([3, 2]))).toThrow(/found float32\[3, 2\]/);
    expect(() => new LayerNorm(null)).toThrow(/`shape` may be null only with `useWeight: false`/);
    expect(() => new LayerNorm(0)).toThrow(
      /LayerNorm: `shape` must be a positive integer, found 0/,
    );
    expect(() => new LayerNorm([2, -1])).toThrow(
      /`shape\[1\]` must be a positive integer, found -1/,
    );
    expect(() => new LayerNorm('3' as never)).toThrow(/a list of them, found 3/);
    expect(() => new LayerNorm(3, { eps: -1 })).toThrow(/LayerNorm: `eps` must be a number in/);
    expect(() => new LayerNorm(3, { useBias: 'no' as never })).toThrow(
      /`useBias` must be a boolean/,
    );
    expect(() => new RMSNorm(2).call(numpy.ones([2, 2]))).toThrow(
      /RMSNorm: expected `x` of shape \[2\].*found float32\[2, 2\]; to normalise each example/,
    );
    expect(() => new RMSNorm(2, { eps: NaN })).toThrow(/RMSNorm: `eps`/);
    expect(() => new GroupNorm(3, 4)).toThrow(
      /GroupNorm: `groups` must divide `channels`: 4 channels do not split into 3 groups/,
    );
    expect(() => new GroupNorm(2)).toThrow(
      /`channels` must be given when `channelwiseAffine` is true/,
    );
    expect(() => new GroupNorm(0, 4)).toThrow(/GroupNorm: `groups` must be a positive integer/);
    expect(() => new GroupNorm(2, 4).call(numpy.ones([6, 2]))).toThrow(
      /GroupNorm: expected `x` of shape \[4, \.\.\.spatial\] \(channels first\), found float32\[6, 2\]/,
    );
    expect(() => new GroupNorm(2, 4).call(numpy.array(1))).toThrow(/found float32\[\]/);
    expect(() =>
      new GroupNorm(4, null, { channelwiseAffine: false }).call(numpy.ones([6])),
    ).toThrow(/the 6 channels of `x` \(float32\[6\]\) do not split into 4 groups/);
  });
});
