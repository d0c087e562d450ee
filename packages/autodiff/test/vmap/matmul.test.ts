/**
 * The batching rule of `matmul`: `vmap` equals a loop over examples for batch axes anywhere (the
 * matrix dimensions included), transposed operands, batch dimensions that broadcast (an unbatched
 * operand of higher rank than the batched one among them), gradients in both orders, and nesting.
 */
import type { Tensor } from '../../src/index.js';
import { grad, numpy, vmap } from '../../src/index.js';
import { matmul } from '../../src/primitives/matmul.js';
import { type Axis, type Fn, exampleOf, expectSame, expectLikeLoop } from '../helpers/vmap.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { checkGrads, randomSource } from '../helpers/check-grads.js';
import { uniform } from '../helpers/samples.js';

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const rand = randomSource(11);
  const floats = (shape: number[]) => uniform(shape, rand, -1, 1);
  const product: Fn = (a, b) => matmul(a, b);

  // [shape of a, its batch axis, shape of b, its batch axis]; B = 3 throughout.
  const CASES: [number[], Axis, number[], Axis][] = [
    [[3, 2, 4], 0, [3, 4, 5], 0], // both batched in front
    [[2, 3, 4], 1, [4, 5], null], // batch between the rows and columns of a
    [[2, 4], null, [4, 5, 3], -1], // batch last in b
    [[2, 4, 3], 2, [4, 3, 5], 1], // both in matrix dimensions, different places
    [[3, 2, 4], 0, [6, 4, 5], null], // unbatched operand of higher rank: [2, 4] @ [6, 4, 5]
    [[6, 2, 4], null, [3, 4, 5], 0], // ... on the left
    [[2, 3, 1, 2, 4], 1, [6, 4, 5], null], // batch dims [2, 1, .] against [6]: [2, 6, 2, 5] each
    [[3, 6, 2, 4], 0, [2, 1, 3, 4, 5], 2], // both batched, batch dims [6] and [2, 1]
  ];

  test.each(CASES)('a %j at %j, b %j at %j', (sa, da, sb, db) => {
    expectLikeLoop(product, [floats(sa), floats(sb)], [da, db], entry.rtol);
  });

  test.each([
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA %j, transposeB %j', (transposeA, transposeB) => {
    const f: Fn = (a, b) => matmul(a, b, { transposeA, transposeB });
    const a = floats(transposeA ? [4, 3, 2] : [2, 3, 4]); // [2, 4] or [4, 2] per example, batch at 1
    const b = floats(transposeB ? [5, 4, 3] : [4, 5, 3]); // batch last
    expectLikeLoop(f, [a, b], [1, -1], entry.rtol);
    expectLikeLoop(f, [a, exampleOf(b, -1, 0)], [1, null], entry.rtol);
    expectLikeLoop(f, [floats([6, ...a.shape]), b], [2, -1], entry.rtol); // a of batch dims [6]
  });

  test('numpy.matmul of per-example vectors and matrices', () => {
    expectLikeLoop(
      (v, m) => numpy.matmul(v, m),
      [floats([3, 4]), floats([4, 2])],
      [0, null],
      entry.rtol,
    );
    expectLikeLoop(
      (m, v) => numpy.matmul(m, v),
      [floats([2, 4]), floats([4, 3])],
      [null, 1],
      entry.rtol,
    );
  });

  // One example: a [2, 4] input through a [4, 3] weight to a scalar.
  const loss = (x: Tensor, w: Tensor): Tensor => matmul(x, w).square().sum();

  test('vmap of grad gives per-example gradients of both operands', () => {
    const [xs, w, ws] = [floats([3, 2, 4]), floats([4, 3]), floats([4, 3, 3])];
    expectLikeLoop(grad(loss), [xs, w], [0, null], entry.rtol);
    expectLikeLoop(grad(loss, { argnums: 1 }), [xs, w], [0, null], entry.rtol);
    expectLikeLoop(grad(loss, { argnums: 1 }), [xs, ws], [0, -1], entry.rtol);
    expectLikeLoop(grad(loss), [floats([2, 4]), ws], [null, 2], entry.rtol);
  });

  test('grad of vmap agrees with finite differences', () => {
    checkGrads(
      (xs, w) => vmap(loss, { inAxes: [1, null] })(xs, w),
      [floats([2, 3, 4]), floats([4, 3])],
    );
    checkGrads(
      (xs, ws) => vmap(product, { inAxes: [0, 2] })(xs, ws),
      [floats([3, 2, 4]), floats([4, 5, 3])],
    );
    checkGrads(
      (x, ws) => vmap(product, { inAxes: [null, 0] })(x, ws),
      [floats([6, 2, 4]), floats([3, 4, 5])],
    );
  });

  test('nested vmap: an operand mapped by the outer vmap only', () => {
    const inner = vmap(product, { inAxes: [0, null] });
    expectLikeLoop(inner, [floats([2, 3, 2, 4]), floats([4, 3, 5])], [1, 1], entry.rtol);
    expectLikeLoop(inner, [floats([3, 2, 4, 2]), floats([4, 5])], [-1, null], entry.rtol);
    const outer = vmap(vmap(product, { inAxes: [null, 1] }), { inAxes: [2, 0] });
    const [a, b] = [floats([2, 4, 3]), floats([3, 4, 2, 5])];
    const looped = numpy.stack(
      [0, 1, 2].map((i) =>
        numpy.stack(
          [0, 1].map((j) => product(exampleOf(a, 2, i), exampleOf(exampleOf(b, 0, i), 1, j))),
        ),
      ),
    );
    expectSame(outer(a, b), looped, entry.rtol);
  });
});
