import { lax, numpy, vjp, type Tensor } from '../../src/index.js';
import { pool, poolBackward, type PoolParams } from '../../src/primitives/pool.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { tensorErrorMessage } from '../helpers/errors.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';
import { expectClose, naiveReduceWindow } from './reference.js';

type Op = 'max' | 'min' | 'sum' | 'avg';

interface Case {
  name: string;
  shape: number[];
  window: number[];
  strides: number[];
  padding: [number, number][];
}

const CASES: Case[] = [
  {
    name: '1-D over the last of [N, C, W]',
    shape: [2, 2, 7],
    window: [1, 1, 3],
    strides: [1, 1, 2],
    padding: [
      [0, 0],
      [0, 0],
      [1, 1],
    ],
  },
  {
    name: '2-D over [H, W] with overlap',
    shape: [1, 3, 4, 5],
    window: [1, 1, 2, 3],
    strides: [1, 1, 1, 2],
    padding: [
      [0, 0],
      [0, 0],
      [0, 1],
      [2, 1],
    ],
  },
  {
    name: 'channels-last [N, H, W, C]',
    shape: [2, 4, 4, 2],
    window: [1, 2, 2, 1],
    strides: [1, 2, 1, 1],
    padding: [
      [0, 0],
      [1, 0],
      [0, 0],
      [0, 0],
    ],
  },
  {
    name: '3-D with a window over a leading dimension',
    shape: [3, 2, 4, 3],
    window: [2, 1, 3, 2],
    strides: [1, 1, 1, 1],
    padding: [
      [0, 0],
      [0, 0],
      [1, 1],
      [0, 0],
    ],
  },
  { name: 'unbatched 1-D', shape: [6], window: [2], strides: [2], padding: [[0, 1]] },
];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe.each(['max', 'min', 'sum', 'avg'] as Op[])('%s', (op) => {
    test.each(CASES)('$name matches a float64 loop', ({ shape, window, strides, padding }) => {
      const x = randomTensor(shape, randomSource(shape.length + window[0]!));
      const y = lax.reduceWindow(x, op, window, strides, padding);
      expectClose(
        y,
        naiveReduceWindow(x.dataSync(), shape, op, window, strides, padding),
        entry.rtol,
      );
    });

    test.each(CASES)('$name: gradients to second order', ({ shape, window, strides, padding }) => {
      const x = randomTensor(shape, randomSource(shape.length * 3 + window[0]!));
      checkGrads((a) => lax.reduceWindow(a, op, window, strides, padding), [x], { order: 2 });
    });
  });

  test("hand-derived values: padding holds each reduction's identity", () => {
    const x = numpy.array([[-1, -2, -3]]);
    expect(lax.reduceWindow(x, 'max', [1, 2], [1, 2], 'SAME').tolist()).toEqual([[-1, -3]]);
    expect(lax.reduceWindow(x.neg(), 'min', [1, 2], [1, 2], 'SAME').tolist()).toEqual([[1, 3]]);
    expect(lax.reduceWindow(x, 'sum', [1, 2], [1, 2], 'SAME').tolist()).toEqual([[-3, -3]]);
    expect(lax.reduceWindow(x, 'avg', [1, 2], [1, 2], 'SAME').tolist()).toEqual([[-1.5, -1.5]]);
    // SAME_LOWER puts the odd padding element first.
    expect(lax.reduceWindow(x, 'sum', [1, 2], [1, 2], 'SAME_LOWER').tolist()).toEqual([[-1, -5]]);
    // A trivial window is the identity.
    expect(lax.reduceWindow(x, 'sum', [1, 1]).tolist()).toEqual([[-1, -2, -3]]);
  });

  test('sums are exact (a convolution with ones, not avg * size)', () => {
    // fround(fround(0.1 / 3) * 3) would be 0.10000000894069672.
    const x = numpy.array([0.1, 0, 0, 0.2]);
    expect(lax.reduceWindow(x, 'sum', [3]).tolist()).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  test('maxPool and avgPool pool the trailing dimensions with stride 1 by default', () => {
    const x = numpy.arange(8).reshape([2, 4]).astype('float32');
    expect(lax.maxPool(x, [2]).tolist()).toEqual([
      [1, 2, 3],
      [5, 6, 7],
    ]);
    expect(lax.avgPool(x, [2], { strides: [2] }).tolist()).toEqual([
      [0.5, 2.5],
      [4.5, 6.5],
    ]);
    expect(lax.maxPool(x, [2, 2], { strides: [2, 2], padding: 'SAME' }).tolist()).toEqual([[5, 7]]);
    expect(lax.avgPool(x, [3], { padding: 'SAME' }).tolist()).toEqual([
      [1 / 3, 1, 2, 5 / 3].map(Math.fround),
      [3, 5, 6, 13 / 3].map(Math.fround),
    ]);
  });

  test("max pooling sends each window's gradient to its first largest element", () => {
    const x = numpy.array([[[3, 3, 1, 5, 5]]]);
    const [, back] = vjp((a: Tensor) => lax.maxPool(a, [2]), x);
    const [dx] = back(numpy.array([[[1, 10, 100, 1000]]])) as Tensor[];
    // Windows (3,3) (3,1) (1,5) (5,5): first largest at 0, 1, 3, 3.
    expect(dx!.tolist()).toEqual([[[1, 10, 0, 1100, 0]]]);
  });

  describe("the VJP of max pooling's gradient in dy (second derivatives)", () => {
    const cases: [string, number[], PoolParams][] = [
      [
        'overlapping windows with ties',
        [1, 1, 6],
        { op: 'max', window: [3], strides: [1], padding: [[1, 1]] },
      ],
      [
        '2-D, windows wholly in the padding',
        [1, 2, 3, 3],
        {
          op: 'max',
          window: [2, 2],
          strides: [2, 3],
          padding: [
            [2, 1],
            [0, 3],
          ],
        },
      ],
      [
        '3-D',
        [1, 1, 3, 2, 3],
        {
          op: 'max',
          window: [2, 2, 2],
          strides: [1, 1, 1],
          padding: [
            [0, 1],
            [1, 0],
            [0, 0],
          ],
        },
      ],
    ];

    test.each(cases)(
      '%s: <poolBackward(dy, x), g> = <dy, vjp(g)>, exactly as the kernel chooses',
      (_name, shape, params) => {
        const rand = randomSource(shape.length);
        // Few distinct values: many ties, and -Infinity next to padding.
        const values = Array.from(randomTensor(shape, rand).dataSync(), (v) =>
          v < -0.6 ? -Infinity : v > 0 ? 1 : 0,
        );
        const x = numpy.array(Float32Array.from(values), { shape });
        const dy = randomTensor(pool(x, params).shape, rand);
        const g = randomTensor(shape, rand);
        const [, back] = vjp((d: Tensor) => poolBackward(d, x, params), dy);
        const [ddy] = back(g) as Tensor[];
        const forward = poolBackward(dy, x, params).mul(g).sum().item();
        expect(ddy!.mul(dy).sum().item()).toBeCloseTo(forward, 4);
        checkGrads((d) => poolBackward(d, x, params), [dy], { order: 2 });
      },
    );

    test('a NaN in a window takes the gradient, as in the kernel', () => {
      const params: PoolParams = { op: 'max', window: [2], strides: [1], padding: [[0, 0]] };
      const x = numpy.array([[[1, NaN, 5, 2]]]);
      const [, back] = vjp((d: Tensor) => poolBackward(d, x, params), numpy.zeros([1, 1, 3]));
      expect((back(numpy.array([[[10, 20, 30, 40]]])) as Tensor[])[0]!.tolist()).toEqual([
        [[20, 20, 30]],
      ]);
      expect(poolBackward(numpy.array([[[1, 2, 4]]]), x, params).tolist()).toEqual([
        [[0, 3, 4, 0]],
      ]);
    });

    test('grad of grad of a max pool through the public API', () => {
      const x = randomTensor([1, 2, 4, 4], randomSource(8));
      checkGrads((a) => lax.maxPool(a, [3, 3], { padding: 'SAME' }).square(), [x], { order: 2 });
    });
  });

  test('bad arguments throw TensorErrors naming the function, the argument and what was found', () => {
    const x = numpy.ones([2, 3, 4, 5, 6]);
    const message = tensorErrorMessage;
    expect(message(() => lax.reduceWindow(x, 'max', [2, 2, 2, 2, 1]))).toMatch(
      /^reduceWindow: at most 3 dimensions can have a window.*found 4 \(dimensions \[0,1,2,3\]/,
    );
    expect(message(() => lax.reduceWindow(x, 'prod' as 'max', [1, 1, 1, 1, 1]))).toMatch(
      /`op` must be one of 'max', 'min', 'sum', 'avg', found "prod"/,
    );
    expect(message(() => lax.reduceWindow(x, 'max', [2, 2]))).toMatch(
      /`windowDimensions` must be 5 integers of at least 1.*\[2, 2\]/,
    );
    expect(message(() => lax.reduceWindow(x, 'max', [1, 1, 1, 1, 2], [1, 1, 1, 1, 0]))).toMatch(
      /`windowStrides`/,
    );
    expect(
      message(() =>
        lax.reduceWindow(x, 'sum', [1, 1, 1, 1, 2], undefined, [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
          [-1, 0],
        ]),
      ),
    ).toMatch(/`padding` must not be negative/);
    expect(message(() => lax.maxPool(x, [2, 2, 2, 2]))).toMatch(
      /^maxPool: `windowShape` must have 1 to 3 entries/,
    );
    expect(message(() => lax.avgPool(numpy.ones([3]), [2, 2]))).toMatch(
      /^avgPool: `windowShape`.*float32\[3\]/,
    );
    expect(
      message(() =>
        pool(numpy.ones([1, 1, 2]), { op: 'max', window: [3], strides: [0], padding: [[0, 0]] }),
      ),
    ).toMatch(/^pool: `strides` must be 1 positive integers/);
    expect(
      message(() =>
        poolBackward(numpy.ones([1, 1, 2]), numpy.ones([1, 1, 4]), {
          op: 'avg',
          window: [2],
          strides: [1],
          padding: [[0, 0]],
        }),
      ),
    ).toMatch(
      /^poolBackward: `dy` must have the pooling's output shape \[1, 1, 3\], found float32\[1, 1, 2\]/,
    );
  });
});
