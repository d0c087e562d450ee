// ConvTranspose and ConvTranspose1d/2d/3d: shapes, values against a naive scatter, the adjoint identity
// with Conv, SAME and CIRCULAR padding, gradients, vmap/jit, and errors.
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
import {
  Conv,
  ConvTranspose,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
  type ConvPadding,
  type ConvTransposeOptions,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkLayerGrads, expectClose } from './helpers/layers.js';
import { randomSource, randomTensor } from './helpers/check-grads.js';
import {
  type Dense,
  addBias,
  adjointWeight,
  dense,
  expectDenseClose,
  naiveConvTranspose,
} from './conv-reference.js';

const fill = (v: number | readonly number[] | undefined, n: number, fallback: number) =>
  Array.isArray(v)
    ? [...(v as number[])]
    : new Array<number>(n).fill((v as number | undefined) ?? fallback);

const toTensor = (d: Dense) => numpy.array(Float32Array.from(d.data), { shape: d.shape });

const dot64 = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

interface Case {
  n: number;
  cin: number;
  cout: number;
  kernel: number | number[];
  sizes: number[];
  options: Omit<ConvTransposeOptions, 'key'>;
  /** The equivalent Conv's explicit padding (SAME worked out by hand) and the output padding. */
  pads: [number, number][];
  outputPadding?: number[];
}

const CASES: Case[] = [
  { n: 1, cin: 1, cout: 1, kernel: 3, sizes: [4], options: {}, pads: [[0, 0]] },
  {
    n: 1,
    cin: 2,
    cout: 3,
    kernel: 3,
    sizes: [4],
    options: { stride: 2, padding: 1, outputPadding: 1 },
    pads: [[1, 1]],
    outputPadding: [1],
  },
  {
    n: 1,
    cin: 4,
    cout: 2,
    kernel: 2,
    sizes: [3],
    options: { stride: 3, dilation: 2, groups: 2, padding: [[2, 0]] },
    pads: [[2, 0]],
  },
  {
    n: 1,
    cin: 2,
    cout: 2,
    kernel: 3,
    sizes: [3],
    options: { padding: 'VALID', stride: 2, outputPadding: 1 },
    pads: [[0, 0]],
    outputPadding: [1],
  },
  {
    n: 2,
    cin: 2,
    cout: 2,
    kernel: [2, 3],
    sizes: [3, 2],
    options: { stride: [2, 1], padding: [1, 0], useBias: false },
    pads: [
      [1, 1],
      [0, 0],
    ],
  },
  {
    n: 2,
    cin: 2,
    cout: 4,
    kernel: 2,
    sizes: [2, 3],
    options: { groups: 2, dilation: [1, 2], stride: 2, outputPadding: [1, 0] },
    pads: [
      [0, 0],
      [0, 0],
    ],
    outputPadding: [1, 0],
  },
  {
    n: 3,
    cin: 1,
    cout: 2,
    kernel: 2,
    sizes: [2, 2, 2],
    options: {
      stride: [1, 2, 1],
      padding: [
        [1, 0],
        [0, 0],
        [0, 1],
      ],
    },
    pads: [
      [1, 0],
      [0, 0],
      [0, 1],
    ],
  },
  // SAME and SAME_LOWER, with the equivalent explicit padding derived by hand from Equinox's rule.
  {
    n: 1,
    cin: 1,
    cout: 2,
    kernel: 3,
    sizes: [4],
    options: { stride: 2, padding: 'SAME' },
    pads: [[0, 1]],
  },
  {
    n: 1,
    cin: 1,
    cout: 1,
    kernel: 3,
    sizes: [4],
    options: { stride: 2, padding: 'SAME', outputPadding: 1 },
    pads: [[1, 1]],
    outputPadding: [1],
  },
  {
    n: 1,
    cin: 2,
    cout: 1,
    kernel: 3,
    sizes: [3],
    options: { stride: 2, padding: 'SAME_LOWER' },
    pads: [[1, 0]],
  },
  {
    n: 1,
    cin: 1,
    cout: 1,
    kernel: 1,
    sizes: [3],
    options: { stride: 3, padding: 'SAME' },
    pads: [[0, 0]],
    outputPadding: [2],
  },
  {
    n: 1,
    cin: 1,
    cout: 1,
    kernel: 1,
    sizes: [3],
    options: { stride: 3, padding: 'SAME', outputPadding: 1 },
    pads: [[0, 0]],
    outputPadding: [1],
  },
  {
    n: 2,
    cin: 1,
    cout: 1,
    kernel: [4, 2],
    sizes: [3, 3],
    options: { padding: 'same', dilation: [1, 2] },
    pads: [
      [1, 2],
      [1, 1],
    ],
  },
];

const caseName = (c: Case) => `${c.n}d k=${JSON.stringify(c.kernel)} ${JSON.stringify(c.options)}`;

describe.each(BACKENDS)('ConvTranspose on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(11);

  test.each(CASES.map((c) => [caseName(c), c] as const))(
    'values match a naive float64 scatter: %s',
    (_, c) => {
      const key = random.key(c.cin * 7 + c.cout);
      const layer = new ConvTranspose(c.n, c.cin, c.cout, c.kernel, { key, ...c.options });
      const groups = c.options.groups ?? 1;
      expect(layer.weight.shape).toEqual([c.cout, c.cin / groups, ...fill(c.kernel, c.n, 1)]);
      const x = randomTensor([c.cin, ...c.sizes], rand);
      const geometry = {
        stride: fill(c.options.stride, c.n, 1),
        pads: c.pads,
        dilation: fill(c.options.dilation, c.n, 1),
        groups,
      };
      let want = naiveConvTranspose(
        dense(x),
        dense(layer.weight),
        geometry,
        c.outputPadding ?? fill(0, c.n, 0),
      );
      if (layer.bias !== null) want = addBias(want, dense(layer.bias));
      expectDenseClose(layer.call(x), want);
    },
  );

  test('output shapes over a grid of stride, outputPadding, padding and dilation in 1, 2 and 3 dimensions', () => {
    const paddings: ConvPadding[] = [0, 1, 'VALID', 'SAME', 'SAME_LOWER', [[1, 2]]];
    for (const [n, Cls] of [
      [1, ConvTranspose1d],
      [2, ConvTranspose2d],
      [3, ConvTranspose3d],
    ] as const) {
      for (const stride of [1, 2, 3]) {
        for (let outputPadding = 0; outputPadding < stride; outputPadding++) {
          for (const dilation of [1, 2]) {
            for (const padding of paddings) {
              const pad = Array.isArray(padding) ? new Array(n).fill(padding[0]) : padding;
              const options = {
                key: random.key(0),
                stride,
                outputPadding,
                dilation,
                padding: pad,
                groups: 2,
              };
              const layer = new Cls(2, 4, 2, options);
              expect(layer).toBeInstanceOf(ConvTranspose);
              const sizes = [3, 2, 4].slice(0, n);
              const span = dilation; // dilation * (kernel - 1) with kernel 2
              const out = sizes.map((size) => {
                if (padding === 'SAME' || padding === 'SAME_LOWER') {
                  return span + 1 + outputPadding < stride
                    ? size * stride - outputPadding
                    : size * stride;
                }
                const [lo, hi] =
                  typeof padding === 'number'
                    ? [padding, padding]
                    : padding === 'VALID'
                      ? [0, 0]
                      : [1, 2];
                return (size - 1) * stride - lo - hi + span + outputPadding + 1;
              });
              expect(layer.call(numpy.zeros([2, ...sizes])).shape).toEqual([4, ...out]);
            }
          }
        }
      }
    }
  });

  test('undoes the shape change of the Conv with the same arguments', () => {
    for (const [size, stride, padding, kernel] of [
      [9, 2, 1, 3],
      [8, 2, 1, 4],
      [7, 3, 0, 2],
    ] as const) {
      const conv = new Conv(1, 2, 4, kernel, { key: random.key(1), stride, padding });
      const y = conv.call(numpy.ones([2, size]));
      const m = y.shape[1]!;
      const outputPadding = (size + 2 * padding - kernel) % stride;
      const up = new ConvTranspose(1, 4, 2, kernel, {
        key: random.key(2),
        stride,
        padding,
        outputPadding,
      });
      expect(up.call(numpy.ones([4, m])).shape).toEqual([2, size]);
    }
  });

  test('initialisation: Equinox layout, bounds ±1/sqrt(inChannels / groups * prod(kernel)), static fields', () => {
    const layer = new ConvTranspose2d(4, 6, [3, 2], {
      key: random.key(5),
      groups: 2,
      stride: 2,
      outputPadding: [1, 0],
    });
    expect(layer.weight.shape).toEqual([6, 2, 3, 2]);
    expect(layer.bias!.shape).toEqual([6, 1, 1]);
    const limit = 1 / Math.sqrt(2 * 3 * 2);
    const values = [...layer.weight.dataSync(), ...layer.bias!.dataSync()];
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(limit / 2);
    expect(layer.outputPadding).toEqual([1, 0]);
    expect(layer.stride).toEqual([2, 2]);
    expect(layer.paddingMode).toBe('ZEROS');
    expect(
      tree.leaves(new ConvTranspose1d(1, 1, 2, { key: random.key(0), useBias: false })),
    ).toHaveLength(1);
  });

  describe('the adjoint identity <Conv(x), y> = <x, ConvTranspose(y)>', () => {
    interface AdjointCase {
      n: number;
      cin: number;
      cout: number;
      kernel: number;
      sizes: number[];
      stride: number;
      padding: ConvPadding;
      dilation?: number;
      groups?: number;
      paddingMode?: 'ZEROS' | 'CIRCULAR';
    }
    const cases: AdjointCase[] = [
      { n: 1, cin: 2, cout: 3, kernel: 3, sizes: [7], stride: 2, padding: 1 },
      {
        n: 1,
        cin: 2,
        cout: 2,
        kernel: 2,
        sizes: [8],
        stride: 3,
        padding: [[2, 0]],
        dilation: 2,
        groups: 2,
      },
      { n: 1, cin: 1, cout: 2, kernel: 3, sizes: [6], stride: 2, padding: 'SAME' },
      { n: 1, cin: 1, cout: 1, kernel: 4, sizes: [5], stride: 1, padding: 'SAME_LOWER' },
      { n: 2, cin: 4, cout: 2, kernel: 3, sizes: [5, 4], stride: 2, padding: [0, 1], groups: 2 },
      { n: 2, cin: 1, cout: 1, kernel: 2, sizes: [4, 3], stride: 1, padding: 'VALID', dilation: 2 },
      { n: 3, cin: 1, cout: 2, kernel: 2, sizes: [3, 4, 3], stride: 2, padding: 1 },
      {
        n: 1,
        cin: 1,
        cout: 2,
        kernel: 3,
        sizes: [5],
        stride: 1,
        padding: 'SAME',
        paddingMode: 'CIRCULAR',
      },
      {
        n: 1,
        cin: 2,
        cout: 1,
        kernel: 3,
        sizes: [6],
        stride: 2,
        padding: 'SAME',
        paddingMode: 'CIRCULAR',
      },
      {
        n: 2,
        cin: 1,
        cout: 1,
        kernel: 3,
        sizes: [4, 3],
        stride: 1,
        padding: 'SAME_LOWER',
        paddingMode: 'CIRCULAR',
        dilation: 2,
      },
    ];

    test.each(cases.map((c) => [`${c.n}d ${JSON.stringify(c)}`, c] as const))('%s', (_, c) => {
      const { n, kernel, stride, padding, dilation = 1, groups = 1, paddingMode = 'ZEROS' } = c;
      const common = { stride, padding, dilation, groups, paddingMode, useBias: false };
      const conv = new Conv(n, c.cin, c.cout, kernel, { key: random.key(3), ...common });
      const x = randomTensor([c.cin, ...c.sizes], rand);
      const y0 = conv.call(x);
      // The output padding that makes the transpose's output the size of x.
      const pads =
        typeof padding === 'string' ? null : fill(typeof padding === 'number' ? padding : 0, n, 0);
      const outputPadding = c.sizes.map((m, d) => {
        if (pads === null) return 0;
        const [lo, hi] = Array.isArray(padding)
          ? typeof padding[d] === 'number'
            ? [padding[d], padding[d]]
            : (padding[d] as number[])
          : [pads[d]!, pads[d]!];
        return (m + lo! + hi! - dilation * (kernel - 1) - 1) % stride;
      });
      let up = new ConvTranspose(n, c.cout, c.cin, kernel, {
        key: random.key(4),
        ...common,
        outputPadding,
      });
      up = tree.treeAt(
        (l: ConvTranspose) => l.weight,
        up,
        toTensor(adjointWeight(dense(conv.weight), groups)),
      );
      const y = randomTensor(y0.shape, rand);
      const back = up.call(y);
      expect(back.shape).toEqual(x.shape);
      const left = dot64(y0.dataSync(), y.dataSync());
      const right = dot64(x.dataSync(), back.dataSync());
      expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(left)));
    });
  });

  test('CIRCULAR: a hand-computed 1-D case', () => {
    // Kernel [1, 10, 100], stride 1, SAME: the adjoint of a circular conv with kernel [100, 10, 1].
    const up = tree.treeAt(
      (l: ConvTranspose1d) => l.weight,
      new ConvTranspose1d(1, 1, 3, {
        key: random.key(0),
        padding: 'SAME',
        paddingMode: 'circular',
        useBias: false,
      }),
      numpy.array([[[1, 10, 100]]]),
    );
    // Wrapped input [4, 1, 2, 3, 4, 1]; out[i] = p[i] + 10 p[i + 1] + 100 p[i + 2].
    expectClose(up.call(numpy.array([[1, 2, 3, 4]])), [[214, 321, 432, 143]]);
    const zeros = tree.treeAt(
      (l: ConvTranspose1d) => l.weight,
      new ConvTranspose1d(1, 1, 3, { key: random.key(0), padding: 'SAME', useBias: false }),
      up.weight,
    );
    expectClose(zeros.call(numpy.array([[1, 2, 3, 4]])), [[210, 321, 432, 43]]);
  });

  test('gradients in weight, bias and input match finite differences', () => {
    const loss = (l: ConvTranspose, x: Tensor) => l.call(x).square().sum();
    const layers: [ConvTranspose, number[]][] = [
      [
        new ConvTranspose1d(2, 2, 3, {
          key: random.key(1),
          stride: 2,
          padding: 1,
          outputPadding: 1,
        }),
        [2, 3],
      ],
      [
        new ConvTranspose2d(2, 2, 2, {
          key: random.key(2),
          groups: 2,
          dilation: [1, 2],
          padding: 'SAME',
          stride: 2,
        }),
        [2, 2, 2],
      ],
      [
        new ConvTranspose1d(1, 2, 3, {
          key: random.key(3),
          padding: 'SAME',
          stride: 2,
          paddingMode: 'CIRCULAR',
        }),
        [1, 3],
      ],
      [new ConvTranspose3d(1, 1, 2, { key: random.key(4), stride: [2, 1, 1] }), [1, 2, 2, 1]],
    ];
    for (const [layer, shape] of layers) checkLayerGrads(layer, [randomTensor(shape, rand)], loss);
  });

  test('vmap over a batch equals per-example calls; jit and filterJit equal eager', () => {
    const layer = new ConvTranspose2d(2, 3, 3, {
      key: random.key(8),
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    const xs = randomTensor([3, 2, 2, 3], rand);
    const batched = vmap(layer.call)(xs);
    expect(batched.shape).toEqual([3, 3, 4, 6]);
    for (let i = 0; i < 3; i++) {
      const one = layer.call(numpy.take(xs, i, { axis: 0 }));
      expectClose(numpy.take(batched, i, { axis: 0 }), one.tolist(), 1e-5);
    }
    expectClose(jit(vmap(layer.call))(xs), batched.tolist(), 1e-5);
    const x0 = numpy.take(xs, 0, { axis: 0 });
    const run = filterJit((l: ConvTranspose2d, x: Tensor) => l.call(x));
    expectClose(run(layer, x0), layer.call(x0).tolist(), 1e-5);
    const circular = new ConvTranspose1d(2, 2, 3, {
      key: random.key(9),
      stride: 2,
      padding: 'SAME',
      paddingMode: 'CIRCULAR',
    });
    const ys = randomTensor([2, 2, 3], rand);
    expectClose(jit(vmap(circular.call))(ys), vmap(circular.call)(ys).tolist(), 1e-5);
  });

  test('errors name the layer, the argument and what was found', () => {
    const key = random.key(0);
    const up = new ConvTranspose2d(3, 4, 3, { key });
    expect(() => up.call(numpy.ones([4, 5, 5]))).toThrow(
      new TensorError(
        'ConvTranspose2d',
        'expected `x` of shape [3, *, *] (inChannels, then 2 spatial dimensions), found float32[4, 5, 5]',
      ),
    );
    expect(() => up.call(numpy.ones([3, 5, 5, 5]))).toThrow(
      /ConvTranspose2d: expected `x`.*found float32\[3, 5, 5, 5\]/,
    );
    expect(() => up.call(numpy.ones([2, 3, 5, 5]))).toThrow(/batch with vmap/);
    expect(() => new ConvTranspose(1, 4, 3, 3, { key, groups: 2 })).toThrow(
      new TensorError(
        'ConvTranspose',
        '`groups` (2) must divide `inChannels` (4) and `outChannels` (3)',
      ),
    );
    expect(() => new ConvTranspose1d(1, 1, 3, { key, stride: 2, outputPadding: 2 })).toThrow(
      /ConvTranspose1d: `outputPadding` must be less than `stride` in every dimension, found outputPadding \[2\] and stride \[2\]/,
    );
    expect(
      () => new ConvTranspose2d(1, 1, 3, { key, stride: [2, 1], outputPadding: [1, 1] }),
    ).toThrow(/`outputPadding` must be less than `stride`/);
    expect(() => new ConvTranspose1d(1, 1, 3, { key, outputPadding: -1 })).toThrow(
      /`outputPadding` must be an integer of at least 0/,
    );
    expect(() => new ConvTranspose1d(1, 1, 3, { key, padding: 'FULL' as ConvPadding })).toThrow(
      /ConvTranspose1d: `padding` must be 'SAME'/,
    );
    for (const mode of ['REFLECT', 'replicate'] as const) {
      expect(
        () => new ConvTranspose1d(1, 1, 3, { key, padding: 'SAME', paddingMode: mode }),
      ).toThrow(
        /ConvTranspose1d: `paddingMode` '(REFLECT|REPLICATE)' is not supported by transposed convolutions/,
      );
    }
    expect(
      () => new ConvTranspose1d(1, 1, 3, { key, padding: 1, paddingMode: 'CIRCULAR' }),
    ).toThrow(
      /ConvTranspose1d: `paddingMode` 'CIRCULAR' needs `padding` 'SAME' or 'SAME_LOWER', found \[\[1,1\]\]/,
    );
    expect(
      () =>
        new ConvTranspose1d(1, 1, 3, {
          key,
          padding: 'SAME',
          stride: 2,
          outputPadding: 1,
          paddingMode: 'CIRCULAR',
        }),
    ).toThrow(/`paddingMode` 'CIRCULAR' needs `outputPadding` 0, found \[1\]/);
    expect(() => new ConvTranspose(0, 1, 1, 1, { key })).toThrow(
      /ConvTranspose: `numSpatialDims` must be 1, 2 or 3, found 0/,
    );
  });
});
