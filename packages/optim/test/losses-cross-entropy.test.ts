// softmaxCrossEntropy, softmaxCrossEntropyWithIntegerLabels and sigmoidBinaryCrossEntropy against
// float64 references written from the definitions, finite-difference gradients, large logits of both
// signs, shapes and argument errors.
import { type Tensor, TensorError, grad, jit, nn, numpy } from '@equinox-ts/autodiff';
import {
  sigmoidBinaryCrossEntropy,
  softmaxCrossEntropy,
  softmaxCrossEntropyWithIntegerLabels,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from './helpers/check-grads.js';
import { expectClose } from './helpers/close.js';

const f32 = Math.fround;
const int32 = (v: number[] | number[][]) => numpy.array(v, { dtype: 'int32' });

// float64 references, from the definitions: log-softmax with the maximum subtracted first.
function refLogSoftmax(row: number[]): number[] {
  const x = row.map(f32);
  const m = Math.max(...x);
  // Subtract the maximum before the normaliser: (v - m) - log(sum), so 1e30 + log 2 never rounds.
  const logSum = Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
  return x.map((v) => v - m - logSum);
}
const refCrossEntropy = (row: number[], labels: number[]) =>
  -refLogSoftmax(row).reduce((s, l, j) => s + (labels[j] === 0 ? 0 : labels[j]! * l), 0);
const refSoftmax = (row: number[]) => refLogSoftmax(row).map(Math.exp);
// Binary cross-entropy by the rearranged form max(x, 0) - x y + log1p(exp(-|x|)), a different route
// from the code's logSigmoid form.
const refBinary = (x: number, y: number) =>
  Math.max(f32(x), 0) - f32(x) * y + Math.log1p(Math.exp(-Math.abs(f32(x))));
const refSigmoid = (x: number) => 1 / (1 + Math.exp(-f32(x)));

describe.each(BACKENDS)('cross-entropy losses on $name', (entry) => {
  useBackend(entry);

  test('softmaxCrossEntropy: hand values, one loss per example', () => {
    // Row [1, 2, 3] against one-hot 2: log(e + e² + e³) - 3 = log(1 + e⁻¹ + e⁻²) = 0.40760596444438.
    // Row [0, 0, 0] against [0.25, 0.75, 0]: -(0.25 + 0.75) log(1/3) = log 3.
    expect(refCrossEntropy([1, 2, 3], [0, 0, 1])).toBeCloseTo(0.40760596444438, 12);
    const loss = softmaxCrossEntropy(
      numpy.array([
        [1, 2, 3],
        [0, 0, 0],
      ]),
      numpy.array([
        [0, 0, 1],
        [0.25, 0.75, 0],
      ]),
    );
    expect(loss.shape).toEqual([2]);
    expectClose(loss, [0.40760596444438, Math.log(3)]);
    // Optax's docstring example, worked out with the reference.
    const logits = [
      [1.2, -0.8, -0.5],
      [0.9, -1.2, 1.1],
    ];
    const labels = [
      [1, 0, 0],
      [0, 1, 0],
    ];
    expectClose(
      softmaxCrossEntropy(numpy.array(logits), numpy.array(labels)),
      logits.map((row, i) => refCrossEntropy(row, labels[i]!)),
    );
    expect(refCrossEntropy(logits[0]!, labels[0]!)).toBeCloseTo(0.2761, 4);
  });

  test('softmaxCrossEntropy: shapes, broadcasting labels, axes', () => {
    const rand = randomSource(1);
    const logits = randomTensor([2, 3, 4], rand, 3);
    const labels = nn.softmax(randomTensor([2, 3, 4], rand));
    const rows = logits.tolist() as number[][][];
    const dists = labels.tolist() as number[][][];
    const full = softmaxCrossEntropy(logits, labels);
    expect(full.shape).toEqual([2, 3]);
    expectClose(
      full,
      rows.flatMap((r, i) => r.map((row, j) => refCrossEntropy(row, dists[i]![j]!))),
      1e-5,
    );
    // Labels [4] broadcast over the batch.
    const shared = numpy.array([0.5, 0.5, 0, 0]);
    expectClose(
      softmaxCrossEntropy(logits, shared),
      rows.flatMap((r) => r.map((row) => refCrossEntropy(row, [0.5, 0.5, 0, 0]))),
      1e-5,
    );
    // axis 0: the classes run down the first axis, the result is [3, 4].
    const byFirst = softmaxCrossEntropy(logits, labels, { axis: 0 });
    expect(byFirst.shape).toEqual([3, 4]);
    const column = (t: number[][][], j: number, k: number) => [t[0]![j]![k]!, t[1]![j]![k]!];
    const expected: number[] = [];
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 4; k++)
        expected.push(refCrossEntropy(column(rows, j, k), column(dists, j, k)));
    expectClose(byFirst, expected, 1e-5);
    // Two axes together: 12 classes per example.
    const both = softmaxCrossEntropy(logits, labels, { axis: [1, 2] });
    expect(both.shape).toEqual([2]);
    expectClose(
      both,
      rows.map((r, i) => refCrossEntropy(r.flat(), dists[i]!.flat())),
      1e-5,
    );
  });

  test('softmaxCrossEntropy: large logits and -Infinity give finite values and gradients', () => {
    const rows = [
      [1e4, -1e4, 0],
      [88, -88, 0],
      [1e30, -1e30, 0],
      [-1e30, 1e30, 0],
      [0, -Infinity, 1],
    ];
    const onehots = [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
      [1, 0, 0],
      [0.5, 0, 0.5],
    ];
    const logits = numpy.array(rows);
    const labels = numpy.array(onehots);
    const loss = softmaxCrossEntropy(logits, labels);
    // 2e4; 88 + log(1 + e⁻⁸⁸ + e⁻¹⁷⁶) = 88; 0; 2e30 (float32's 1e30 doubled); last row finite.
    expectClose(
      loss,
      rows.map((r, i) => refCrossEntropy(r, onehots[i]!)),
    );
    expect(loss.tolist()).toEqual([20000, 88, 0, f32(1e30) * 2, expect.any(Number)]);
    // d/dlogits sum(loss) = softmax(logits) - labels, row by row.
    const g = grad((x: Tensor) => softmaxCrossEntropy(x, labels).sum())(logits);
    const expected = rows.flatMap((r, i) => refSoftmax(r).map((p, j) => p - onehots[i]![j]!));
    expect(Array.from(g.dataSync() as Float32Array).every(Number.isFinite)).toBe(true);
    expectClose(g, expected);
  });

  test('softmaxCrossEntropy: gradients match finite differences (logits and labels)', () => {
    const rand = randomSource(7);
    const logits = randomTensor([3, 4], rand, 2);
    const labels = nn.softmax(randomTensor([3, 4], rand));
    checkGrads((x, y) => softmaxCrossEntropy(x, y), [logits, labels], { order: 2 });
    checkGrads((x, y) => softmaxCrossEntropy(x, y, { axis: 0 }), [logits, labels]);
  });

  test('softmaxCrossEntropyWithIntegerLabels: hand values and the agreement with one-hot labels', () => {
    // [1, 2, 3] with label 2: 0.40760596444438 (as above); with label 0: 2.40760596444438.
    const logits = numpy.array([
      [1, 2, 3],
      [1, 2, 3],
      [0, 0, 0],
    ]);
    const loss = softmaxCrossEntropyWithIntegerLabels(logits, int32([2, 0, 1]));
    expectClose(loss, [0.40760596444438, 2.40760596444438, Math.log(3)]);
    const rand = randomSource(3);
    const x = randomTensor([5, 6], rand, 4);
    const y = int32([0, 5, 2, 3, 1]);
    expectClose(
      softmaxCrossEntropyWithIntegerLabels(x, y),
      Array.from(softmaxCrossEntropy(x, nn.oneHot(y, 6)).dataSync() as Float32Array),
      1e-5,
    );
  });

  test('softmaxCrossEntropyWithIntegerLabels: axes, as Optax (classes flattened in the given order)', () => {
    // Optax's docstring case: logits arange(24) in [1, 2, 3, 4], classes the 3x4 slices, labels the
    // flat indices 5 and 11. Row 0 holds 0..11: log(sum e^k) - 5 = 11 + log((1 - e⁻¹²)/(1 - e⁻¹)) - 5.
    const tail = Math.log((1 - Math.exp(-12)) / (1 - Math.exp(-1)));
    const logits = numpy.arange(24).astype('float32').reshape([1, 2, 3, 4]);
    const loss = softmaxCrossEntropyWithIntegerLabels(logits, int32([5, 11]).reshape([1, 2]), {
      axis: [2, 3],
    });
    expect(loss.shape).toEqual([1, 2]);
    expectClose(loss, [6 + tail, tail]);
    expect(6 + tail).toBeCloseTo(6.4587, 4);
    // Axes in the other order, [3, 2]: the flat index runs over (column, row), so 5 is column 1, row 2.
    const swapped = softmaxCrossEntropyWithIntegerLabels(logits, int32([[5, 11]]), {
      axis: [3, 2],
    });
    // Row 0 entry at row 2, column 1 is 2 * 4 + 1 = 9; index 11 is column 3, row 2: 12 + 11 = 23.
    expectClose(swapped, [11 + tail - 9, tail]);
    // A leading class axis.
    const columns = numpy.array([
      [1, 0],
      [2, 0],
      [3, 0],
    ]); // [3 classes, 2 examples]
    expectClose(softmaxCrossEntropyWithIntegerLabels(columns, int32([2, 1]), { axis: 0 }), [
      0.40760596444438,
      Math.log(3),
    ]);
  });

  test('softmaxCrossEntropyWithIntegerLabels: negative labels count from the end; out of range is NaN', () => {
    const logits = numpy.array([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    const labels = int32([-1, -3, 3, -4]);
    const loss = softmaxCrossEntropyWithIntegerLabels(logits, labels);
    expectClose(loss, [0.40760596444438, 2.40760596444438, NaN, NaN]);
    // The out-of-range rows keep finite gradients: only the normaliser's softmax remains there.
    const g = grad((x: Tensor) => softmaxCrossEntropyWithIntegerLabels(x, labels).sum())(logits);
    const p = refSoftmax([1, 2, 3]);
    expectClose(g, [p[0]!, p[1]!, p[2]! - 1, p[0]! - 1, p[1]!, p[2]!, ...p, ...p]);
  });

  test('softmaxCrossEntropyWithIntegerLabels: large logits, finite values and gradients', () => {
    const rows = [
      [1e4, -1e4, 0],
      [-88, 88, 0],
      [1e30, -1e30, 0],
      [1e30, 1e30, -1e30],
    ];
    const labels = [1, 0, 0, 2];
    const logits = numpy.array(rows);
    const loss = softmaxCrossEntropyWithIntegerLabels(logits, int32(labels));
    const onehot = (c: number) => [0, 1, 2].map((j) => (j === c ? 1 : 0));
    expectClose(
      loss,
      rows.map((r, i) => refCrossEntropy(r, onehot(labels[i]!))),
    );
    expect(loss.tolist()).toEqual([20000, 176, 0, f32(1e30) * 2]);
    const g = grad((x: Tensor) => softmaxCrossEntropyWithIntegerLabels(x, int32(labels)).sum())(
      logits,
    );
    expectClose(
      g,
      rows.flatMap((r, i) => refSoftmax(r).map((p, j) => p - onehot(labels[i]!)[j]!)),
    );
  });

  test('softmaxCrossEntropyWithIntegerLabels: gradients match finite differences', () => {
    const rand = randomSource(11);
    const labels = int32([2, 0, 3]);
    checkGrads(
      (x) => softmaxCrossEntropyWithIntegerLabels(x, labels),
      [randomTensor([3, 4], rand, 2)],
      {
        order: 2,
      },
    );
    checkGrads(
      (x) => softmaxCrossEntropyWithIntegerLabels(x, int32([1, 4]), { axis: [0, 2] }),
      [randomTensor([3, 2, 2], rand, 2)],
    );
  });

  test('sigmoidBinaryCrossEntropy: hand values, elementwise, labels of any dtype', () => {
    // x = 0: log 2 for either label. x = 2, y = 1: log(1 + e⁻²) = 0.12692801104297263.
    // x = -1, y = 0.25: 0.25 log(1 + e) + 0.75 log(1 + e⁻¹) = 0.5634...
    const xs = [0, 2, -1, 3];
    const ys = [1, 1, 0.25, 0];
    expect(refBinary(2, 1)).toBeCloseTo(0.12692801104297263, 12);
    const loss = sigmoidBinaryCrossEntropy(numpy.array(xs), numpy.array(ys));
    expect(loss.shape).toEqual([4]);
    expectClose(
      loss,
      xs.map((x, i) => refBinary(x, ys[i]!)),
    );
    expect(0.25 * Math.log1p(Math.E) + 0.75 * Math.log1p(Math.exp(-1))).toBeCloseTo(
      refBinary(-1, 0.25),
      12,
    );
    const ints = sigmoidBinaryCrossEntropy(numpy.array([2, 3]), int32([1, 0]));
    const bools = sigmoidBinaryCrossEntropy(numpy.array([2, 3]), numpy.array([true, false]));
    expectClose(ints, [refBinary(2, 1), refBinary(3, 0)]);
    expect(bools.tolist()).toEqual(ints.tolist());
    // Labels [3] broadcast over a [2, 3] batch; the shape stays that of the logits.
    const batch = sigmoidBinaryCrossEntropy(numpy.zeros([2, 3]), numpy.array([0, 1, 0.5]));
    expect(batch.shape).toEqual([2, 3]);
  });

  test('sigmoidBinaryCrossEntropy: large logits give finite values and gradients sigmoid(x) - y', () => {
    const xs = [1e4, -1e4, 88, -88, 1e30, -1e30, 1e30, -1e30];
    const ys = [1, 1, 0, 0, 1, 0, 0, 0.5];
    const logits = numpy.array(xs);
    const labels = numpy.array(ys);
    const loss = sigmoidBinaryCrossEntropy(logits, labels);
    expectClose(
      loss,
      xs.map((x, i) => refBinary(x, ys[i]!)),
    );
    // x = -88, y = 0: log1p(e⁻⁸⁸), about 6e-39 (checked above); the others exactly.
    expect(loss.tolist()).toEqual([
      0,
      10000,
      88,
      expect.any(Number),
      0,
      0,
      f32(1e30),
      f32(1e30) / 2,
    ]);
    const g = grad((x: Tensor) => sigmoidBinaryCrossEntropy(x, labels).sum())(logits);
    expectClose(
      g,
      xs.map((x, i) => refSigmoid(x) - ys[i]!),
    );
  });

  test('sigmoidBinaryCrossEntropy: gradients match finite differences', () => {
    const rand = randomSource(5);
    const labels = numpy.array([
      [0, 1, 0.3],
      [1, 0, 0.8],
    ]);
    checkGrads((x, y) => sigmoidBinaryCrossEntropy(x, y), [randomTensor([2, 3], rand, 3), labels], {
      order: 2,
    });
  });

  test('under jit the losses equal the eager ones', () => {
    const rand = randomSource(9);
    const logits = randomTensor([4, 3], rand, 3);
    const labels = int32([0, 2, 1, 2]);
    const onehot = nn.oneHot(labels, 3);
    const all = (x: Tensor, y: Tensor, z: Tensor) => [
      softmaxCrossEntropy(x, z),
      softmaxCrossEntropyWithIntegerLabels(x, y),
      sigmoidBinaryCrossEntropy(x, z),
    ];
    const eager = all(logits, labels, onehot).map((t) => t.tolist());
    expect(jit(all)(logits, labels, onehot).map((t) => t.tolist())).toEqual(eager);
  });

  test('errors name the loss, the argument, and expected versus found', () => {
    const x = numpy.zeros([2, 3]);
    expect(() => softmaxCrossEntropy(x, int32([0, 1]))).toThrow(
      /softmaxCrossEntropy: `labels` must be float32, found int32\[2\]; for class indices use softmaxCrossEntropyWithIntegerLabels/,
    );
    expect(() => softmaxCrossEntropy(x, numpy.zeros([3, 3]))).toThrow(
      /softmaxCrossEntropy: `labels` \[3, 3\] must broadcast to the shape of `logits` \[2, 3\]/,
    );
    expect(() => softmaxCrossEntropy(x, numpy.zeros([1, 2, 3]))).toThrow(TensorError);
    expect(() => softmaxCrossEntropy(int32([1, 2]), numpy.zeros([2]))).toThrow(
      /softmaxCrossEntropy: `logits` must be float32, found int32\[2\]/,
    );
    expect(() => softmaxCrossEntropy(x, x, { axis: 2 })).toThrow(
      /softmaxCrossEntropy: `axis` 2 is out of range for an array of 2 dimensions/,
    );
    expect(() => softmaxCrossEntropy([[0, 0]] as unknown as Tensor, x)).toThrow(
      /softmaxCrossEntropy: `logits` must be a tensor, found an array/,
    );
    expect(() => softmaxCrossEntropyWithIntegerLabels(x, numpy.array([0, 1]))).toThrow(
      /softmaxCrossEntropyWithIntegerLabels: `labels` must be int32, found float32\[2\]; for probability distributions use softmaxCrossEntropy/,
    );
    expect(() => softmaxCrossEntropyWithIntegerLabels(x, int32([0, 1, 2]))).toThrow(
      /softmaxCrossEntropyWithIntegerLabels: `labels` must have the shape of `logits` \[2, 3\] without the class axis, \[2\], found \[3\]/,
    );
    expect(() => softmaxCrossEntropyWithIntegerLabels(x, int32([0, 1]), { axis: [1, 1] })).toThrow(
      /`axis` must name one or more distinct axes, found \[1, 1\]/,
    );
    expect(() => sigmoidBinaryCrossEntropy(x, numpy.zeros([2]))).toThrow(
      /sigmoidBinaryCrossEntropy: `labels` \[2\] must broadcast to the shape of `logits` \[2, 3\]/,
    );
    expect(() => sigmoidBinaryCrossEntropy(int32([1]), int32([1]))).toThrow(
      /sigmoidBinaryCrossEntropy: `logits` must be float32/,
    );
  });
});
