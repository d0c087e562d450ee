/**
 * Batching rules of the elementwise primitives: `vmap(f)` equals `f` applied to each example and
 * stacked, for batch axes at the front, in the middle, at the end and absent, with broadcasting
 * (including an unbatched input of higher rank than a batched one); gradients in both orders; nesting.
 */
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from '@equinox-ts/kernels';
import type { Tensor } from '../../src/index.js';
import { grad, lax, numpy, vmap } from '../../src/index.js';
import { primitives } from '../../src/core/primitive.js';
import { binary, bitcast, cast, unary, where } from '../../src/primitives/elementwise.js';
import { type Axis, expectLikeLoop } from '../helpers/vmap.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { awayFromZero, expectClose, ints, uniform } from '../helpers/samples.js';

const UNARY = Object.keys(UNARY_OPS) as UnaryOp[];
const BINARY = Object.keys(BINARY_OPS) as BinaryOp[];

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(7);
  const floats = (shape: number[], lo = -2, hi = 2) => uniform(shape, rand, lo, hi);
  const bools = (shape: number[]) => floats(shape).gt(0);
  const intsIn = (shape: number[], lo: number, hi: number) =>
    numpy.floor(floats(shape, lo, hi)).astype('int32');

  /** A sample inside `op`'s domain. */
  function unarySample(op: UnaryOp, shape: number[]): Tensor {
    if (['log', 'sqrt', 'rsqrt', 'log1p', 'reciprocal'].includes(op)) return floats(shape, 0.5, 2);
    if (['asin', 'acos', 'atanh'].includes(op)) return floats(shape, -0.9, 0.9);
    if (op === 'acosh') return floats(shape, 1.2, 3);
    if (op === 'isNaN') return numpy.where(floats(shape).gt(0.5), NaN, floats(shape));
    if (op === 'logicalNot') return bools(shape);
    if (op === 'bitwiseNot') return intsIn(shape, -100, 100);
    return floats(shape);
  }

  /** Operands inside `op`'s domain: `which` 0 is the left one, 1 the right one. */
  function binarySample(op: BinaryOp, which: 0 | 1, shape: number[]): Tensor {
    if (op.startsWith('logical')) return bools(shape);
    if (op.startsWith('shift'))
      return which === 0 ? intsIn(shape, -1000, 1000) : intsIn(shape, 0, 32);
    if (op.startsWith('bitwise')) return intsIn(shape, -1000, 1000);
    // Small integers as floats, so that comparisons see ties.
    if (['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)) return numpy.floor(floats(shape, -2, 2));
    if (op === 'pow' && which === 0) return floats(shape, 0.5, 2);
    if ((op === 'div' || op === 'rem') && which === 1) return awayFromZero(shape, rand, 0.5, 2);
    return floats(shape);
  }

  test('every elementwise primitive has a batching rule', () => {
    const names = [...UNARY, ...BINARY, 'where', 'cast', 'bitcast', 'stopGradient'];
    expect(names.filter((name) => !primitives().get(name)?.batch)).toEqual([]);
  });

  test.each(UNARY)('%s with the batch axis first, in the middle, last', (op) => {
    const x = unarySample(op, [3, 2, 4]);
    for (const axis of [0, 1, -1]) expectLikeLoop((t) => unary(op, t), [x], [axis], entry.rtol);
  });

  // [shape of a, its axis, shape of b, its axis]: B = 3 throughout.
  const BROADCASTS: [number[], Axis, number[], Axis][] = [
    [[3, 2, 4], 0, [3, 2, 4], 0], // same layout
    [[2, 3, 4], 1, [4, 3], -1], // [2, 4] with [4], different axes
    [[3, 4], 0, [2, 1], null], // unbatched input of higher rank
    [[2, 4], null, [3, 1], 0], // ... on the other side
    [[3], 0, [2, 3], null], // batched scalars; b's last dim has the batch size but is not the batch
    [[4, 3], 1, [3, 2, 1], 0], // both batched, different axes and ranks
    [[2, 3, 4], 1, [4], null], // unbatched input that does not reach the batch axis
    [[2, 3, 4], 1, [2, 4], null], // ... and one that does
  ];

  test.each(BINARY)('%s broadcasting, batch axes anywhere', (op) => {
    for (const [sa, da, sb, db] of BROADCASTS) {
      const [a, b] = [binarySample(op, 0, sa), binarySample(op, 1, sb)];
      expectLikeLoop((x, y) => binary(op, x, y), [a, b], [da, db], entry.rtol);
    }
  });

  test.each([
    [[3, 4], 0, [4], null, [2, 1], null],
    [[4], null, [4, 3], 1, [3, 4], 0],
    [[2, 4, 3], -1, [4, 3], -1, [1, 3], -1],
    [[2, 4], null, [2, 1], null, [3], 0],
  ] as [number[], Axis, number[], Axis, number[], Axis][])(
    'where: condition %j at %j, branches %j at %j and %j at %j',
    (sc, dc, sa, da, sb, db) => {
      expectLikeLoop(where, [bools(sc), floats(sa), floats(sb)], [dc, da, db]);
    },
  );

  test('cast, bitcast and stopGradient keep the batch axis', () => {
    const x = floats([2, 3], -5, 5);
    expectLikeLoop((t) => cast(t, 'int32'), [x], [1]);
    expectLikeLoop((t) => cast(t, 'float32'), [intsIn([3, 2], -5, 5)], [-1]);
    expectLikeLoop((t) => cast(t, 'float32'), [bools([2, 3])], [0]);
    expectLikeLoop((t) => bitcast(t, 'int32'), [x], [1]);
    expectLikeLoop((t) => bitcast(bitcast(t, 'int32'), 'float32'), [x], [0]);
    expectLikeLoop((t) => lax.stopGradient(t), [x], [1]);
  });

  test('stopGradient under vmap still blocks the gradient', () => {
    const g = grad((x: Tensor) => vmap((u: Tensor) => u.mul(lax.stopGradient(u)))(x).sum());
    expectClose(
      g(
        numpy.array([
          [1, 2],
          [3, 4],
        ]),
      ),
      [1, 2, 3, 4],
      [2, 2],
    );
  });

  // One example: a [4] row against an unbatched [2, 1] weight, through broadcasting binary ops.
  const model = (x: Tensor, w: Tensor): Tensor => {
    const z = binary('mul', x, w);
    const smooth = unary('tanh', z);
    const mixed = binary('atan2', unary('sigmoid', x), binary('add', w, unary('exp', w)));
    const powered = binary('pow', binary('add', unary('square', x), w.mul(0).add(1)), w);
    return where(
      z.gt(0),
      smooth.add(mixed),
      binary('div', powered, binary('max', z, unary('neg', z)).add(1)),
    );
  };

  test('vmap of grad gives per-example gradients, for batched and unbatched arguments', () => {
    const xs = floats([3, 4]);
    const w = floats([2, 1], 0.5, 1.5);
    const loss = (x: Tensor, v: Tensor) => model(x, v).sum();
    expectLikeLoop(grad(loss), [xs, w], [0, null], entry.rtol);
    expectLikeLoop(grad(loss, { argnums: 1 }), [xs, w], [0, null], entry.rtol);
    expectLikeLoop(grad(loss, { argnums: 1 }), [xs.transpose(), w], [1, null], entry.rtol);
  });

  test('grad of vmap agrees with finite differences', () => {
    checkGrads(
      (xs, w) => vmap(model, { inAxes: [1, null] })(xs, w),
      [floats([4, 3]), floats([2, 1], 0.5, 1.5)],
    );
  });

  test.each(UNARY.filter((op) => primitives().get(op)!.vjp))(
    'grad of vmapped %s (batch axis 1)',
    (op) => {
      checkGrads(
        (x) => vmap((t: Tensor) => unary(op, t), { inAxes: 1 })(x),
        [unarySample(op, [2, 3])],
      );
    },
  );

  test.each(BINARY.filter((op) => primitives().get(op)!.vjp))(
    'grad of vmapped %s with an unbatched operand of higher rank',
    (op) => {
      const a = op === 'pow' ? floats([2, 3], 0.5, 2) : floats([2, 3], -1, 1);
      const b = ['div', 'rem'].includes(op)
        ? awayFromZero([3, 1], rand, 1.5, 3)
        : floats([3, 1], -1, 1);
      checkGrads(
        (x, y) => vmap((s: Tensor, t: Tensor) => binary(op, s, t), { inAxes: [1, null] })(x, y),
        [a, b],
      );
    },
  );

  test('nested vmap over two axes, with an operand mapped only by the inner one', () => {
    const inner = vmap((x: Tensor, y: Tensor) => binary('sub', x, y), { inAxes: [1, 0] });
    expectLikeLoop(inner, [floats([2, 3, 4]), floats([3, 2])], [2, null]);
    expectLikeLoop(inner, [floats([2, 3, 4]), floats([3, 4, 2])], [-1, 1]);
    const whereInner = vmap((c: Tensor, x: Tensor) => where(c, x, unary('neg', x)), {
      inAxes: [0, null],
    });
    expectLikeLoop(whereInner, [bools([4, 2, 3]), floats([2, 3])], [1, null]);
  });

  test('integer ops keep exact values', () => {
    const a = ints([5, -7, 1 << 30, -1, 12, 3], [2, 3]);
    const shifts = ints([1, 31, 2], [3]);
    expectLikeLoop((x, s) => binary('shiftRightLogical', x, s), [a, shifts], [0, null], 0);
    expectLikeLoop((x, s) => binary('shiftLeft', x, s), [a, shifts], [1, 0], 0);
  });
});
