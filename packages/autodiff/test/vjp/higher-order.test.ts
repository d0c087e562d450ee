/**
 * Nested and structured differentiation: second and third derivatives against hand-derived ones,
 * Hessian-vector products, perturbation confusion, argnums/hasAux/valueAndGrad, vjp on pytrees, and
 * the zero gradients of constant and integer paths.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy, valueAndGrad, vjp } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { randomSource } from '../helpers/check-grads.js';
import { expectClose, uniform } from '../helpers/samples.js';

const POINTS = [-1.5, -0.4, 0.3, 0.7, 2];

/** The elementwise derivative of an elementwise `f`: the gradient of `sum(f(x))`. */
const derivative =
  (f: (x: Tensor) => Tensor) =>
  (x: Tensor): Tensor =>
    grad((t: Tensor) => f(t).sum())(x);

/** The Hessian of `f` at `x` times `v`: the gradient of `<grad f(x), v>`. */
const hessianVector = (f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor =>
  grad((y: Tensor) => numpy.dot(grad(f)(y), v))(x);

const values = (t: Tensor): number[] => Array.from(t.dataSync(), Number);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('second derivatives of scalar functions', () => {
    const cases: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
      ['x^3', (x) => x.mul(x).mul(x), (x) => 6 * x],
      ['sin', numpy.sin, (x) => -Math.sin(x)],
      ['exp(x) * x', (x) => numpy.exp(x).mul(x), (x) => Math.exp(x) * (x + 2)],
      ['tanh', numpy.tanh, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ];
    test.each(cases)('%s', (_name, f, second) => {
      const x = numpy.array(POINTS);
      expectClose(derivative(derivative(f))(x), POINTS.map(second), [POINTS.length], {
        rtol: 1e-4,
        atol: 1e-5,
      });
      // On a 0-d input, grad(grad(f)) composes directly.
      const at = numpy.array(0.7);
      expectClose(grad(grad(f))(at), [second(0.7)], [], { rtol: 1e-4, atol: 1e-5 });
    });
  });

  test('third and fourth derivatives of a polynomial', () => {
    // f = x^4 - 2 x^3 + x: f''' = 24 x - 12, f'''' = 24.
    const f = (x: Tensor) => x.mul(x).mul(x).mul(x).sub(x.mul(x).mul(x).mul(2)).add(x);
    const x = numpy.array(POINTS);
    const third = derivative(derivative(derivative(f)));
    expectClose(
      third(x),
      POINTS.map((p) => 24 * p - 12),
      [POINTS.length],
      { rtol: 1e-5, atol: 1e-4 },
    );
    expectClose(
      derivative(third)(x),
      POINTS.map(() => 24),
      [POINTS.length],
      { rtol: 1e-5 },
    );
  });

  describe('Hessian-vector products', () => {
    test('of 0.5 x^T A x are (A + A^T) / 2 v', () => {
      const rand = randomSource(3);
      const n = 4;
      const a = uniform([n, n], rand, -1, 1);
      const x = uniform([n], rand, -1, 1);
      const f = (t: Tensor) => numpy.dot(t, numpy.matmul(a, t)).mul(0.5);
      const av = values(a);
      for (let i = 0; i < n; i++) {
        // H e_i is the i-th column of the symmetric part of A.
        const e = numpy.array(Array.from({ length: n }, (_, j) => (j === i ? 1 : 0)));
        const column = Array.from({ length: n }, (_, r) => (av[r * n + i]! + av[i * n + r]!) / 2);
        expectClose(hessianVector(f, x, e), column, [n], { rtol: 1e-5, atol: 1e-6 });
      }
    });

    test('of a small softplus MLP agree with finite differences of its gradient', () => {
      const rand = randomSource(4);
      const w1 = uniform([5, 3], rand, -1, 1);
      const b1 = uniform([5], rand, -1, 1);
      const w2 = uniform([5], rand, -1, 1);
      const softplus = (z: Tensor) => numpy.log1p(numpy.exp(z));
      const f = (x: Tensor) => numpy.dot(w2, softplus(numpy.matmul(w1, x).add(b1)));
      const x = uniform([3], rand, -1, 1);
      const v = uniform([3], rand, -1, 1);
      const h = 1e-2;
      const g = (t: Tensor) => values(grad(f)(t));
      const plus = g(x.add(v.mul(h)));
      const minus = g(x.sub(v.mul(h)));
      const numeric = plus.map((p, i) => (p - minus[i]!) / (2 * h));
      expectClose(hessianVector(f, x, v), numeric, [3], { rtol: 1e-2, atol: 1e-4 });
    });
  });

  describe('perturbation confusion: nested grads keep their variables apart', () => {
    test('d/dx [x * d/dy (x + y)] = 1', () => {
      const outer = grad((x: Tensor) => x.mul(grad((y: Tensor) => x.add(y))(numpy.array(1))));
      expectClose(outer(numpy.array(1)), [1], []);
    });

    test('d/dx [x * d/dy (x * y)] = d/dx x^2 = 2x', () => {
      const outer = grad((x: Tensor) => x.mul(grad((y: Tensor) => x.mul(y))(numpy.array(5))));
      expectClose(outer(numpy.array(3)), [6], []);
    });
  });

  describe('argnums, hasAux and valueAndGrad', () => {
    const f = (a: Tensor, b: Tensor, c: Tensor) => a.mul(b).sum().add(c.mul(c).sum());
    const a = () => numpy.array([1, 2]);
    const b = () => numpy.array([3, -4]);
    const c = () => numpy.array([0.5, 5]);

    test('argnums as an array gives one gradient per chosen argument, in order', () => {
      const [gc, ga] = grad(f, { argnums: [2, 0] })(a(), b(), c());
      expectClose(gc, [1, 10], [2]);
      expectClose(ga, [3, -4], [2]);
      expectClose(grad(f, { argnums: 1 })(a(), b(), c()), [1, 2], [2]);
    });

    test('hasAux passes aux through as concrete values', () => {
      const withAux = (x: Tensor, y: Tensor) =>
        [x.mul(y).sum(), { doubled: x.mul(2), label: 'aux' }] as const;
      const [gx, aux] = grad(withAux, { hasAux: true })(a(), b()) as [
        Tensor,
        { doubled: Tensor; label: string },
      ];
      expectClose(gx, [3, -4], [2]);
      expect(aux.label).toBe('aux');
      expectClose(aux.doubled, [2, 4], [2]);
      const [[gx2, gy2], aux2] = grad(withAux, { hasAux: true, argnums: [0, 1] })(a(), b()) as [
        [Tensor, Tensor],
        { doubled: Tensor },
      ];
      expectClose(gx2, [3, -4], [2]);
      expectClose(gy2, [1, 2], [2]);
      expectClose(aux2.doubled, [2, 4], [2]);
    });

    test('valueAndGrad returns the value with the gradient, and [value, aux] with hasAux', () => {
      const [value, g] = valueAndGrad(f, { argnums: [0, 2] })(a(), b(), c());
      expectClose(value, [3 - 8 + 0.25 + 25], []);
      expectClose(g[0], [3, -4], [2]);
      expectClose(g[1], [1, 10], [2]);
      const [[v2, aux], g2] = valueAndGrad((x: Tensor) => [x.square().sum(), x.sum()], {
        hasAux: true,
      })(a()) as [[Tensor, Tensor], Tensor];
      expectClose(v2, [5], []);
      expectClose(aux, [3], []);
      expectClose(g2, [2, 4], [2]);
    });
  });

  test('vjp with pytree inputs and outputs', () => {
    const params = {
      w: numpy.array([
        [1, 2],
        [3, 4],
      ]),
      b: numpy.array([0.5, -1]),
    };
    const xs = [numpy.array([1, -1]), numpy.array(2)];
    const f = (p: typeof params, [x, s]: Tensor[]) => ({
      y: numpy.matmul(p.w, x!).add(p.b),
      z: [x!.mul(s!), s!.square()],
    });
    const [out, vjpFn] = vjp(f, params, xs);
    expectClose(out.y, [-0.5, -2], [2]);
    expectClose(out.z[1]!, [4], []);
    const [gp, gx] = vjpFn({
      y: numpy.array([1, 10]),
      z: [numpy.array([2, 3]), numpy.array(1)],
    }) as [typeof params, Tensor[]];
    // y = W x + b: dW = u x^T, db = u; dx = W^T u + s * dz0; ds = <dz0, x> + 2 s.
    expectClose(gp.w, [1, -1, 10, -10], [2, 2]);
    expectClose(gp.b, [1, 10], [2]);
    expectClose(gx[0]!, [1 + 30 + 4, 2 + 40 + 6], [2]);
    expectClose(gx[1]!, [2 - 3 + 4], []);
  });

  describe('zero gradients', () => {
    test('of functions that do not depend on the input', () => {
      const x = numpy.array([
        [1, 2],
        [3, 4],
      ]);
      expectClose(grad((_x: Tensor) => numpy.array(3))(x), [0, 0, 0, 0], [2, 2]);
      expectClose(grad((_x: Tensor) => 7)(x), [0, 0, 0, 0], [2, 2]);
      const partial = grad((p: { used: Tensor; unused: Tensor }) => p.used.sum())({
        used: x,
        unused: numpy.ones([3]),
      });
      expectClose(partial.used, [1, 1, 1, 1], [2, 2]);
      expectClose(partial.unused, [0, 0, 0], [3]);
    });

    test('through integer casts: only the float path contributes', () => {
      // d/dx [trunc(x) * x] with trunc through int32 taken as constant: trunc(x).
      const f = (x: Tensor) => x.astype('int32').astype('float32').mul(x).sum();
      expectClose(grad(f)(numpy.array([1.5, -2.7, 3.2])), [1, -2, 3], [3]);
      const onlyInt = (x: Tensor) => x.astype('int32').astype('float32').sum();
      expectClose(grad(onlyInt)(numpy.array([1.5, -2.7])), [0, 0], [2]);
    });
  });
});
