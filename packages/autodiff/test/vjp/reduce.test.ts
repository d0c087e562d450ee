/**
 * VJPs of the reduction primitives (reduce_sum, reduce_max, reduce_min, reduce_prod, cumsum) against
 * finite differences over many axis sets, the prod rule at zeros against hand-derived values, and
 * argmax/argmin, which have no derivative.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy } from '../../src/index.js';
import { primitives } from '../../src/core/primitive.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { awayFromZero, distinct, expectClose } from '../helpers/samples.js';

type Axis = number | number[] | undefined;

/** Axis sets over a [2, 1, 3, 4] input: all, single, negative, several, the size-1 axis, none. */
const AXES: readonly Axis[] = [undefined, 0, -1, [0, 2], [-3, -1], 1, [1, 3], [0, 1, 2, 3], []];
const SHAPE = [2, 1, 3, 4];

const REDUCTIONS = [
  ['reduce_sum', numpy.sum],
  ['reduce_max', numpy.max],
  ['reduce_min', numpy.min],
  ['reduce_prod', numpy.prod],
] as const;

/** The Hessian of `f` times `v` at `x`: the gradient of `<grad f(x), v>`. */
function hessianVector(f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor {
  return grad((y: Tensor) => grad(f)(y).mul(v).sum())(x);
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('reductions over axis sets', () => {
    const cases = REDUCTIONS.flatMap(([name, fn]) => AXES.map((axis) => [name, axis, fn] as const));
    test.each(cases)(
      '%s with axis %j matches finite differences to second order',
      (name, axis, fn) => {
        const rand = randomSource(name.length * 100 + JSON.stringify(axis ?? null).length);
        // prod: magnitudes in [0.5, 1.5] keep the product well scaled; max/min: no near ties.
        const x =
          name === 'reduce_prod' ? awayFromZero(SHAPE, rand, 0.5, 1.5) : distinct(SHAPE, rand);
        checkGrads((t) => fn(t, { axis }), [x], { order: 2 });
        checkGrads((t) => fn(t, { axis, keepdims: true }), [x]);
      },
    );
  });

  describe('reduce_max and reduce_min split the cotangent evenly among ties', () => {
    test('over all axes', () => {
      const x = numpy.array([
        [1, 3],
        [3, 0],
      ]);
      expectClose(grad((t: Tensor) => numpy.max(t))(x), [0, 0.5, 0.5, 0], [2, 2]);
      const y = numpy.array([
        [1, 3],
        [1, 1],
      ]);
      expectClose(grad((t: Tensor) => numpy.min(t))(y), [1 / 3, 0, 1 / 3, 1 / 3], [2, 2]);
    });

    test('along one axis, each row on its own', () => {
      const x = numpy.array([
        [2, 2, 1],
        [0, 5, 5],
      ]);
      // Row maxima 2 (twice) and 5 (twice); weights 1 and 10 tell the rows apart.
      const f = (t: Tensor) =>
        numpy
          .max(t, { axis: 1 })
          .mul(numpy.array([1, 10]))
          .sum();
      expectClose(grad(f)(x), [0.5, 0.5, 0, 0, 5, 5], [2, 3]);
    });
  });

  describe('reduce_prod at zeros', () => {
    test('one zero: its derivative is the product of the others, the rest get zero', () => {
      const x = numpy.array([
        [2, 0, 3],
        [1, 2, 4],
      ]);
      const g = grad((t: Tensor) => numpy.prod(t, { axis: 1 }).sum())(x);
      expectClose(g, [0, 6, 0, 8, 4, 2], [2, 3]);
      checkGrads((t) => numpy.prod(t, { axis: 1 }), [x], { order: 2 });
    });

    test('one zero: second derivatives (rows of the Hessian of x0 x1 x2 x3)', () => {
      const x = numpy.array([2, 0, 3, -1]);
      const f = (t: Tensor) => numpy.prod(t);
      // H[i][j] = product of the entries other than i and j (0 on the diagonal).
      expectClose(hessianVector(f, x, numpy.array([0, 1, 0, 0])), [-3, 0, -2, 6], [4]);
      expectClose(hessianVector(f, x, numpy.array([1, 0, 0, 0])), [0, -3, 0, 0], [4]);
    });

    test('two zeros: every first derivative is zero', () => {
      const x = numpy.array([0, 2, 0, 3]);
      expectClose(grad((t: Tensor) => numpy.prod(t))(x), [0, 0, 0, 0], [4]);
      checkGrads((t) => numpy.prod(t), [x]);
    });

    test('two zeros: the mixed second derivative of the two zeros is the product of the rest', () => {
      const x = numpy.array([0, 2, 0, 3]);
      const f = (t: Tensor) => numpy.prod(t);
      // d2/dx0 dx2 (x0 x1 x2 x3) = x1 x3 = 6; every other entry of row 0 has a zero factor.
      expectClose(hessianVector(f, x, numpy.array([1, 0, 0, 0])), [0, 0, 6, 0], [4]);
      expectClose(hessianVector(f, x, numpy.array([0, 1, 0, 0])), [0, 0, 0, 0], [4]);
    });
  });

  describe('cumsum', () => {
    const cases = [0, 1, -1].flatMap((axis) =>
      [false, true].map((reverse) => [axis, reverse] as const),
    );
    test.each(cases)(
      'along axis %d (reverse %s) matches finite differences to second order',
      (axis, reverse) => {
        const x = awayFromZero([3, 4], randomSource(axis + 10), 0.1, 1);
        checkGrads((t) => numpy.cumsum(t, { axis, reverse }).square(), [x], { order: 2 });
      },
    );

    test('the gradient of sum(cumsum(x)) counts the partial sums each element is in', () => {
      const x = numpy.array([5, -1, 2]);
      expectClose(grad((t: Tensor) => numpy.cumsum(t).sum())(x), [3, 2, 1], [3]);
      expectClose(grad((t: Tensor) => numpy.cumsum(t, { reverse: true }).sum())(x), [1, 2, 3], [3]);
    });
  });

  describe('argmax and argmin have no derivative', () => {
    test('they define no VJP rule', () => {
      expect(primitives().get('argmax')?.vjp).toBeUndefined();
      expect(primitives().get('argmin')?.vjp).toBeUndefined();
    });

    test('a function of x only through argmax/argmin has a zero gradient', () => {
      const x = numpy.array([
        [0.5, 2, -1],
        [3, 0, 1],
      ]);
      const f = (t: Tensor) =>
        numpy.argmax(t, { axis: 1 }).astype('float32').add(numpy.argmin(t).astype('float32')).sum();
      expectClose(grad(f)(x), [0, 0, 0, 0, 0, 0], [2, 3]);
    });

    test('picking x at its argmax differentiates the pick only', () => {
      const x = numpy.array([0.5, 2, -1]);
      const g = grad((t: Tensor) => numpy.index(t, numpy.argmax(t)).mul(3))(x);
      expectClose(g, [0, 3, 0], [3]);
    });
  });
});
