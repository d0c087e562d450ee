import type { Tensor } from '../../src/index.js';
import { customVjp, grad, lax, numpy, valueAndGrad, vjp } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource, randomTensor } from '../helpers/check-grads.js';

describe.each(BACKENDS)('customVjp and stopGradient on $name', (entry) => {
  useBackend(entry);

  test('the custom rule replaces the derivative of the operations (clipped gradient)', () => {
    // The identity with its gradient clipped to [-1, 1]: the forward value is x, the gradient is not 1 * g.
    const clipGradient = customVjp((x: Tensor) => x);
    clipGradient.defvjp(
      (x: Tensor) => [x, null],
      (_res: null, g: Tensor) => [numpy.clip(g, -1, 1)],
    );
    const f = (x: Tensor) =>
      clipGradient(x)
        .mul(numpy.array([0.5, 3, -4]))
        .sum();
    expect(grad(f)(numpy.array([1, 1, 1])).tolist()).toEqual([0.5, 1, -1]);
    expect(clipGradient(numpy.array([7])).tolist()).toEqual([7]);
  });

  test('a correct custom rule agrees with finite differences, also for second derivatives', () => {
    // x * sin(x) with residuals sin(x) and cos(x); bwd is written with differentiable operations.
    const f = customVjp((x: Tensor) => x.mul(numpy.sin(x)));
    f.defvjp(
      (x: Tensor) => [x.mul(numpy.sin(x)), x],
      (x: Tensor, g: Tensor) => [g.mul(numpy.sin(x).add(x.mul(numpy.cos(x))))],
    );
    checkGrads(f, [randomTensor([5], randomSource(3))], { order: 2 });
    // d2/dx2 x sin x = 2 cos x - x sin x, at x = 1.
    const second = grad((x: Tensor) => grad((y: Tensor) => f(y).sum())(x).sum())(numpy.array([1]));
    expect(second.item()).toBeCloseTo(2 * Math.cos(1) - Math.sin(1), 5);
  });

  test('pytree arguments and outputs, null cotangents, and several outputs', () => {
    const f = customVjp((p: { a: Tensor; b: Tensor }, scale: number) => ({
      sum: p.a.add(p.b).mul(scale),
      diff: p.a.sub(p.b),
    }));
    f.defvjp(
      (p, scale) => [f(p, scale), scale],
      (scale: number, ct) => [
        { a: ct.sum.mul(scale).add(ct.diff), b: ct.sum.mul(scale).sub(ct.diff) },
        null,
      ],
    );
    const p = { a: numpy.array([1, 2]), b: numpy.array([3, 4]) };
    const [out, vjpFn] = vjp((q: typeof p) => f(q, 2), p);
    expect(out.sum.tolist()).toEqual([8, 12]);
    const [dp] = vjpFn({ sum: numpy.array([1, 0]), diff: null });
    expect(dp.a.tolist()).toEqual([2, 0]);
    expect(dp.b.tolist()).toEqual([2, 0]);
  });

  test('without any grad the wrapped function just runs; bad rules give clear errors', () => {
    const f = customVjp((x: Tensor) => x.mul(2));
    expect(f(numpy.array([1])).tolist()).toEqual([2]);
    expect(() => grad((x: Tensor) => f(x).sum())(numpy.array([1]))).toThrow(
      'customVjp: differentiated before its rule was set with .defvjp(fwd, bwd)',
    );
    f.defvjp(
      (x: Tensor) => [x.mul(2), null],
      () => [],
    );
    expect(() => grad((x: Tensor) => f(x).sum())(numpy.array([1]))).toThrow(
      'customVjp: bwd must return one cotangent per argument (1), found 0',
    );
    f.defvjp(
      (x: Tensor) => [x.mul(2), null],
      () => [numpy.ones([3])],
    );
    expect(() => grad((x: Tensor) => f(x).sum())(numpy.array([1]))).toThrow(
      'customVjp: its VJP rule returned a cotangent of float32[3] for an input of float32[1]',
    );
  });

  test('fwd or bwd closing over a value being differentiated is a clear error', () => {
    const closesInBwd = (w: Tensor) => {
      const f = customVjp((x: Tensor) => x.mul(2));
      f.defvjp(
        (x: Tensor) => [x.mul(2), null],
        (_res: null, g: Tensor) => [g.mul(w)],
      );
      return f(w).sum();
    };
    expect(() => grad(closesInBwd)(numpy.array(5))).toThrow(
      'customVjp: bwd returned a value that depends on a tensor being differentiated that is not an argument',
    );
    const closesInFwd = (w: Tensor) => {
      const f = customVjp((x: Tensor) => x.mul(w));
      f.defvjp(
        (x: Tensor) => [x.mul(w), null],
        (_res: null, g: Tensor) => [g],
      );
      return f(w.add(1)).sum();
    };
    expect(() => grad(closesInFwd)(numpy.array(5))).toThrow(
      /^customVjp: fwd returned a value that depends/,
    );
    // Closing over a constant (or over an outer grad's value) is fine.
    const c = numpy.array(3);
    const scale = customVjp((x: Tensor) => x.mul(c));
    scale.defvjp(
      (x: Tensor) => [x.mul(c), null],
      (_res: null, g: Tensor) => [g.mul(c)],
    );
    expect(grad((x: Tensor) => scale(x).sum())(numpy.array(2)).item()).toBe(3);
  });

  test('bwd returning something other than tensors is a clear error', () => {
    const f = customVjp((x: Tensor) => x.mul(2));
    f.defvjp(
      (x: Tensor) => [x.mul(2), null],
      () => [1],
    );
    expect(() => grad((x: Tensor) => f(x).sum())(numpy.array([1]))).toThrow(
      "customVjp: bwd's cotangent for argument 0 must hold tensors (or null), found the number 1",
    );
  });

  test('stopGradient blocks gradients at every order and maps over pytrees', () => {
    const f = (x: Tensor) => x.mul(lax.stopGradient(x)).sum();
    expect(grad(f)(numpy.array([3, -2])).tolist()).toEqual([3, -2]);
    // d/dx of grad(f) = d/dx x = 1 would be 2 without the stop: f = x*c has f'' = 0.
    const second = grad((x: Tensor) => grad(f)(x).sum())(numpy.array([3]));
    expect(second.tolist()).toEqual([0]);
    const held = lax.stopGradient({ w: numpy.array([1]), name: 'w' });
    expect(held.name).toBe('w');
    const [value, g] = valueAndGrad((x: Tensor) => lax.stopGradient({ y: x.square() }).y.sum())(
      numpy.array([2]),
    );
    expect(value.item()).toBe(4);
    expect(g.tolist()).toEqual([0]);
  });
});
