/**
 * VJPs of the elementwise primitives against central finite differences, to second order: every
 * unary op at points inside its domain, every binary op on broadcasting shape pairs, `where` and
 * `cast`; plus the conventions finite differences cannot see (ties of max/min, pow at zero).
 */
import type { BinaryOp, UnaryOp } from '@equinox-ts/kernels';
import type { Tensor } from '../../src/index.js';
import { grad, numpy } from '../../src/index.js';
import { bind, primitives, type Primitive } from '../../src/core/primitive.js';
import { binary, unary, where } from '../../src/primitives/elementwise.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { awayFromZero, expectClose, randomShape, uniform } from '../helpers/samples.js';

type Sampler = (shape: readonly number[], rand: () => number) => Tensor;

const within =
  (lo: number, hi: number): Sampler =>
  (shape, rand) =>
    uniform(shape, rand, lo, hi);
const offZero =
  (lo: number, hi: number): Sampler =>
  (shape, rand) =>
    awayFromZero(shape, rand, lo, hi);

/** Each unary op with a VJP and where to sample it: inside its domain, away from kinks and poles. */
const UNARY_CASES: readonly (readonly [UnaryOp, Sampler])[] = [
  ['neg', within(-2, 2)],
  ['abs', offZero(0.2, 2)],
  ['square', within(-2, 2)],
  ['exp', within(-2, 2)],
  ['expm1', within(-2, 2)],
  ['log', within(0.5, 3)],
  ['log1p', within(-0.5, 2)],
  ['sqrt', within(0.5, 3)],
  ['rsqrt', within(0.5, 3)],
  ['reciprocal', offZero(0.5, 2)],
  ['sin', within(-3, 3)],
  ['cos', within(-3, 3)],
  ['tan', within(-1, 1)],
  ['asin', within(-0.7, 0.7)],
  ['acos', within(-0.7, 0.7)],
  ['atan', within(-3, 3)],
  ['sinh', within(-2, 2)],
  ['cosh', within(-2, 2)],
  ['tanh', within(-2, 2)],
  ['asinh', within(-3, 3)],
  ['acosh', within(1.5, 3)],
  ['atanh', within(-0.7, 0.7)],
  ['sigmoid', within(-3, 3)],
  ['erf', within(-1.5, 1.5)],
];

/** Dividends of `rem` whose quotient by divisors near ±2 stays away from integers (rem's jumps). */
const remDividend: Sampler = (shape, rand) => {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => {
    const odd = [1, 3, 5][Math.floor(((rand() + 1) / 2) * 3)]!;
    return (rand() < 0 ? -1 : 1) * (odd + 0.2 * rand());
  });
  return numpy.array(values, { shape });
};

/** Values near integers (+ `offset`): samples of max/min with offsets 0 and 0.5 never come within 0.3. */
const lattice =
  (offset: number): Sampler =>
  (shape, rand) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return numpy.array(
      Float32Array.from({ length: size }, () => Math.round(rand() * 2) + offset + 0.1 * rand()),
      { shape },
    );
  };

/** Each binary op with a VJP and where to sample each operand. */
const BINARY_CASES: readonly (readonly [BinaryOp, Sampler, Sampler])[] = [
  ['add', within(-2, 2), within(-2, 2)],
  ['sub', within(-2, 2), within(-2, 2)],
  ['mul', within(-2, 2), within(-2, 2)],
  ['div', within(-2, 2), offZero(0.5, 1.5)],
  ['rem', remDividend, offZero(1.9, 2.1)],
  ['pow', within(0.5, 2), within(-2, 2)],
  ['atan2', offZero(0.5, 2), offZero(0.5, 2)],
  ['max', lattice(0), lattice(0.5)],
  ['min', lattice(0), lattice(0.5)],
];

/** Shape pairs that broadcast, each tried both ways round. */
const SHAPE_PAIRS: readonly (readonly [number[], number[]])[] = [
  [[3, 4], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [[], [2, 3]],
  [
    [2, 1, 3],
    [4, 1],
  ],
];
const BOTH_WAYS = SHAPE_PAIRS.flatMap(([a, b]): (readonly [number[], number[]])[] => [
  [a, b],
  [b, a],
]);

const seedOf = (name: string): number =>
  [...name].reduce((s, c) => (Math.imul(s, 31) + c.charCodeAt(0)) >>> 0, 7);

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);

  describe('unary primitives', () => {
    test.each(UNARY_CASES)('%s matches finite differences to second order', (op, sample) => {
      const rand = randomSource(seedOf(op));
      for (const shape of [randomShape(rand), randomShape(rand)]) {
        checkGrads((x) => unary(op, x), [sample(shape, rand)], { order: 2, seed: seedOf(op) });
      }
    });
  });

  describe('binary primitives with broadcasting', () => {
    const cases = BINARY_CASES.flatMap(([op, sampleA, sampleB]) =>
      BOTH_WAYS.map(([a, b]) => [op, a, b, sampleA, sampleB] as const),
    );
    test.each(cases)(
      '%s of %j and %j matches finite differences to second order',
      (op, a, b, sampleA, sampleB) => {
        const rand = randomSource(seedOf(op + JSON.stringify([a, b])));
        checkGrads((x, y) => binary(op, x, y), [sampleA(a, rand), sampleB(b, rand)], { order: 2 });
      },
    );
  });

  describe('max and min split the cotangent evenly between equal inputs', () => {
    const ab = (f: (a: Tensor, b: Tensor) => Tensor) =>
      grad((a: Tensor, b: Tensor) => f(a, b).sum(), { argnums: [0, 1] });

    test('on equal shapes', () => {
      const a = numpy.array([1, 2, 3]);
      const b = numpy.array([1, 5, 3]);
      const [maxA, maxB] = ab(numpy.maximum)(a, b);
      expectClose(maxA, [0.5, 0, 0.5], [3]);
      expectClose(maxB, [0.5, 1, 0.5], [3]);
      const [minA, minB] = ab(numpy.minimum)(a, b);
      expectClose(minA, [0.5, 1, 0.5], [3]);
      expectClose(minB, [0.5, 0, 0.5], [3]);
    });

    test('with broadcasting, summing the shares back', () => {
      // max([[2], [3]], [2, 3, 2]): row 0 ties at columns 0 and 2, row 1 ties at column 1.
      const a = numpy.array([[2], [3]]);
      const b = numpy.array([2, 3, 2]);
      const [ga, gb] = ab(numpy.maximum)(a, b);
      expectClose(ga, [0.5 + 0 + 0.5, 1 + 0.5 + 1], [2, 1]);
      expectClose(gb, [0.5 + 0, 1 + 0.5, 0.5 + 0], [3]);
      const [ha, hb] = ab(numpy.minimum)(a, b);
      expectClose(ha, [0.5 + 1 + 0.5, 0 + 0.5 + 0], [2, 1]);
      expectClose(hb, [0.5 + 1, 0 + 0.5, 0.5 + 1], [3]);
    });
  });

  test('pow has zero derivative in a where b = 0 and in b where a = 0 (JAX convention)', () => {
    const a = numpy.array([0, 2, 0, 3]);
    const b = numpy.array([0, 0, 2, 2]);
    const [ga, gb] = grad((x: Tensor, y: Tensor) => binary('pow', x, y).sum(), { argnums: [0, 1] })(
      a,
      b,
    );
    // d/da a^b = b a^(b-1): 0 (b = 0), 0 (b = 0), 2 * 0 = 0, 2 * 3 = 6.
    expectClose(ga, [0, 0, 0, 6], [4]);
    // d/db a^b = log(a) a^b: 0 (a = 0), log 2, 0 (a = 0), log(3) * 9.
    expectClose(gb, [0, Math.log(2), 0, Math.log(3) * 9], [4]);
  });

  describe('where', () => {
    // Made inside each test, on the backend under test.
    const cond = () => numpy.array([[true], [false], [true]]); // [3, 1]

    test('matches finite differences in both branches, broadcasting cond, a and b', () => {
      const rand = randomSource(5);
      const shapes: [number[], number[]][] = [
        [
          [1, 4],
          [3, 4],
        ],
        [[], [4]],
        [[2, 3, 1], [1]],
      ];
      for (const [sa, sb] of shapes) {
        checkGrads(
          (a, b) => where(cond(), a, b),
          [uniform(sa, rand, -1, 1), uniform(sb, rand, -1, 1)],
          { order: 2 },
        );
      }
    });

    test('sends each cotangent to the chosen branch only', () => {
      const [ga, gb] = grad((a: Tensor, b: Tensor) => where(cond(), a, b).sum(), {
        argnums: [0, 1],
      })(numpy.zeros([1, 4]), numpy.zeros([]));
      expectClose(ga, [2, 2, 2, 2], [1, 4]); // rows 0 and 2 pick a
      expectClose(gb, [4], []); // row 1 picks b in 4 columns
    });
  });

  test.each(['sign', 'floor', 'ceil', 'round'] as const)(
    '%s has no VJP: it is a constant for grad',
    (op) => {
      expect(primitives().get(op)?.vjp).toBeUndefined();
      // d/dx [op(x) * x] with op(x) held constant is op(x).
      const x = numpy.array([-1.7, -0.2, 0.4, 2.5]);
      const g = grad((t: Tensor) => unary(op, t).mul(t).sum())(x);
      expectClose(g, Array.from(unary(op, x).dataSync(), Number), [4]);
    },
  );

  describe('cast', () => {
    const castP = primitives().get('cast') as unknown as Primitive<string>;

    test('float32 -> float32 passes the cotangent through', () => {
      const rand = randomSource(9);
      const x = uniform([2, 3], rand, -1, 1);
      checkGrads((t) => bind(castP, [t], 'float32').mul(t), [x], { order: 2 });
      const g = grad((t: Tensor) => bind(castP, [t], 'float32').sum())(x);
      expectClose(g, [1, 1, 1, 1, 1, 1], [2, 3]);
    });

    test('float32 -> int32 is a constant: the gradient through it is zero', () => {
      const g = grad((t: Tensor) => bind(castP, [t], 'int32').astype('float32').sum())(
        numpy.array([1.5, -2.5]),
      );
      expectClose(g, [0, 0], [2]);
    });
  });
});
