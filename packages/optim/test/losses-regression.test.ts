// squaredError, l2Loss and huberLoss against values worked out by hand from Optax's definitions,
// finite-difference gradients, large errors, shapes and argument errors.
import { type Tensor, TensorError, grad, jit, numpy } from '@equinox-ts/autodiff';
import { huberLoss, l2Loss, squaredError } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from './helpers/check-grads.js';
import { expectClose } from './helpers/close.js';

const f32 = Math.fround;

describe.each(BACKENDS)('regression losses on $name', (entry) => {
  useBackend(entry);

  test('squaredError and l2Loss: hand values, elementwise, shapes kept', () => {
    // errors [[0.5, -2, 3], [0, 1.5, -0.25]]: squares [[0.25, 4, 9], [0, 2.25, 0.0625]].
    const p = numpy.array([
      [1.5, 0, 3],
      [1, 2, 0],
    ]);
    const t = numpy.array([
      [1, 2, 0],
      [1, 0.5, 0.25],
    ]);
    const se = squaredError(p, t);
    expect(se.shape).toEqual([2, 3]);
    expect(se.tolist()).toEqual([
      [0.25, 4, 9],
      [0, 2.25, 0.0625],
    ]);
    // Half of them.
    expect(l2Loss(p, t).tolist()).toEqual([
      [0.125, 2, 4.5],
      [0, 1.125, 0.03125],
    ]);
    // Without targets the targets are zeros.
    expect(squaredError(numpy.array([-3, 0.5])).tolist()).toEqual([9, 0.25]);
    expect(l2Loss(numpy.array([-3, 0.5])).tolist()).toEqual([4.5, 0.125]);
    expect(squaredError(numpy.array(2)).shape).toEqual([]);
  });

  test('huberLoss: quadratic inside delta, linear outside, hand values', () => {
    // delta 1: |e| = 0.5 -> 0.125; |e| = 1 -> 0.5; |e| = 3 -> 0.5 + (3 - 1) = 2.5.
    const p = numpy.array([0.5, -1, 3, -3, 0]);
    expect(huberLoss(p, numpy.zeros([5])).tolist()).toEqual([0.125, 0.5, 2.5, 2.5, 0]);
    // delta 2: |e| = 1.5 -> 1.125; |e| = 5 -> 0.5 * 4 + 2 * (5 - 2) = 8.
    const q = numpy.array([[2.5, 6]]);
    const t = numpy.array([[1, 1]]);
    const h = huberLoss(q, t, { delta: 2 });
    expect(h.shape).toEqual([1, 2]);
    expect(h.tolist()).toEqual([[1.125, 8]]);
    // delta 0.5 without targets: |e| = 0.25 -> 0.03125; |e| = 4 -> 0.125 + 0.5 * 3.5 = 1.875.
    expect(huberLoss(numpy.array([0.25, -4]), undefined, { delta: 0.5 }).tolist()).toEqual([
      0.03125, 1.875,
    ]);
  });

  test('gradients: e for l2Loss, 2e for squaredError, e clipped to [-delta, delta] for huberLoss', () => {
    const e = [0.5, -2, 3, -0.25, 1.5];
    const p = numpy.array(e);
    const t = numpy.zeros([5]);
    expectClose(grad((x: Tensor) => l2Loss(x, t).sum())(p), e);
    expectClose(
      grad((x: Tensor) => squaredError(x, t).sum())(p),
      e.map((v) => 2 * v),
    );
    const clip = (v: number, d: number) => Math.min(d, Math.max(-d, v));
    expectClose(
      grad((x: Tensor) => huberLoss(x, t).sum())(p),
      e.map((v) => clip(v, 1)),
    );
    expectClose(
      grad((x: Tensor) => huberLoss(x, t, { delta: 0.4 }).sum())(p),
      e.map((v) => clip(v, 0.4)),
    );
    // With respect to the targets, the opposite sign.
    expectClose(
      grad((y: Tensor) => huberLoss(p, y).sum())(t),
      e.map((v) => -clip(v, 1)),
    );
  });

  test('gradients match finite differences', () => {
    const rand = randomSource(21);
    const p = randomTensor([2, 3], rand, 3);
    const t = randomTensor([2, 3], rand, 3);
    checkGrads((x, y) => squaredError(x, y), [p, t], { order: 2 });
    checkGrads((x, y) => l2Loss(x, y), [p, t], { order: 2 });
    checkGrads((x) => l2Loss(x), [p]);
    checkGrads((x, y) => huberLoss(x, y, { delta: 0.7 }), [p, t]);
  });

  test('large errors: huberLoss stays finite and linear, with gradients ±delta', () => {
    const big = numpy.array([1e30, -1e30, 1e4, -88]);
    const loss = huberLoss(big);
    // 0.5 + (|e| - 1): 1e30 - 0.5 rounds to float32's 1e30; 1e4 - 0.5 = 9999.5; 88 - 0.5 = 87.5.
    expect(loss.tolist()).toEqual([f32(1e30), f32(1e30), 9999.5, 87.5]);
    expect(grad((x: Tensor) => huberLoss(x).sum())(big).tolist()).toEqual([1, -1, 1, -1]);
    // Squared errors of 1e4 and 88 are representable: 1e8 and 7744.
    expect(squaredError(numpy.array([1e4, -88])).tolist()).toEqual([1e8, 7744]);
  });

  test('under jit the losses equal the eager ones', () => {
    const rand = randomSource(4);
    const p = randomTensor([3, 2], rand, 2);
    const t = randomTensor([3, 2], rand, 2);
    const all = (x: Tensor, y: Tensor) => [
      squaredError(x, y),
      l2Loss(x, y),
      huberLoss(x, y, { delta: 0.5 }),
    ];
    expect(jit(all)(p, t).map((r) => r.tolist())).toEqual(all(p, t).map((r) => r.tolist()));
  });

  test('errors: shapes must match exactly, float32 only, delta > 0', () => {
    const p = numpy.zeros([2, 3]);
    expect(() => squaredError(p, numpy.zeros([3]))).toThrow(
      /squaredError: `targets` must have the shape of `predictions` \[2, 3\], found \[3\]/,
    );
    expect(() => l2Loss(p, numpy.zeros([2, 1]))).toThrow(
      /l2Loss: `targets` must have the shape of `predictions` \[2, 3\], found \[2, 1\]/,
    );
    expect(() => huberLoss(p, numpy.zeros([3, 2]))).toThrow(
      /huberLoss: `targets` must have the shape/,
    );
    expect(() => squaredError(numpy.array([1, 2], { dtype: 'int32' }))).toThrow(
      /squaredError: `predictions` must be float32, found int32\[2\]/,
    );
    expect(() => l2Loss(p, numpy.zeros([2, 3], { dtype: 'int32' }))).toThrow(
      /l2Loss: `targets` must be float32, found int32\[2, 3\]/,
    );
    expect(() => huberLoss(p, undefined, { delta: 0 })).toThrow(
      /huberLoss: `delta` must be a finite number > 0, found 0/,
    );
    expect(() => huberLoss(p, undefined, { delta: NaN })).toThrow(TensorError);
    expect(() => squaredError(3 as unknown as Tensor)).toThrow(
      /squaredError: `predictions` must be a tensor, found number/,
    );
  });
});
