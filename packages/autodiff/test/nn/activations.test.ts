import { grad, nn, numpy, type Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

/** erf in float64: its Taylor series near 0, a continued fraction for erfc further out. */
function erf(x: number): number {
  const z = Math.abs(x);
  if (z > 2.5) {
    let fraction = z;
    for (let k = 60; k >= 1; k--) fraction = z + k / 2 / fraction;
    return Math.sign(x) * (1 - Math.exp(-z * z) / (Math.sqrt(Math.PI) * fraction));
  }
  let term = x;
  let total = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    total += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * total;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.log(1 + Math.exp(x));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const elu = (x: number, alpha = 1) => (x > 0 ? x : alpha * (Math.exp(x) - 1));

/** Each activation with its float64 definition, written out from the formulas. */
const REFERENCES: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
  ['relu', nn.relu, (x) => Math.max(x, 0)],
  ['relu6', nn.relu6, (x) => Math.min(Math.max(x, 0), 6)],
  ['sigmoid', nn.sigmoid, sigmoid],
  ['logSigmoid', nn.logSigmoid, (x) => Math.log(sigmoid(x))],
  ['softplus', nn.softplus, softplus],
  ['softSign', nn.softSign, (x) => x / (Math.abs(x) + 1)],
  ['silu', nn.silu, (x) => x * sigmoid(x)],
  ['swish', nn.swish, (x) => x * sigmoid(x)],
  [
    'gelu (tanh)',
    nn.gelu,
    (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  ],
  [
    'gelu (erf)',
    (x) => nn.gelu(x, { approximate: false }),
    (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  ],
  ['elu', nn.elu, (x) => elu(x)],
  ['elu alpha 0.5', (x) => nn.elu(x, { alpha: 0.5 }), (x) => elu(x, 0.5)],
  [
    'celu alpha 2',
    (x) => nn.celu(x, { alpha: 2 }),
    (x) => Math.max(x, 0) + 2 * (Math.exp(Math.min(x, 0) / 2) - 1),
  ],
  ['selu', nn.selu, (x) => SELU_SCALE * elu(x, SELU_ALPHA)],
  ['leakyRelu', nn.leakyRelu, (x) => (x >= 0 ? x : 0.01 * x)],
  [
    'leakyRelu slope 0.2',
    (x) => nn.leakyRelu(x, { negativeSlope: 0.2 }),
    (x) => (x >= 0 ? x : 0.2 * x),
  ],
  ['hardTanh', nn.hardTanh, (x) => Math.min(Math.max(x, -1), 1)],
  ['hardSigmoid', nn.hardSigmoid, (x) => Math.min(Math.max(x + 3, 0), 6) / 6],
  ['hardSilu', nn.hardSilu, (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6],
  ['hardSwish', nn.hardSwish, (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6],
  ['tanh', nn.tanh, Math.tanh],
];

const POINTS = [-7, -3.5, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3.5, 7];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  test.each(REFERENCES)('%s matches its float64 definition', (_name, f, reference) => {
    const got = f(numpy.array(POINTS)).dataSync();
    POINTS.forEach((x, i) => {
      const want = reference(Math.fround(x));
      if (!(Math.abs(got[i]! - want) <= 1e-6 + 4 * entry.rtol * Math.abs(want)))
        throw new Error(`at ${x}: ${got[i]} != ${want}`);
    });
  });

  test('hand-derived float32 values', () => {
    expect(nn.gelu(numpy.array([1])).item()).toBe(0.8411920070648193);
    expect(nn.gelu(numpy.array([0, Infinity])).tolist()).toEqual([0, Infinity]);
    // -Infinity * 0 in both forms, as in JAX.
    expect(nn.gelu(numpy.array([-Infinity])).item()).toBeNaN();
    expect(nn.relu(numpy.array([-2, 0, 5])).tolist()).toEqual([0, 0, 5]);
    expect(nn.relu6(numpy.array([-2, 0, 5, 6, 9])).tolist()).toEqual([0, 0, 5, 6, 6]);
    expect(nn.sigmoid(numpy.array([0])).item()).toBe(0.5);
    expect(nn.softplus(numpy.array([0])).item()).toBe(Math.fround(Math.LN2));
    expect(nn.softSign(numpy.array([-1, 3])).tolist()).toEqual([-0.5, 0.75]);
    expect(nn.hardSigmoid(numpy.array([-3, 0, 3])).tolist()).toEqual([0, 0.5, 1]);
    expect(nn.hardTanh(numpy.array([-2, -1, 0.25, 1, 2])).tolist()).toEqual([-1, -1, 0.25, 1, 1]);
    expect(nn.leakyRelu(numpy.array([-100, 4])).tolist()).toEqual([-1, 4]);
    expect(nn.elu(numpy.array([-Infinity, 3]), { alpha: 3 }).tolist()).toEqual([-3, 3]);
    expect(nn.selu(numpy.array([-Infinity])).item()).toBe(
      Math.fround(Math.fround(-SELU_ALPHA) * Math.fround(SELU_SCALE)),
    );
  });

  test('integer inputs: rectifiers keep int32, smooth functions give float32', () => {
    const ints = numpy.array([-2, 0, 3], { dtype: 'int32' });
    expect(nn.relu(ints).dtype).toBe('int32');
    expect(nn.relu(ints).tolist()).toEqual([0, 0, 3]);
    expect(nn.sigmoid(ints).dtype).toBe('float32');
    expect(nn.hardSigmoid(ints).tolist()).toEqual([1 / 6, 0.5, 1].map(Math.fround));
  });

  test('NaN passes through the piecewise functions', () => {
    for (const f of [
      nn.relu,
      nn.relu6,
      nn.hardTanh,
      nn.leakyRelu,
      nn.elu,
      nn.celu,
      nn.softplus,
      nn.gelu,
    ]) {
      expect(Number.isNaN(f(numpy.array([NaN])).item())).toBe(true);
    }
  });

  test('large inputs stay finite, values and gradients', () => {
    const big = numpy.array([-1000, 1000]);
    expect(nn.softplus(big).tolist()).toEqual([0, 1000]);
    expect(nn.logSigmoid(big).tolist()).toEqual([-1000, -0]);
    expect(nn.sigmoid(big).tolist()).toEqual([0, 1]);
    expect(nn.silu(big).tolist()).toEqual([-0, 1000]);
    expect(nn.elu(big).tolist()).toEqual([-1, 1000]);
    expect(nn.gelu(big, { approximate: false }).tolist()).toEqual([-0, 1000]);
    for (const f of [
      nn.softplus,
      nn.logSigmoid,
      nn.sigmoid,
      nn.silu,
      nn.elu,
      nn.celu,
      nn.selu,
      nn.softSign,
    ]) {
      const g = grad((x: Tensor) => f(x).sum())(big).dataSync();
      expect(Array.from(g).every(Number.isFinite)).toBe(true);
    }
    expect(grad((x: Tensor) => nn.softplus(x).sum())(big).tolist()).toEqual([0, 1]);
    expect(grad((x: Tensor) => nn.logSigmoid(x).sum())(big).tolist()).toEqual([1, 0]);
  });

  test("derivatives at the kinks follow JAX's conventions", () => {
    const d = (f: (x: Tensor) => Tensor, at: number[]) =>
      grad((x: Tensor) => f(x).sum())(numpy.array(at)).tolist();
    expect(d(nn.relu, [0])).toEqual([0]);
    expect(d(nn.relu6, [0, 6])).toEqual([0, 0]);
    expect(d(nn.hardTanh, [-1, 1])).toEqual([1, 1]);
    expect(d(nn.leakyRelu, [0])).toEqual([1]);
    expect(d((x) => nn.elu(x, { alpha: 2 }), [0])).toEqual([2]);
    expect(d((x) => nn.celu(x, { alpha: 2 }), [0])).toEqual([1]);
    expect(d(nn.hardSigmoid, [-3, 3])).toEqual([0, 0]);
    expect(d(nn.softplus, [0])).toEqual([0.5]);
    expect(d(nn.sigmoid, [0])).toEqual([0.25]);
    expect(d(nn.silu, [0])).toEqual([0.5]);
    expect(d(nn.gelu, [0])).toEqual([0.5]);
    expect(d((x) => nn.gelu(x, { approximate: false }), [0])).toEqual([0.5]);
    expect(d(nn.softSign, [0])).toEqual([1]);
  });

  // Inputs away from the kinks, so finite differences see a smooth function.
  const smoothAway = (shape: number[], seed: number): Tensor => {
    const x = randomTensor(shape, randomSource(seed), 3);
    return numpy.where(numpy.abs(x).lt(0.1), x.add(0.3), x);
  };

  test.each(REFERENCES)('%s: gradients by finite differences, to second order', (name, f) => {
    let x = smoothAway([3, 4], name.length);
    // relu6 and hardSigmoid have kinks at 6 and ±3 too: keep the inputs clear of them.
    if (name.startsWith('hard') || name === 'relu6')
      x = numpy.where(numpy.abs(numpy.abs(x).sub(3)).lt(0.1), x.mul(0.5), x);
    checkGrads(f, [x], { order: 2 });
  });
});
