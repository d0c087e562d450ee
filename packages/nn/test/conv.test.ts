// Conv and Conv1d/2d/3d: shapes, values against a naive float64 convolution, padding modes by hand,
// initialisation, gradients, vmap/jit, and errors.
import {
  type Tensor,
  TensorError,
  filterJit,
  jit,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { Conv, Conv1d, Conv2d, Conv3d, type ConvOptions, type ConvPadding } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';
import { randomSource, randomTensor } from './helpers/check-grads.js';
import { addBias, dense, expectDenseClose, naiveConv, naivePad } from './conv-reference.js';

/** The explicit pads a padding argument means for input sizes `sizes` (SAME worked out by hand). */
function padsFor(
  padding: ConvPadding,
  sizes: number[],
  kernel: number[],
  stride: number[],
  dilation: number[],
): [number, number][] {
  return sizes.map((n, d) => {
    if (typeof padding === 'number') return [padding, padding];
    if (typeof padding !== 'string') {
      const p = padding[d]!;
      return typeof p === 'number' ? [p, p] : [p[0], p[1]];
    }
    if (padding.toUpperCase() === 'VALID') return [0, 0];
    const window = dilation[d]! * (kernel[d]! - 1) + 1;
    const total = Math.max(0, (Math.ceil(n / stride[d]!) - 1) * stride[d]! + window - n);
    const half = Math.floor(total / 2);
    return padding.toUpperCase() === 'SAME' ? [half, total - half] : [total - half, half];
  });
}

const fill = (v: number | number[], n: number) =>
  Array.isArray(v) ? v : new Array<number>(n).fill(v);

interface Case {
  n: number;
  cin: number;
  cout: number;
  kernel: number | number[];
  sizes: number[];
  options: Omit<ConvOptions, 'key'>;
}

const CASES: Case[] = [
  { n: 1, cin: 1, cout: 1, kernel: 3, sizes: [5], options: {} },
  { n: 1, cin: 2, cout: 3, kernel: 2, sizes: [7], options: { stride: 2, padding: 1 } },
  {
    n: 1,
    cin: 4,
    cout: 2,
    kernel: 3,
    sizes: [6],
    options: { groups: 2, dilation: 2, padding: [[2, 0]] },
  },
  { n: 1, cin: 2, cout: 2, kernel: 4, sizes: [5], options: { padding: 'SAME', stride: 2 } },
  {
    n: 1,
    cin: 1,
    cout: 2,
    kernel: 4,
    sizes: [6],
    options: { padding: 'SAME_LOWER', useBias: false },
  },
  { n: 1, cin: 3, cout: 3, kernel: 2, sizes: [4], options: { padding: 'valid', groups: 3 } },
  {
    n: 2,
    cin: 2,
    cout: 3,
    kernel: [2, 3],
    sizes: [4, 5],
    options: { stride: [1, 2], padding: [1, 0] },
  },
  {
    n: 2,
    cin: 2,
    cout: 4,
    kernel: 3,
    sizes: [5, 4],
    options: { groups: 2, dilation: [2, 1], padding: 'SAME' },
  },
  {
    n: 2,
    cin: 1,
    cout: 1,
    kernel: [3, 1],
    sizes: [4, 3],
    options: {
      padding: [
        [1, 2],
        [0, 1],
      ],
      stride: 2,
    },
  },
  {
    n: 3,
    cin: 1,
    cout: 2,
    kernel: 2,
    sizes: [3, 3, 2],
    options: {
      padding: [
        [1, 0],
        [0, 0],
        [1, 1],
      ],
    },
  },
  {
    n: 3,
    cin: 2,
    cout: 2,
    kernel: [1, 2, 2],
    sizes: [2, 4, 3],
    options: { stride: [1, 2, 1], groups: 2, padding: 'SAME' },
  },
];

const caseName = (c: Case) => `${c.n}d k=${JSON.stringify(c.kernel)} ${JSON.stringify(c.options)}`;

describe.each(BACKENDS)('Conv on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(3);

  test.each(CASES.map((c) => [caseName(c), c] as const))(
    'values match a naive float64 convolution: %s',
    (_, c) => {
      const layer = new Conv(c.n, c.cin, c.cout, c.kernel, {
        key: random.key(c.cin + c.cout),
        ...c.options,
      });
      const kernel = fill(c.kernel, c.n);
      const stride = fill((c.options.stride as number | number[] | undefined) ?? 1, c.n);
      const dilation = fill((c.options.dilation as number | number[] | undefined) ?? 1, c.n);
      const groups = c.options.groups ?? 1;
      expect(layer.weight.shape).toEqual([c.cout, c.cin / groups, ...kernel]);
      const x = randomTensor([c.cin, ...c.sizes], rand);
      const pads = padsFor(c.options.padding ?? 0, c.sizes, kernel, stride, dilation);
      let want = naiveConv(dense(x), dense(layer.weight), { stride, pads, dilation, groups });
      if (layer.bias !== null) want = addBias(want, dense(layer.bias));
      expectDenseClose(layer.call(x), want);
    },
  );

  test('output shapes over a grid of stride, padding, dilation and groups in 1, 2 and 3 dimensions', () => {
    const paddings: ConvPadding[] = [0, 2, 'SAME', 'SAME_LOWER', 'VALID', [[2, 1]]];
    for (const [n, Cls] of [
      [1, Conv1d],
      [2, Conv2d],
      [3, Conv3d],
    ] as const) {
      for (const stride of [1, 2, 3]) {
        for (const dilation of [1, 2]) {
          for (const padding of paddings) {
            const pad = Array.isArray(padding) ? new Array(n).fill(padding[0]) : padding;
            const layer = new Cls(2, 4, 2, {
              key: random.key(0),
              stride,
              dilation,
              padding: pad,
              groups: 2,
            });
            expect(layer).toBeInstanceOf(Conv);
            expect(layer.numSpatialDims).toBe(n);
            const sizes = [7, 6, 5].slice(0, n);
            const out = sizes.map((size) => {
              if (padding === 'SAME' || padding === 'SAME_LOWER') return Math.ceil(size / stride);
              const [lo, hi] =
                typeof padding === 'number'
                  ? [padding, padding]
                  : padding === 'VALID'
                    ? [0, 0]
                    : [2, 1];
              return Math.floor((size + lo + hi - dilation - 1) / stride) + 1;
            });
            expect(layer.call(numpy.zeros([2, ...sizes])).shape).toEqual([4, ...out]);
          }
        }
      }
    }
  });

  test('initialisation: Equinox shapes, bounds ±1/sqrt(fanIn), split key, static configuration', () => {
    const layer = new Conv2d(4, 6, [3, 2], { key: random.key(5), groups: 2 });
    expect(layer.weight.shape).toEqual([6, 2, 3, 2]);
    expect(layer.bias!.shape).toEqual([6, 1, 1]);
    const limit = 1 / Math.sqrt(2 * 3 * 2);
    const values = [...layer.weight.dataSync(), ...layer.bias!.dataSync()];
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(limit / 2);
    expect(layer.kernelSize).toEqual([3, 2]);
    expect(layer.stride).toEqual([1, 1]);
    expect(layer.padding).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(layer.paddingMode).toBe('ZEROS');
    expect(tree.leaves(layer)).toHaveLength(2);
    const noBias = new Conv1d(1, 1, 1, {
      key: random.key(0),
      useBias: false,
      padding: 'same',
      paddingMode: 'circular',
    });
    expect(noBias.bias).toBeNull();
    expect(noBias.padding).toBe('SAME');
    expect(noBias.paddingMode).toBe('CIRCULAR');
    expect(tree.leaves(noBias)).toHaveLength(1);
    // Same arguments, same structure (static lists compare by value).
    expect(
      tree
        .structure(new Conv2d(4, 6, [3, 2], { key: random.key(9), groups: 2 }))
        .equals(tree.structure(layer)),
    ).toBe(true);
  });

  describe('padding modes, by hand', () => {
    /** A 1x1 identity kernel shows the padded input itself. */
    const identity = (n: number, padding: ConvPadding, paddingMode: ConvOptions['paddingMode']) => {
      const layer = new Conv(n, 1, 1, 1, {
        key: random.key(0),
        padding,
        paddingMode,
        useBias: false,
      });
      return tree.treeAt(
        (l: Conv) => l.weight,
        layer,
        numpy.ones([1, 1, ...new Array<number>(n).fill(1)]),
      );
    };
    const x1 = numpy.array([[1, 2, 3, 4]]);
    const x2 = numpy.array([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);

    test.each([
      ['ZEROS', [[0, 0, 1, 2, 3, 4, 0, 0]]],
      ['REFLECT', [[3, 2, 1, 2, 3, 4, 3, 2]]],
      ['REPLICATE', [[1, 1, 1, 2, 3, 4, 4, 4]]],
      ['CIRCULAR', [[3, 4, 1, 2, 3, 4, 1, 2]]],
    ] as const)('1-D %s', (mode, want) => {
      expectClose(identity(1, 2, mode).call(x1), want);
    });

    test('1-D uneven pairs', () => {
      expectClose(identity(1, [[1, 2]], 'REFLECT').call(x1), [[2, 1, 2, 3, 4, 3, 2]]);
      expectClose(identity(1, [[0, 3]], 'CIRCULAR').call(x1), [[1, 2, 3, 4, 1, 2, 3]]);
    });

    test.each([
      [
        'ZEROS',
        [
          [0, 0, 0, 0, 0],
          [0, 1, 2, 3, 0],
          [0, 4, 5, 6, 0],
          [0, 0, 0, 0, 0],
        ],
      ],
      [
        'REFLECT',
        [
          [5, 4, 5, 6, 5],
          [2, 1, 2, 3, 2],
          [5, 4, 5, 6, 5],
          [2, 1, 2, 3, 2],
        ],
      ],
      [
        'REPLICATE',
        [
          [1, 1, 2, 3, 3],
          [1, 1, 2, 3, 3],
          [4, 4, 5, 6, 6],
          [4, 4, 5, 6, 6],
        ],
      ],
      [
        'CIRCULAR',
        [
          [6, 4, 5, 6, 4],
          [3, 1, 2, 3, 1],
          [6, 4, 5, 6, 4],
          [3, 1, 2, 3, 1],
        ],
      ],
    ] as const)('2-D %s', (mode, want) => {
      expectClose(identity(2, 1, mode).call(x2), [want]);
    });

    test('with SAME padding resolved against the input, a 3-tap kernel', () => {
      const make = (paddingMode: ConvOptions['paddingMode']) =>
        tree.treeAt(
          (l: Conv1d) => l.weight,
          new Conv1d(1, 1, 3, { key: random.key(0), padding: 'SAME', paddingMode, useBias: false }),
          numpy.array([[[1, 10, 100]]]),
        );
      // Padded [1, 1, 2, 3, 4, 4]; out[j] = p[j] + 10 p[j + 1] + 100 p[j + 2].
      expectClose(make('REPLICATE').call(x1), [[211, 321, 432, 443]]);
      // Padded [4, 1, 2, 3, 4, 1].
      expectClose(make('CIRCULAR').call(x1), [[214, 321, 432, 143]]);
      // Padded [2, 1, 2, 3, 4, 3].
      expectClose(make('REFLECT').call(x1), [[212, 321, 432, 343]]);
      expectClose(make('ZEROS').call(x1), [[210, 321, 432, 43]]);
    });

    test('non-zero modes match naive explicit padding then a valid convolution', () => {
      for (const [mode, numpyMode] of [
        ['REFLECT', 'reflect'],
        ['REPLICATE', 'edge'],
        ['CIRCULAR', 'wrap'],
      ] as const) {
        const layer = new Conv2d(2, 2, [2, 3], {
          key: random.key(1),
          stride: [2, 1],
          dilation: [1, 2],
          padding: [
            [2, 1],
            [3, 0],
          ],
          paddingMode: mode,
        });
        const x = randomTensor([2, 4, 4], rand);
        const padded = naivePad(
          dense(x),
          [
            [2, 1],
            [3, 0],
          ],
          numpyMode,
        );
        const geometry = {
          stride: [2, 1],
          pads: [
            [0, 0],
            [0, 0],
          ] as [number, number][],
          dilation: [1, 2],
          groups: 1,
        };
        const want = addBias(naiveConv(padded, dense(layer.weight), geometry), dense(layer.bias!));
        expectDenseClose(layer.call(x), want);
      }
    });
  });

  test('gradients in weight, bias and input match finite differences', () => {
    const loss = (l: Conv, x: Tensor) => l.call(x).square().sum();
    const layers: [Conv, number[]][] = [
      [new Conv1d(2, 2, 2, { key: random.key(1), stride: 2, padding: 1 }), [2, 5]],
      [
        new Conv2d(2, 2, 2, { key: random.key(2), groups: 2, dilation: [1, 2], padding: 'SAME' }),
        [2, 3, 3],
      ],
      [new Conv1d(1, 2, 3, { key: random.key(3), padding: 2, paddingMode: 'REFLECT' }), [1, 4]],
      [
        new Conv2d(1, 1, 2, {
          key: random.key(4),
          padding: [
            [1, 0],
            [0, 1],
          ],
          paddingMode: 'CIRCULAR',
        }),
        [1, 3, 2],
      ],
      [
        new Conv1d(1, 1, 3, { key: random.key(5), padding: 'SAME', paddingMode: 'REPLICATE' }),
        [1, 4],
      ],
      [new Conv3d(1, 1, 2, { key: random.key(6) }), [1, 2, 2, 3]],
    ];
    for (const [layer, shape] of layers) checkLayerGrads(layer, [randomTensor(shape, rand)], loss);
  });

  test('vmap over a batch equals per-example calls; jit and filterJit equal eager', () => {
    const layer = new Conv2d(2, 3, 2, {
      key: random.key(8),
      stride: 2,
      padding: 'SAME',
      paddingMode: 'REFLECT',
    });
    const xs = randomTensor([3, 2, 4, 5], rand);
    const batched = vmap(layer.call)(xs);
    expect(batched.shape).toEqual([3, 3, 2, 3]);
    for (let i = 0; i < 3; i++) {
      const one = layer.call(numpy.take(xs, i, { axis: 0 }));
      expectClose(numpy.take(batched, i, { axis: 0 }), one.tolist(), 1e-5);
    }
    expectClose(jit(vmap(layer.call))(xs), batched.tolist(), 1e-5);
    const run = filterJit((l: Conv2d, x: Tensor) => l.call(x));
    const x0 = numpy.take(xs, 0, { axis: 0 });
    expectClose(run(layer, x0), layer.call(x0).tolist(), 1e-5);
    // A second layer with the same configuration reuses the trace and gives its own values.
    const other = new Conv2d(2, 3, 2, {
      key: random.key(9),
      stride: 2,
      padding: 'SAME',
      paddingMode: 'REFLECT',
    });
    expectClose(run(other, x0), other.call(x0).tolist(), 1e-5);
  });

  test('errors name the layer, the argument and what was found', () => {
    const key = random.key(0);
    const conv = new Conv2d(3, 4, 3, { key });
    expect(() => conv.call(numpy.ones([2, 5, 5]))).toThrow(
      new TensorError(
        'Conv2d',
        'expected `x` of shape [3, *, *] (inChannels, then 2 spatial dimensions), found float32[2, 5, 5]',
      ),
    );
    expect(() => conv.call(numpy.ones([3, 5]))).toThrow(
      /Conv2d: expected `x` of shape \[3, \*, \*\].*found float32\[3, 5\]$/,
    );
    expect(() => conv.call(numpy.ones([8, 3, 5, 5]))).toThrow(/batch with vmap/);
    expect(() => new Conv(1, 2, 3, 3, { key, groups: 2 })).toThrow(
      new TensorError('Conv', '`groups` (2) must divide `inChannels` (2) and `outChannels` (3)'),
    );
    expect(() => new Conv1d(3, 2, 3, { key, groups: 2 })).toThrow(
      /Conv1d: `groups` \(2\) must divide `inChannels` \(3\)/,
    );
    expect(() => new Conv1d(0, 2, 3, { key })).toThrow(
      /Conv1d: `inChannels` must be a positive integer, found 0/,
    );
    expect(() => new Conv1d(1, 1, 3, { key, padding: 'FULL' as ConvPadding })).toThrow(
      /Conv1d: `padding` must be 'SAME', 'SAME_LOWER', 'VALID'.*found "FULL"/,
    );
    expect(() => new Conv2d(1, 1, 3, { key, padding: [1, 2, 3] })).toThrow(
      /Conv2d: `padding` must be/,
    );
    expect(() => new Conv2d(1, 1, [3, 3, 3], { key })).toThrow(
      /Conv2d: `kernelSize` must be an integer of at least 1 or 2 of them.*found \[3,3,3\]/,
    );
    expect(() => new Conv2d(1, 1, 3, { key, stride: 0 })).toThrow(
      /`stride` must be an integer of at least 1/,
    );
    expect(() => new Conv1d(1, 1, 3, { key, paddingMode: 'MIRROR' as 'REFLECT' })).toThrow(
      /Conv1d: `paddingMode` must be 'ZEROS', 'REFLECT', 'REPLICATE' or 'CIRCULAR', found "MIRROR"/,
    );
    expect(() => new Conv1d(1, 1, 3, { key, padding: -1, paddingMode: 'REFLECT' })).toThrow(
      /Conv1d: `padding` must be non-negative with paddingMode 'REFLECT'/,
    );
    expect(() => new Conv(4, 1, 1, 1, { key })).toThrow(
      /Conv: `numSpatialDims` must be 1, 2 or 3, found 4/,
    );
  });
});
