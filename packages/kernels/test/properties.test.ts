// Property tests (fast-check) of broadcasting, layout ops, and the adjoint identities between forward
// and backward kernels, on every backend of the conformance list. Shapes stay small.
import fc from 'fast-check';
import { BINARY_OPS, type BinaryOp, type DType } from '../src/index.js';
import { binaryRef } from './reference/elementwise.js';
import { convShapeRef, convRef, type ConvRefOptions } from './reference/conv.js';
import { absRef, broadcastShape, fromTyped, sizeOfShape, type Ref } from './reference/ndarray.js';
import { gatherRef, inversePerm, scatterAddRef } from './reference/layout.js';
import { poolShapeRef, type PoolRefOptions } from './reference/pool.js';
import { prng, randomFloats, randomInts, randomOf } from './reference/random.js';
import {
  LAYOUTS,
  expectArray,
  fetch,
  forEachBackend,
  put,
  type Conformance,
} from './conformance/helpers.js';

const RUNS = { numRuns: 25 };
const dimArb = fc.integer({ min: 0, max: 4 });
const shapeArb = fc.array(dimArb, { maxLength: 4 });
const layoutArb = fc.constantFrom(...LAYOUTS);

/** Two shapes that broadcast together: an output shape, each operand a suffix with some dims set to 1. */
const broadcastPairArb = shapeArb.chain((out) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([da, db, ma, mb]) => [
      out.slice(da).map((n, i) => (ma[da + i] ? 1 : n)),
      out.slice(db).map((n, i) => (mb[db + i] ? 1 : n)),
    ]),
);

const binaryCaseArb = fc.constantFrom(
  ...Object.entries(BINARY_OPS).flatMap(([op, spec]) =>
    Object.keys(spec.js).map((d) => [op as BinaryOp, d as DType] as const),
  ),
);

/** Sum of elementwise products in float64, and the same over absolute values (for a tolerance). */
function dot(a: Ref, b: Ref): [number, number] {
  let s = 0;
  let m = 0;
  for (let i = 0; i < a.data.length; i++) {
    s += a.data[i]! * b.data[i]!;
    m += Math.abs(a.data[i]! * b.data[i]!);
  }
  return [s, m];
}

async function read(ctx: Conformance, x: Parameters<Conformance['be']['read']>[0]): Promise<Ref> {
  return fromTyped(await ctx.be.read(x), x.shape, x.dtype);
}

/** Checks that two inner products agree to a relative error that grows with the number of terms. */
function expectAdjoint(
  ctx: Conformance,
  lhs: number,
  rhs: number,
  mag: number,
  terms: number,
): void {
  const bound = ctx.tol.atol + ctx.tol.rtol * 4 * (terms + 1) * mag;
  expect({ lhs, rhs, close: Math.abs(lhs - rhs) <= bound }).toEqual({
    lhs,
    rhs: expect.any(Number) as unknown,
    close: true,
  });
}

forEachBackend((ctx) => {
  it('binary ops broadcast like the reference for random compatible shapes and layouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        binaryCaseArb,
        broadcastPairArb,
        layoutArb,
        layoutArb,
        fc.nat(),
        async ([op, dtype], [sa, sb], la, lb, seed) => {
          const rng = prng(seed);
          const a = randomOf(rng, sa!, dtype);
          const b = randomOf(rng, sb!, dtype);
          expect(broadcastShape(sa!, sb!)).toBeDefined();
          await expectArray(
            ctx.be,
            ctx.be.binary(op, put(ctx.be, a, la), put(ctx.be, b, lb)),
            binaryRef(op, a, b),
            ctx.tol,
          );
        },
      ),
      RUNS,
    );
  });

  it('transposing by a permutation and then by its inverse is the identity', async () => {
    const permArb = shapeArb.chain((shape) =>
      fc
        .shuffledSubarray(
          shape.map((_, i) => i),
          { minLength: shape.length, maxLength: shape.length },
        )
        .map((perm) => [shape, perm] as const),
    );
    await fc.assert(
      fc.asyncProperty(permArb, layoutArb, fc.nat(), async ([shape, perm], layout, seed) => {
        const x = randomInts(prng(seed), shape);
        const t = ctx.be.transpose(put(ctx.be, x, layout), perm);
        expect(t.shape).toEqual(perm.map((p) => shape[p]));
        await expectArray(ctx.be, ctx.be.transpose(t, inversePerm(perm)), x, ctx.tol);
      }),
      RUNS,
    );
  });

  it('reshaping to any shape of the same size and back is the identity', async () => {
    const reshapeArb = fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }),
      )
      .map(([f, g]) => {
        // Two factorisations of one size: [f..., g...] and [g..., f...] reordered and merged.
        const shape = [...f, ...g];
        const other = [sizeOfShape(g), ...f];
        return [shape, other] as const;
      });
    await fc.assert(
      fc.asyncProperty(reshapeArb, layoutArb, fc.nat(), async ([shape, other], layout, seed) => {
        const x = randomInts(prng(seed), shape);
        const r = ctx.be.reshape(put(ctx.be, x, layout), other);
        expect(r.shape).toEqual(other);
        await expectArray(ctx.be, ctx.be.reshape(r, shape), x, ctx.tol);
      }),
      RUNS,
    );
  });

  it('concatenating the slices of a partition along an axis rebuilds the array', async () => {
    const caseArb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
      .chain((shape) =>
        fc
          .tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }))
          .chain(([s, axis]) =>
            fc.tuple(
              fc.constant(s),
              fc.constant(axis),
              fc.array(fc.integer({ min: 0, max: s[axis]! }), { maxLength: 3 }),
            ),
          ),
      );
    await fc.assert(
      fc.asyncProperty(caseArb, layoutArb, fc.nat(), async ([shape, axis, cuts], layout, seed) => {
        const x = randomInts(prng(seed), shape);
        const a = put(ctx.be, x, layout);
        const bounds = [0, ...[...cuts].sort((p, q) => p - q), shape[axis]!];
        const parts = bounds.slice(1).map((hi, i) => {
          const start = shape.map((_, d) => (d === axis ? bounds[i]! : 0));
          const limit = shape.map((n, d) => (d === axis ? hi : n));
          return ctx.be.slice(a, start, limit);
        });
        await expectArray(ctx.be, ctx.be.concat(parts, axis), x, ctx.tol);
      }),
      RUNS,
    );
  });

  it('padding each slice of a partition back to full size and summing rebuilds the array', async () => {
    const caseArb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
      .chain((shape) =>
        fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.nat()),
      );
    await fc.assert(
      fc.asyncProperty(caseArb, async ([shape, axis, k]) => {
        const x = randomInts(prng(k), shape);
        const a = put(ctx.be, x, 'strided');
        const cut = k % (shape[axis]! + 1);
        const lo = shape.map((_, d) => (d === axis ? cut : 0));
        const pieces = [
          ctx.be.pad(
            ctx.be.slice(
              a,
              shape.map(() => 0),
              shape.map((n, d) => (d === axis ? cut : n)),
            ),
            shape.map(() => 0),
            shape.map((n, d) => (d === axis ? n - cut : 0)),
            0,
          ),
          ctx.be.pad(
            ctx.be.slice(a, lo, shape),
            lo,
            shape.map(() => 0),
            0,
          ),
        ];
        await expectArray(ctx.be, ctx.be.binary('add', pieces[0]!, pieces[1]!), x, ctx.tol);
      }),
      RUNS,
    );
  });

  it('gather and scatterAdd are adjoint: <gather(x), u> = <x, scatterAdd(u)>', async () => {
    const caseArb = fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.array(dimArb, { maxLength: 2 }),
        fc.nat(),
      )
      .chain(([shape, ishape, seed]) =>
        fc.tuple(
          fc.constant(shape),
          fc.constant(ishape),
          fc.integer({ min: 0, max: shape.length - 1 }),
          fc.constant(seed),
        ),
      );
    await fc.assert(
      fc.asyncProperty(caseArb, layoutArb, async ([shape, ishape, axis, seed], layout) => {
        const rng = prng(seed);
        const n = shape[axis]!;
        const x = randomFloats(rng, shape);
        const idx = randomInts(rng, ishape, -2 * n, 2 * n);
        const ushape = [...shape.slice(0, axis), ...ishape, ...shape.slice(axis + 1)];
        const u = randomFloats(rng, ushape);
        const g = await read(ctx, ctx.be.gather(put(ctx.be, x, layout), put(ctx.be, idx), axis));
        const s = await read(
          ctx,
          ctx.be.scatterAdd(put(ctx.be, u, layout), put(ctx.be, idx), axis, n),
        );
        const [lhs, mag] = dot(gatherRef(x, idx, axis), u);
        expect(g.shape).toEqual(ushape);
        expectAdjoint(ctx, dot(g, u)[0], lhs, mag, 1);
        expectAdjoint(
          ctx,
          dot(x, s)[0],
          lhs,
          dot(absRef(x), scatterAddRef(absRef(u), idx, axis, n))[0],
          sizeOfShape(ishape),
        );
      }),
      RUNS,
    );
  });

  const convArb = fc
    .record({
      nd: fc.integer({ min: 1, max: 2 }),
      batch: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 2 }),
      cin: fc.integer({ min: 1, max: 2 }),
      cout: fc.integer({ min: 1, max: 2 }),
      size: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 2 }),
      kernel: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 2 }),
      strides: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
      dilation: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
      padding: fc.oneof(
        fc.constant<'SAME' | 'VALID'>('SAME'),
        fc.constant<'SAME' | 'VALID'>('VALID'),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
          minLength: 2,
          maxLength: 2,
        }),
      ),
      seed: fc.nat(),
    })
    .map((c) => {
      const cut = <T>(v: readonly T[]) => v.slice(0, c.nd);
      const options: ConvRefOptions = {
        strides: cut(c.strides),
        dilation: cut(c.dilation),
        groups: c.groups,
        padding: typeof c.padding === 'string' ? c.padding : cut(c.padding),
      };
      const xShape = [c.batch, c.cin * c.groups, ...cut(c.size)];
      const wShape = [c.cout * c.groups, c.cin, ...cut(c.kernel)];
      return { xShape, wShape, options, seed: c.seed };
    });

  it('conv backward kernels are adjoints of conv: <conv(x, w), dy> = <x, dx> = <w, dw>', async () => {
    await fc.assert(
      fc.asyncProperty(convArb, async ({ xShape, wShape, options, seed }) => {
        const rng = prng(seed);
        const x = randomFloats(rng, xShape);
        const w = randomFloats(rng, wShape);
        const dy = randomFloats(rng, convShapeRef(xShape, wShape, options));
        const y = await read(ctx, ctx.be.conv(put(ctx.be, x), put(ctx.be, w), options));
        const dx = await read(
          ctx,
          ctx.be.convBackwardInput(put(ctx.be, dy), put(ctx.be, w), xShape, options),
        );
        const dw = await read(
          ctx,
          ctx.be.convBackwardFilter(put(ctx.be, x), put(ctx.be, dy), wShape, options),
        );
        const [yDy] = dot(y, dy);
        // Every identity is the same triple sum over (x, w, dy) taps; bound it by the absolute version.
        const [mag] = dot(convRef(absRef(x), absRef(w), options), absRef(dy));
        const terms = sizeOfShape(wShape) + sizeOfShape(dy.shape);
        expectAdjoint(ctx, yDy, dot(x, dx)[0], mag, terms);
        expectAdjoint(ctx, yDy, dot(w, dw)[0], mag, terms);
      }),
      RUNS,
    );
  });

  it('pool backward kernels are adjoint to pooling: <pool(x), dy> = <x, poolBackward(dy, x)>', async () => {
    const poolArb = fc.record({
      op: fc.constantFrom('max' as const, 'avg' as const),
      size: fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 1, maxLength: 3 }),
      seed: fc.nat(),
      same: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(poolArb, async ({ op, size, seed, same }) => {
        const rng = prng(seed);
        const options: PoolRefOptions = {
          window: size.map((n) => 1 + (seed % n)),
          strides: size.map((_, d) => 1 + ((seed >> d) % 2)),
          padding: same ? 'SAME' : 'VALID',
        };
        const xShape = [2, 2, ...size];
        const x = randomFloats(rng, xShape);
        const dy = randomFloats(rng, poolShapeRef(xShape, options));
        const y = await read(ctx, ctx.be.pool(op, put(ctx.be, x), options));
        const dx = await read(
          ctx,
          ctx.be.poolBackward(op, put(ctx.be, dy), put(ctx.be, x), options),
        );
        // Max pooling picks one element per window, so it is linear in x for the picks it made.
        const [yDy, mag] = dot(y, dy);
        expectAdjoint(
          ctx,
          yDy,
          dot(x, dx)[0],
          mag + dot(absRef(x), absRef(dx))[1],
          sizeOfShape(options.window),
        );
      }),
      RUNS,
    );
  });

  it('broadcasting then summing over the new axes multiplies by their size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        async (shape, lead, seed) => {
          const x = randomInts(prng(seed), shape, -100, 100);
          const b = ctx.be.broadcastTo(put(ctx.be, x), [lead, ...shape]);
          const s = await fetch(ctx.be, ctx.be.reduce('sum', b, [0]));
          expect(Array.from(s.data)).toEqual(Array.from(x.data, (v) => (v * lead) | 0));
        },
      ),
      RUNS,
    );
  });

  it('cast int32 to float32 and back is the identity below 2^24', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -(2 ** 24), max: 2 ** 24 }), { maxLength: 20 }),
        async (values) => {
          const x = ctx.be.upload(Int32Array.from(values), [values.length]);
          const back = await fetch(ctx.be, ctx.be.cast(ctx.be.cast(x, 'float32'), 'int32'));
          expect(Array.from(back.data)).toEqual(values);
        },
      ),
      RUNS,
    );
  });
});
