// unary, binary and where: every op of the table, on every dtype it accepts, against float64 references.
import {
  BINARY_OPS,
  UNARY_OPS,
  type BinaryOp,
  type DType,
  type OpSpec,
  type UnaryOp,
} from '../../src/index.js';
import {
  BINARY_REFERENCE,
  UNARY_REFERENCE,
  binaryRef,
  type RefOp,
  unaryRef,
  whereRef,
} from '../reference/elementwise.js';
import { broadcastToRef } from '../reference/layout.js';
import { refOf, type Ref } from '../reference/ndarray.js';
import {
  prng,
  randInt,
  randomBools,
  randomFloats,
  randomOf,
  type Rng,
} from '../reference/random.js';
import { LAYOUTS, expectArray, fetch, forEachBackend, put, testSimdLaunches } from './helpers.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Where each float op is defined and well-conditioned; others draw from [-5, 5]. */
const DOMAIN: Partial<Record<string, [number, number]>> = {
  exp: [-20, 20],
  log: [0.01, 10],
  log1p: [-0.99, 10],
  sqrt: [0, 10],
  rsqrt: [0.01, 10],
  asin: [-1, 1],
  acos: [-1, 1],
  atanh: [-0.99, 0.99],
  acosh: [1, 10],
  tan: [-1.5, 1.5],
  sinh: [-10, 10],
  cosh: [-10, 10],
};
/** The table documents erf to about 1e-7 absolute error. */
const EXTRA_ATOL: Partial<Record<string, number>> = { erf: 2e-7 };

const FLOAT_SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  3,
  1e-30,
  -7.25,
];
const INT_SPECIALS = [0, 1, -1, 2, -7, 7, 31, 32, 33, 46341, -65536, 65536, INT_MAX, INT_MIN];

function randomFor(rng: Rng, op: string, dtype: DType, shape: number[]): Ref {
  if (dtype === 'float32') {
    const [lo, hi] = DOMAIN[op] ?? [-5, 5];
    return randomFloats(rng, shape, lo, hi);
  }
  if (dtype === 'int32') {
    // Mostly small values, some anywhere in the int32 range.
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, () =>
      rng() < 0.7 ? randInt(rng, -1000, 1000) : randInt(rng, INT_MIN, INT_MAX),
    );
    return refOf(shape, 'int32', values);
  }
  return randomBools(rng, shape);
}

const specials = (dtype: DType): number[] =>
  dtype === 'float32' ? FLOAT_SPECIALS : dtype === 'int32' ? INT_SPECIALS : [0, 1];

const unaryCases = Object.entries(UNARY_OPS).flatMap(([op, spec]) =>
  Object.keys(spec.js).map((dtype) => [op as UnaryOp, dtype as DType] as const),
);
const binaryCases = Object.entries(BINARY_OPS).flatMap(([op, spec]) =>
  Object.keys(spec.js).map((dtype) => [op as BinaryOp, dtype as DType] as const),
);

describe('the reference semantics', () => {
  it('cover every op of the table, with its dtypes and output dtype', () => {
    const pairs: [Record<string, OpSpec>, Record<string, RefOp<unknown>>][] = [
      [UNARY_OPS, UNARY_REFERENCE],
      [BINARY_OPS, BINARY_REFERENCE],
    ];
    for (const [table, reference] of pairs) {
      for (const [op, spec] of Object.entries(table)) {
        const ref = reference[op];
        expect({ op, dtypes: Object.keys(ref?.fns ?? {}).sort(), out: ref?.out }).toEqual({
          op,
          dtypes: Object.keys(spec.js).sort(),
          out: spec.out,
        });
      }
    }
  });
});

forEachBackend((ctx) => {
  describe('unary', () => {
    it.each(unaryCases)('%s on %s', async (op, dtype) => {
      const tol = { label: '', atol: EXTRA_ATOL[op] ?? 0 };
      const rng = prng(op.length * 31 + dtype.length);
      const sp = refOf([specials(dtype).length], dtype, specials(dtype));
      await expectArray(ctx.be, ctx.be.unary(op, put(ctx.be, sp)), unaryRef(op, sp), ctx.tol, {
        ...tol,
        label: 'special values',
      });
      for (const layout of LAYOUTS) {
        const x = randomFor(rng, op, dtype, [3, 4, 5]);
        await expectArray(
          ctx.be,
          ctx.be.unary(op, put(ctx.be, x, layout)),
          unaryRef(op, x),
          ctx.tol,
          {
            ...tol,
            label: layout,
          },
        );
      }
      for (const shape of [[], [0], [2, 0, 3]]) {
        const x = randomFor(rng, op, dtype, shape);
        await expectArray(ctx.be, ctx.be.unary(op, put(ctx.be, x)), unaryRef(op, x), ctx.tol, {
          ...tol,
          label: `shape ${JSON.stringify(shape)}`,
        });
      }
      // A broadcast view (stride 0) as input.
      const row = randomFor(rng, op, dtype, [1, 5]);
      const wide = ctx.be.broadcastTo(put(ctx.be, row), [4, 5]);
      await expectArray(
        ctx.be,
        ctx.be.unary(op, wide),
        unaryRef(op, broadcastToRef(row, [4, 5])),
        ctx.tol,
        {
          ...tol,
          label: 'broadcast view',
        },
      );
    });
  });

  describe('binary', () => {
    const SHAPE_PAIRS: [number[], number[]][] = [
      [[2, 3, 4], [4]],
      [
        [2, 1, 4],
        [3, 1],
      ],
      [[], [2, 3]],
      [[2, 3], []],
      [
        [0, 3],
        [1, 3],
      ],
      [
        [2, 0],
        [2, 1],
      ],
      [[1], [0]],
    ];
    it.each(binaryCases)('%s on %s', async (op, dtype) => {
      const rng = prng(op.length * 17 + dtype.length);
      // Every pair of special values, by broadcasting a column against a row.
      const s = specials(dtype);
      const col = refOf([s.length, 1], dtype, s);
      const row = refOf([1, s.length], dtype, s);
      await expectArray(
        ctx.be,
        ctx.be.binary(op, put(ctx.be, col), put(ctx.be, row)),
        binaryRef(op, col, row),
        ctx.tol,
        {
          label: 'special pairs',
        },
      );
      for (const [la, lb] of [
        ['contiguous', 'contiguous'],
        ['transposed', 'strided'],
        ['strided', 'transposed'],
      ] as const) {
        const a = randomFor(rng, op, dtype, [3, 4, 5]);
        const b = randomFor(rng, op, dtype, [3, 4, 5]);
        await expectArray(
          ctx.be,
          ctx.be.binary(op, put(ctx.be, a, la), put(ctx.be, b, lb)),
          binaryRef(op, a, b),
          ctx.tol,
          {
            label: `${la} with ${lb}`,
          },
        );
      }
      for (const [sa, sb] of SHAPE_PAIRS) {
        const a = randomFor(rng, op, dtype, sa);
        const b = randomFor(rng, op, dtype, sb);
        await expectArray(
          ctx.be,
          ctx.be.binary(op, put(ctx.be, a, 'strided'), put(ctx.be, b)),
          binaryRef(op, a, b),
          ctx.tol,
          {
            label: `${JSON.stringify(sa)} with ${JSON.stringify(sb)}`,
          },
        );
      }
    });

    it('does not change its operands', async () => {
      const a = put(ctx.be, refOf([3], 'float32', [1, 2, 3]));
      const b = put(ctx.be, refOf([3], 'float32', [4, 5, 6]));
      ctx.be.binary('add', a, b);
      expect(Array.from((await fetch(ctx.be, a)).data)).toEqual([1, 2, 3]);
      expect(Array.from((await fetch(ctx.be, b)).data)).toEqual([4, 5, 6]);
    });
  });

  describe('hand-derived examples', () => {
    const cases: [BinaryOp, DType, number[], number[], number[]][] = [
      ['add', 'int32', [INT_MAX, INT_MIN], [1, -1], [INT_MIN, INT_MAX]],
      ['sub', 'int32', [INT_MIN], [1], [INT_MAX]],
      ['mul', 'int32', [65536, INT_MAX, 46341], [65536, 2, 46341], [0, -2, -2147479015]],
      [
        'div',
        'int32',
        [7, -7, 7, -7, 5, INT_MIN],
        [2, 2, -2, -2, 0, -1],
        [3, -3, -3, 3, 0, INT_MIN],
      ],
      ['rem', 'int32', [7, -7, 7, -7, 5, INT_MIN], [2, 2, -2, -2, 0, -1], [1, -1, 1, -1, 0, 0]],
      ['rem', 'float32', [7.5, -7.5, 7.5], [2, 2, -2], [1.5, -1.5, 1.5]],
      ['shiftLeft', 'int32', [1, 1, 1, 3], [33, 31, -1, 0], [2, INT_MIN, INT_MIN, 3]],
      ['shiftRightArithmetic', 'int32', [-16, -1, 16], [2, 31, 33], [-4, -1, 8]],
      ['shiftRightLogical', 'int32', [-1, -16, 16], [28, 0, 36], [15, -16, 1]],
      ['pow', 'float32', [-2, -8, 0, 2], [3, 1 / 3, 0, -1], [-8, NaN, 1, 0.5]],
      // C99 / XLA special cases: x^0 = 1 and 1^y = 1 even for NaN, (-1)^(+-Infinity) = 1.
      [
        'pow',
        'float32',
        [NaN, NaN, Infinity, 1, 1, 1, -1, -1, -1, NaN, 2],
        [0, -0, 0, NaN, Infinity, -Infinity, Infinity, -Infinity, NaN, 1, NaN],
        [1, 1, 1, 1, 1, 1, 1, 1, NaN, NaN, NaN],
      ],
      ['max', 'float32', [NaN, 1, -Infinity], [1, NaN, -1e30], [NaN, NaN, -1e30]],
      ['min', 'float32', [NaN, 1, Infinity], [1, NaN, 1e30], [NaN, NaN, 1e30]],
    ];
    it.each(cases)('%s on %s: %j, %j', async (op, dtype, a, b, want) => {
      const got = ctx.be.binary(
        op,
        put(ctx.be, refOf([a.length], dtype, a)),
        put(ctx.be, refOf([b.length], dtype, b)),
      );
      await expectArray(ctx.be, got, refOf([want.length], dtype, want), ctx.tol);
    });

    it('compares with NaN as false, except ne', async () => {
      const nan = put(ctx.be, refOf([1], 'float32', [NaN]));
      const results = await Promise.all(
        (['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map(async (op) => [
          op,
          (await fetch(ctx.be, ctx.be.binary(op, nan, nan))).data[0],
        ]),
      );
      expect(Object.fromEntries(results)).toEqual({ eq: 0, ne: 1, lt: 0, le: 0, gt: 0, ge: 0 });
    });

    it('keeps signed zeros: neg(0) is -0, abs(-0) is +0, round(-0.4) is -0', async () => {
      const neg = (await fetch(ctx.be, ctx.be.unary('neg', ctx.be.full([1], 0, 'float32'))))
        .data[0];
      const abs = (await fetch(ctx.be, ctx.be.unary('abs', ctx.be.full([1], -0, 'float32'))))
        .data[0];
      const round = (await fetch(ctx.be, ctx.be.unary('round', ctx.be.full([1], -0.4, 'float32'))))
        .data[0];
      expect([Object.is(neg, -0), Object.is(abs, 0), Object.is(round, -0)]).toEqual([
        true,
        true,
        true,
      ]);
    });

    it('rounds half to even', async () => {
      const x = refOf([8], 'float32', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999998, 3.5]);
      const got = await fetch(ctx.be, ctx.be.unary('round', put(ctx.be, x)));
      expect(Array.from(got.data)).toEqual([0, 2, 2, -0, -2, -2, 2, 4]);
    });

    it('applies int32 neg, abs and square with wraparound', async () => {
      const x = put(ctx.be, refOf([3], 'int32', [INT_MIN, -5, 65536]));
      const read = async (op: UnaryOp) =>
        Array.from((await fetch(ctx.be, ctx.be.unary(op, x))).data);
      expect(await read('neg')).toEqual([INT_MIN, 5, -65536]);
      expect(await read('abs')).toEqual([INT_MIN, 5, 65536]);
      expect(await read('square')).toEqual([0, 25, 0]);
      expect(await read('bitwiseNot')).toEqual([INT_MAX, 4, -65537]);
    });
  });

  describe('where', () => {
    const SHAPES: [number[], number[], number[]][] = [
      [
        [3, 4],
        [3, 4],
        [3, 4],
      ],
      [[3, 1], [1, 4], []],
      [[4], [3, 4], [3, 1]],
      [[2, 1, 4], [3, 1], [1]],
      [[0, 4], [4], [1, 4]],
    ];
    it.each(['float32', 'int32', 'bool'] as const)('selects %s elements', async (dtype) => {
      const rng = prng(dtype.length);
      for (const [sc, sa, sb] of SHAPES) {
        for (const layout of LAYOUTS) {
          const c = randomBools(rng, sc);
          const a = randomOf(rng, sa, dtype);
          const b = randomOf(rng, sb, dtype);
          const got = ctx.be.where(put(ctx.be, c, layout), put(ctx.be, a, layout), put(ctx.be, b));
          await expectArray(ctx.be, got, whereRef(c, a, b), ctx.tol, {
            label: `${JSON.stringify([sc, sa, sb])} ${layout}`,
          });
        }
      }
    });

    it('passes NaN and Infinity through untouched', async () => {
      const c = refOf([3], 'bool', [1, 0, 1]);
      const a = refOf([3], 'float32', [NaN, 1, -Infinity]);
      const b = refOf([3], 'float32', [2, Infinity, 3]);
      await expectArray(
        ctx.be,
        ctx.be.where(put(ctx.be, c), put(ctx.be, a), put(ctx.be, b)),
        refOf([3], 'float32', [NaN, Infinity, -Infinity]),
        ctx.tol,
      );
    });
  });

  testSimdLaunches(ctx);
});
