// The backward pass computes no cotangent that nobody uses: for a matmul or convolution with a constant
// operand, the constant's cotangent (a whole matmul or convolution) is skipped.
import { type Backend, cpu } from '@equinox-ts/kernels';
import { type Tensor, grad, lax, numpy, setDefaultBackend } from '../../src/index.js';

/** The CPU backend, counting calls of the kernels named in `counts`. */
function countingBackend(counts: Record<string, number>): Backend {
  return new Proxy(cpu, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property === 'string' && property in counts && typeof value === 'function') {
        return (...args: unknown[]) => {
          counts[property]!++;
          return (value as (...a: unknown[]) => unknown).apply(receiver, args);
        };
      }
      return value;
    },
  });
}

afterEach(() => setDefaultBackend(cpu));

test('matmul with a constant operand: one matmul forward, one backward', () => {
  const counts = { matmul: 0 };
  setDefaultBackend(countingBackend(counts));
  const data = numpy.ones([4, 3]);
  const g = grad((w: Tensor) => numpy.matmul(data, w).sum())(numpy.ones([3, 2]));
  expect(g.tolist()).toEqual([
    [4, 4],
    [4, 4],
    [4, 4],
  ]);
  expect(counts.matmul).toBe(2);
});

test('convolution of constant data: the filter gradient only', () => {
  const counts = { conv: 0, convBackwardInput: 0, convBackwardFilter: 0 };
  setDefaultBackend(countingBackend(counts));
  const image = numpy.ones([1, 1, 4, 4]);
  grad((f: Tensor) => lax.conv(image, f, [1, 1], 'SAME').sum())(numpy.ones([2, 1, 3, 3]));
  expect(counts).toEqual({ conv: 1, convBackwardInput: 0, convBackwardFilter: 1 });
});
