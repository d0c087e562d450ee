// The CPU backend's sum over reduced axes that interleave with kept ones (a convolution's bias gradient
// sums [N, C, H, W] over N, H and W), which reads the array in order instead of transposing it: checked
// against the float64 reference for the patterns it takes, contiguous views with an offset, axes of
// size 1 and 0, and the patterns it leaves to the transposing path.
import { cpu } from '../src/index.js';
import { reduceRef } from './reference/reduce.js';

/** Deterministic values in [-1, 1). */
function randoms(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function expectSum(shape: number[], axes: number[], seed: number): void {
  const data = randoms(size(shape), seed);
  const got = cpu.reduce('sum', cpu.upload(data, shape), axes);
  const want = reduceRef('sum', { shape, dtype: 'float32', data: Float64Array.from(data) }, axes);
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe('float32');
  const values = cpu.readSync(got);
  want.data.forEach((v, i) => expect(values[i]).toBeCloseTo(Math.fround(v), 4));
}

describe('cpu reduce sum over interleaved axes', () => {
  test.each([
    ['bias gradient [N, C, H, W] over N, H, W', [6, 5, 8, 9], [0, 2, 3]],
    ['kept, reduced, kept, reduced', [3, 4, 5, 17], [1, 3]],
    ['reduced, kept, reduced with a kept axis of size 1', [4, 3, 1, 20], [0, 3]],
    ['reduced axes of size 1 between', [3, 1, 4, 1, 18], [1, 2, 3]],
    ['a kept inner run', [5, 3, 2, 16], [0, 2]],
    ['negative axes', [4, 3, 5, 16], [-1, -2, 0]],
    ['short inner runs (transposing path)', [4, 5, 6, 3], [0, 3]],
  ])('%s', (_name, shape, axes) => expectSum(shape, axes, 9));

  test('an empty axis gives zeros of the kept shape', () => {
    const got = cpu.reduce('sum', cpu.upload(new Float32Array(0), [2, 0, 3, 16]), [0, 1, 3]);
    expect(got.shape).toEqual([3]);
    expect(Array.from(cpu.readSync(got))).toEqual([0, 0, 0]);
  });

  test('a contiguous view that starts inside its buffer', () => {
    const full = cpu.upload(randoms(3 * 4 * 2 * 32, 4), [3, 4, 2, 32]);
    const view = cpu.slice(full, [1, 0, 0, 0], [3, 4, 2, 32]); // the last two of three, in place
    const dense = cpu.upload(cpu.readSync(view), [2, 4, 2, 32]);
    expect(cpu.readSync(cpu.reduce('sum', view, [0, 2, 3]))).toEqual(
      cpu.readSync(cpu.reduce('sum', dense, [0, 2, 3])),
    );
  });
});
