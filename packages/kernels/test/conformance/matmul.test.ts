// matmul: rank 2, batched with broadcasting, transposed operands, strided views, empty and blocked sizes.
import { absRef, type Ref } from '../reference/ndarray.js';
import { matmulRef, type MatmulRefOptions } from '../reference/matmul.js';
import { broadcastToRef } from '../reference/layout.js';
import { prng, randomFloats } from '../reference/random.js';
import {
  LAYOUTS,
  expectArray,
  fetch,
  forEachBackend,
  testParallelJobs,
  put,
  type Conformance,
  type Layout,
} from './helpers.js';

/** Stores `a` transposed when the option asks for it, so the kernel sees the logical operand. */
function operand(shape: number[], transpose: boolean | undefined): number[] {
  if (!transpose) return shape;
  const s = [...shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1]!, s[s.length - 2]!];
  return s;
}

async function check(
  ctx: Conformance,
  a: Ref,
  b: Ref,
  options: MatmulRefOptions,
  layouts: [Layout, Layout] = ['contiguous', 'contiguous'],
  label = '',
): Promise<void> {
  const k = options.transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const got = ctx.be.matmul(put(ctx.be, a, layouts[0]), put(ctx.be, b, layouts[1]), options);
  await expectArray(ctx.be, got, matmulRef(a, b, options), ctx.tol, {
    label: `${label} ${layouts.join('/')} ${JSON.stringify(options)}`,
    terms: k,
    mag: matmulRef(absRef(a), absRef(b), options),
  });
}

/** [a shape, b shape] as the kernel sees them without transposition. */
const SHAPES: [number[], number[]][] = [
  [
    [3, 4],
    [4, 5],
  ],
  [
    [1, 1],
    [1, 1],
  ],
  [
    [1, 7],
    [7, 1],
  ],
  [
    [5, 1],
    [1, 6],
  ],
  [
    [2, 3, 4],
    [2, 4, 5],
  ],
  [
    [2, 1, 3, 4],
    [5, 4, 6],
  ],
  [
    [3, 4],
    [2, 4, 2],
  ],
  [
    [2, 3, 4],
    [4, 2],
  ],
  [
    [0, 4],
    [4, 3],
  ],
  [
    [3, 0],
    [0, 2],
  ],
  [
    [3, 4],
    [4, 0],
  ],
  [
    [0, 2, 3],
    [3, 2],
  ],
];

forEachBackend((ctx) => {
  describe('matmul', () => {
    it.each(SHAPES)('%j @ %j with every transpose option', async (sa, sb) => {
      const rng = prng(sa.length * 10 + sb.length);
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const options = { transposeA, transposeB };
          const a = randomFloats(rng, operand(sa, transposeA));
          const b = randomFloats(rng, operand(sb, transposeB));
          await check(ctx, a, b, options);
        }
      }
    });

    it.each(LAYOUTS)('takes %s views of both operands', async (layout) => {
      const rng = prng(layout.length);
      for (const [sa, sb] of [
        [
          [5, 7],
          [7, 6],
        ],
        [
          [2, 3, 4],
          [2, 4, 5],
        ],
        [
          [2, 1, 3, 4],
          [5, 4, 6],
        ],
      ]) {
        await check(ctx, randomFloats(rng, sa!), randomFloats(rng, sb!), {}, [layout, layout]);
        await check(
          ctx,
          randomFloats(rng, operand(sa!, true)),
          randomFloats(rng, operand(sb!, true)),
          { transposeA: true, transposeB: true },
          [layout, 'transposed'],
        );
      }
    });

    it('takes a batch-broadcast view (stride 0) as an operand', async () => {
      const rng = prng(9);
      const a = randomFloats(rng, [1, 3, 4]);
      const b = randomFloats(rng, [2, 4, 5]);
      const wide = ctx.be.broadcastTo(put(ctx.be, a), [2, 3, 4]);
      const got = ctx.be.matmul(wide, put(ctx.be, b));
      const want = matmulRef(broadcastToRef(a, [2, 3, 4]), b);
      await expectArray(ctx.be, got, want, ctx.tol, {
        terms: 4,
        mag: matmulRef(absRef(broadcastToRef(a, [2, 3, 4])), absRef(b)),
      });
    });

    it('multiplies sizes around and above the blocking sizes', async () => {
      const rng = prng(64);
      for (const [m, k, n] of [
        [63, 64, 65],
        [67, 129, 71],
        [1, 300, 2],
        [130, 3, 1],
      ]) {
        await check(
          ctx,
          randomFloats(rng, [m!, k!]),
          randomFloats(rng, [k!, n!]),
          {},
          undefined,
          `${m}x${k}x${n}`,
        );
      }
      await check(
        ctx,
        randomFloats(rng, [70, 67]),
        randomFloats(rng, [66, 70]),
        { transposeA: true, transposeB: true },
        ['transposed', 'strided'],
        '67x70x66',
      );
    });

    // The WebGPU kernel reads an operand as vec4s when its stored rows (K for A, N for B; M for A and K
    // for B when transposed) are a multiple of 4, and element by element otherwise. Every mix of the
    // two, each transposed or not, batched with broadcasting, with K over one staging depth (16).
    const ROW_LENGTHS = [36, 7].flatMap((m) =>
      [20, 18].flatMap((k) => [12, 9].map((n) => [m, k, n] as const)),
    );
    it.each(ROW_LENGTHS)(
      'M=%i K=%i N=%i batched, with rows of a multiple of 4 or not',
      async (m, k, n) => {
        const rng = prng(m * k * n);
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            await check(
              ctx,
              randomFloats(rng, operand([2, 1, m, k], transposeA)),
              randomFloats(rng, operand([3, k, n], transposeB)),
              { transposeA, transposeB },
              undefined,
              `${m}x${k}x${n}`,
            );
          }
        }
      },
    );

    it('gives zeros for K = 0 and the hand-derived 2x2 product', async () => {
      const z = ctx.be.matmul(ctx.be.full([2, 0], 1, 'float32'), ctx.be.full([0, 3], 1, 'float32'));
      expect(z.shape).toEqual([2, 3]);
      expect(Array.from((await fetch(ctx.be, z)).data)).toEqual([0, 0, 0, 0, 0, 0]);
      const a = ctx.be.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
      expect(Array.from((await fetch(ctx.be, ctx.be.matmul(a, a))).data)).toEqual([7, 10, 15, 22]);
      expect(
        Array.from((await fetch(ctx.be, ctx.be.matmul(a, a, { transposeA: true }))).data),
      ).toEqual([10, 14, 14, 20]);
    });
  });

  testParallelJobs(ctx);
});
