import { lax, numpy } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { tensorErrorMessage } from '../helpers/errors.js';
import { randomSource, randomTensor } from '../helpers/check-grads.js';
import { type NaiveConvOptions, expectClose, naiveConv } from './reference.js';

interface Case {
  name: string;
  x: number[];
  w: number[];
  options: Partial<NaiveConvOptions> & { padding?: [number, number][] };
}

const CASES: Case[] = [
  { name: '1-D plain', x: [2, 3, 7], w: [4, 3, 3], options: {} },
  {
    name: '1-D stride 2, padding, dilation 2',
    x: [1, 2, 9],
    w: [3, 2, 3],
    options: { strides: [2], padding: [[2, 1]], rhsDilation: [2] },
  },
  { name: '1-D groups 2', x: [2, 4, 6], w: [6, 2, 2], options: { groups: 2 } },
  { name: '1-D negative padding', x: [1, 1, 8], w: [1, 1, 3], options: { padding: [[-2, 1]] } },
  {
    name: '1-D lhsDilation 3 and stride 2',
    x: [1, 2, 4],
    w: [2, 2, 3],
    options: { lhsDilation: [3], strides: [2], padding: [[2, 2]] },
  },
  {
    name: '2-D strides and asymmetric padding',
    x: [2, 3, 5, 4],
    w: [2, 3, 3, 2],
    options: {
      strides: [2, 1],
      padding: [
        [1, 0],
        [0, 2],
      ],
    },
  },
  {
    name: '2-D depthwise with dilation',
    x: [1, 3, 6, 6],
    w: [3, 1, 2, 2],
    options: { groups: 3, rhsDilation: [2, 3] },
  },
  {
    name: '2-D lhsDilation (transposed)',
    x: [1, 2, 3, 3],
    w: [2, 2, 3, 3],
    options: {
      lhsDilation: [2, 2],
      padding: [
        [2, 2],
        [1, 2],
      ],
    },
  },
  {
    name: '3-D',
    x: [1, 2, 4, 3, 4],
    w: [2, 1, 2, 2, 3],
    options: {
      groups: 2,
      strides: [1, 2, 1],
      padding: [
        [1, 1],
        [0, 0],
        [1, 0],
      ],
    },
  },
];

function fill(options: Case['options'], n: number): NaiveConvOptions {
  return {
    strides: options.strides ?? new Array<number>(n).fill(1),
    padding: options.padding ?? Array.from({ length: n }, () => [0, 0] as [number, number]),
    lhsDilation: options.lhsDilation ?? new Array<number>(n).fill(1),
    rhsDilation: options.rhsDilation ?? new Array<number>(n).fill(1),
    groups: options.groups ?? 1,
  };
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  test('a hand-derived 1-D case: difference filter, stride and padding', () => {
    const x = numpy.array([[[1, 2, 4, 8]]]);
    const w = numpy.array([[[1, -1]]]);
    expect(lax.conv(x, w, [1], 'VALID').tolist()).toEqual([[[-1, -2, -4]]]);
    // SAME with an even window puts the extra padding after: [1, 2, 4, 8, 0].
    expect(lax.conv(x, w, [1], 'SAME').tolist()).toEqual([[[-1, -2, -4, 8]]]);
    // SAME_LOWER puts it before: [0, 1, 2, 4, 8].
    expect(lax.conv(x, w, [1], 'same_lower').tolist()).toEqual([[[-1, -1, -2, -4]]]);
    expect(lax.conv(x, w, [2], [[1, 1]]).tolist()).toEqual([[[-1, -2, 8]]]);
  });

  test('a hand-derived 2-D case with two output channels and groups', () => {
    // Two channels, each 2x2; groups 2 keeps them apart.
    const x = numpy.array([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [10, 20],
          [30, 40],
        ],
      ],
    ]);
    const w = numpy.array([
      [
        [
          [1, 0],
          [0, 1],
        ],
      ],
      [
        [
          [0, 1],
          [1, 0],
        ],
      ],
    ]);
    const y = lax.convGeneralDilated(x, w, [1, 1], 'VALID', { featureGroupCount: 2 });
    expect(y.tolist()).toEqual([[[[5]], [[50]]]]);
    // Without groups, one filter over both channels: [2, 2, 1, 1] of ones sums everything.
    expect(lax.conv(x, numpy.ones([1, 2, 2, 2]), [1, 1], 'VALID').tolist()).toEqual([[[[110]]]]);
  });

  test.each(CASES)('$name matches a float64 loop', ({ x: xShape, w: wShape, options }) => {
    const rand = randomSource(xShape.length * 31 + wShape[0]!);
    const x = randomTensor(xShape, rand);
    const w = randomTensor(wShape, rand);
    const full = fill(options, xShape.length - 2);
    const y = lax.convGeneralDilated(x, w, full.strides, full.padding, {
      lhsDilation: full.lhsDilation,
      rhsDilation: full.rhsDilation,
      featureGroupCount: full.groups,
    });
    expectClose(y, naiveConv(x.dataSync(), xShape, w.dataSync(), wShape, full), entry.rtol);
  });

  test("'SAME' padding gives ceil(size / stride) positions, the odd element after", () => {
    const rand = randomSource(3);
    const x = randomTensor([1, 1, 6, 5], rand);
    const w = randomTensor([1, 1, 3, 2], rand);
    const y = lax.conv(x, w, [2, 2], 'SAME');
    expect(y.shape).toEqual([1, 1, 3, 3]);
    // H: out 3, total (3-1)*2 + 3 - 6 = 1 -> [0, 1]; W: out 3, total (3-1)*2 + 2 - 5 = 1 -> [0, 1].
    const options = fill(
      {
        strides: [2, 2],
        padding: [
          [0, 1],
          [0, 1],
        ],
      },
      2,
    );
    expectClose(
      y,
      naiveConv(x.dataSync(), [1, 1, 6, 5], w.dataSync(), [1, 1, 3, 2], options),
      entry.rtol,
    );
  });

  test('other layouts through dimensionNumbers agree with channel-first', () => {
    const rand = randomSource(5);
    const x = randomTensor([2, 3, 5, 4], rand); // NCHW
    const w = randomTensor([4, 3, 3, 2], rand); // OIHW
    const expected = lax.convGeneralDilated(x, w, [2, 1], 'SAME', { rhsDilation: [1, 2] });
    const nhwc = lax.convGeneralDilated(
      x.transpose([0, 2, 3, 1]),
      w.transpose([2, 3, 1, 0]),
      [2, 1],
      'SAME',
      {
        rhsDilation: [1, 2],
        dimensionNumbers: ['NHWC', 'HWIO', 'NHWC'],
      },
    );
    expect(nhwc.transpose([0, 3, 1, 2]).tolist()).toEqual(expected.tolist());
    // Spatial order follows rhsSpec: with 'OIWH' the strides [1, 2] apply to W then H.
    const swapped = lax.convGeneralDilated(x, w.transpose([0, 1, 3, 2]), [1, 2], 'SAME', {
      rhsDilation: [2, 1],
      dimensionNumbers: ['NCHW', 'OIWH', 'NCWH'],
    });
    expect(swapped.transpose([0, 1, 3, 2]).tolist()).toEqual(expected.tolist());
  });

  test('integer operands are converted to float32', () => {
    const x = numpy.array([[[1, 2, 3]]], { dtype: 'int32' });
    const y = lax.conv(x, numpy.array([[[1, 1]]], { dtype: 'int32' }), [1], 'VALID');
    expect(y.dtype).toBe('float32');
    expect(y.tolist()).toEqual([[[3, 5]]]);
  });

  test('bad arguments throw TensorErrors naming the function, the argument and what was found', () => {
    const x = numpy.ones([1, 2, 5]);
    const w = numpy.ones([3, 2, 2]);
    const call = tensorErrorMessage;
    expect(call(() => lax.conv(numpy.ones([2, 5]), w, [1], 'VALID'))).toMatch(
      /^conv: `lhs` must have rank 3 to 5.*float32\[2, 5\]/,
    );
    expect(call(() => lax.conv(x, numpy.ones([3, 2, 2, 2]), [1], 'VALID'))).toMatch(
      /`rhs` must have the rank of `lhs` \(3\)/,
    );
    expect(call(() => lax.conv(x, numpy.ones([3, 1, 2]), [1], 'VALID'))).toMatch(
      /filter's input features must be 2.*found 1/,
    );
    expect(call(() => lax.conv(x, w, [1, 1], 'VALID'))).toMatch(
      /`windowStrides` must be 1 integers of at least 1.*\[1, 1\]/,
    );
    expect(call(() => lax.conv(x, w, [0], 'VALID'))).toMatch(
      /`windowStrides`.*found an array \[0\]/,
    );
    expect(call(() => lax.conv(x, w, [1], 'FULL'))).toMatch(
      /`padding` must be 'SAME', 'SAME_LOWER', 'VALID'.*"FULL"/,
    );
    expect(
      call(() =>
        lax.conv(
          x,
          w,
          [1],
          [
            [1, 1],
            [0, 0],
          ],
        ),
      ),
    ).toMatch(/`padding`.*1 \[low, high\] integer pairs/);
    expect(call(() => lax.conv(x, w, [1], [[-4, -3]]))).toMatch(
      /negative padding.*crops more than/,
    );
    expect(
      call(() =>
        lax.convGeneralDilated(x, numpy.ones([3, 1, 2]), [1], 'VALID', { featureGroupCount: 2 }),
      ),
    ).toMatch(
      /`featureGroupCount` \(2\) must divide the input features \(2\) and the filter's output features \(3\)/,
    );
    expect(call(() => lax.convGeneralDilated(x, w, [1], 'SAME', { lhsDilation: [2] }))).toMatch(
      /string padding \('SAME'\) is not supported with lhsDilation/,
    );
    expect(
      call(() =>
        lax.convGeneralDilated(x, w, [1], 'VALID', { dimensionNumbers: ['NCH', 'OIW', 'NCH'] }),
      ),
    ).toMatch(/`dimensionNumbers`.*spatial letters/);
    expect(
      call(() =>
        lax.convGeneralDilated(x, w, [1], 'VALID', { dimensionNumbers: ['NCH', 'OI', 'NCH'] }),
      ),
    ).toMatch(/rhsSpec 'OI' must have 3 letters/);
  });
});
