import { TensorError, lax, numpy, vjp, type Tensor } from '../../src/index.js';
import {
  conv,
  convBackwardFilter,
  convBackwardInput,
  type ConvParams,
} from '../../src/primitives/conv.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

interface GradCase {
  name: string;
  x: number[];
  w: number[];
  strides: number[];
  padding: lax.Padding;
  options?: lax.ConvGeneralDilatedOptions;
}

const CASES: GradCase[] = [
  { name: '1-D VALID', x: [2, 2, 5], w: [3, 2, 2], strides: [1], padding: 'VALID' },
  {
    name: '1-D SAME, stride 2, dilation 2',
    x: [1, 2, 7],
    w: [2, 2, 3],
    strides: [2],
    padding: 'SAME',
    options: { rhsDilation: [2] },
  },
  {
    name: '1-D groups',
    x: [1, 4, 5],
    w: [4, 2, 2],
    strides: [1],
    padding: [[1, 0]],
    options: { featureGroupCount: 2 },
  },
  {
    name: '1-D lhsDilation with negative padding',
    x: [1, 1, 4],
    w: [2, 1, 3],
    strides: [1],
    padding: [[1, -1]],
    options: { lhsDilation: [2] },
  },
  { name: '2-D SAME, strides', x: [1, 2, 5, 4], w: [2, 2, 3, 2], strides: [2, 1], padding: 'SAME' },
  {
    name: '2-D depthwise, dilation',
    x: [1, 2, 5, 5],
    w: [4, 1, 2, 2],
    strides: [1, 2],
    padding: 'VALID',
    options: { featureGroupCount: 2, rhsDilation: [2, 1] },
  },
  {
    name: '2-D transposed (lhsDilation)',
    x: [1, 2, 3, 2],
    w: [1, 2, 2, 2],
    strides: [1, 1],
    padding: [
      [1, 1],
      [1, 0],
    ],
    options: { lhsDilation: [2, 2] },
  },
  { name: '3-D', x: [1, 2, 3, 3, 3], w: [2, 2, 2, 1, 2], strides: [1, 2, 1], padding: 'SAME' },
];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  test.each(CASES)(
    '$name: gradients in lhs and rhs, to second order',
    ({ x, w, strides, padding, options }) => {
      const rand = randomSource(x.length * 7 + w[0]!);
      const f = (a: Tensor, b: Tensor) => lax.convGeneralDilated(a, b, strides, padding, options);
      checkGrads(f, [randomTensor(x, rand), randomTensor(w, rand)], { order: 2 });
    },
  );

  test('the gradient of a sum of conv outputs is a hand-derived count of windows', () => {
    // d/dx sum(conv(x, ones)) counts, for each input element, the windows covering it.
    const x = randomTensor([1, 1, 5], randomSource(1));
    const w = randomTensor([1, 1, 2], randomSource(2)).mul(0).add(1);
    const [, back] = vjp((a: Tensor) => lax.conv(a, w, [1], 'VALID'), x);
    const [dx] = back(lax.conv(x, w, [1], 'VALID').mul(0).add(1)) as Tensor[];
    expect(dx!.tolist()).toEqual([[[1, 2, 2, 2, 1]]]);
  });

  // The transposes are bilinear too: their VJPs in every argument are checked directly, to second order.
  const params: ConvParams = {
    strides: [2, 1],
    padding: [
      [1, 0],
      [0, 1],
    ],
    dilation: [1, 2],
    groups: 2,
  };
  const xShape = [2, 4, 5, 4];
  const wShape = [2, 2, 2, 2];
  const yShape = [2, 2, 3, 3];

  test('conv has the expected output shape for the direct checks below', () => {
    const rand = randomSource(9);
    expect(conv(randomTensor(xShape, rand), randomTensor(wShape, rand), params).shape).toEqual(
      yShape,
    );
  });

  test('convBackwardInput: VJPs in dy and w, to second order', () => {
    const rand = randomSource(10);
    checkGrads(
      (dy, w) => convBackwardInput(dy, w, xShape, params),
      [randomTensor(yShape, rand), randomTensor(wShape, rand)],
      { order: 2 },
    );
  });

  test('convBackwardFilter: VJPs in x and dy, to second order', () => {
    const rand = randomSource(11);
    checkGrads(
      (x, dy) => convBackwardFilter(x, dy, wShape, params),
      [randomTensor(xShape, rand), randomTensor(yShape, rand)],
      { order: 2 },
    );
  });

  test("the three primitives are each other's adjoints: <conv(x, w), dy> = <x, dx> = <w, dw>", () => {
    const rand = randomSource(12);
    const [x, w, dy] = [
      randomTensor(xShape, rand),
      randomTensor(wShape, rand),
      randomTensor(yShape, rand),
    ];
    const dot = (a: Tensor, b: Tensor) => a.mul(b).sum().item();
    const viaConv = dot(conv(x, w, params), dy);
    expect(dot(x, convBackwardInput(dy, w, xShape, params))).toBeCloseTo(viaConv, 4);
    expect(dot(w, convBackwardFilter(x, dy, wShape, params))).toBeCloseTo(viaConv, 4);
  });

  test("the primitives' shape rules refuse bad shapes with TensorErrors naming the primitive", () => {
    const x = randomTensor(xShape, randomSource(13));
    const w = randomTensor(wShape, randomSource(14));
    const dy = randomTensor(yShape, randomSource(15));
    expect(() => conv(x, randomTensor([2, 3, 2, 2], randomSource(16)), params)).toThrow(
      TensorError,
    );
    expect(() => conv(x, randomTensor([2, 3, 2, 2], randomSource(16)), params)).toThrow(
      /^conv: filter's input channels must be C_in \/ groups = 2, found 3/,
    );
    expect(() => conv(x.astype('int32'), w, params)).toThrow(
      /^conv: `x` must be float32, found int32\[2, 4, 5, 4\]/,
    );
    expect(() => convBackwardInput(numpy.zeros([2, 2, 3, 2]), w, xShape, params)).toThrow(
      /^convBackwardInput: `dy` must have the convolution's output shape \[2, 2, 3, 3\], found float32\[2, 2, 3, 2\]/,
    );
    expect(() => convBackwardFilter(x, dy, [2, 2, 2], params)).toThrow(
      /^convBackwardFilter: filter must be .* with rank 4/,
    );
    expect(() => conv(x, w, { ...params, strides: [0, 1] })).toThrow(
      /^conv: `strides` must be 2 positive integers/,
    );
  });
});
