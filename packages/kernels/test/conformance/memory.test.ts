// upload, full, iota, read, readSync and release.
import { KernelError, type BackendArray, type DType } from '../../src/index.js';
import { convRef } from '../reference/conv.js';
import { castValue } from '../reference/elementwise.js';
import { absRef, fromFn, refOf, toTyped } from '../reference/ndarray.js';
import { prng, randomOf } from '../reference/random.js';
import { expectArray, fetch, forEachBackend } from './helpers.js';

const DTYPES: DType[] = ['float32', 'int32', 'bool'];
const SHAPES = [[], [1], [5], [2, 3], [2, 0, 3], [0], [2, 1, 3, 2]];

forEachBackend((ctx) => {
  describe('upload and read', () => {
    it.each(DTYPES.flatMap((d) => SHAPES.map((s) => [d, s] as const)))(
      'round-trips %s %j',
      async (dtype, shape) => {
        const x = randomOf(prng(7), shape, dtype);
        const a = ctx.be.upload(toTyped(x), shape);
        await expectArray(ctx.be, a, x, ctx.tol);
      },
    );

    it('keeps float32 special values bit for bit', async () => {
      const values = [
        NaN,
        Infinity,
        -Infinity,
        -0,
        0,
        Math.fround(1e-45),
        3.4028234663852886e38,
        -1.5,
      ];
      const data = await ctx.be.read(ctx.be.upload(new Float32Array(values), [8]));
      expect(Array.from(data)).toEqual(values);
      expect(Object.is(data[3], -0)).toBe(true);
    });

    it('keeps int32 extremes', async () => {
      const values = [-2147483648, 2147483647, -1, 0];
      expect(Array.from(await ctx.be.read(ctx.be.upload(new Int32Array(values), [2, 2])))).toEqual(
        values,
      );
    });

    it('reads any nonzero byte of a bool upload as true (1)', async () => {
      const data = await ctx.be.read(ctx.be.upload(new Uint8Array([0, 1, 2, 255]), [4]));
      expect(data).toBeInstanceOf(Uint8Array);
      expect(Array.from(data)).toEqual([0, 1, 1, 1]);
    });

    it('copies the uploaded data', async () => {
      const source = new Float32Array([1, 2, 3]);
      const a = ctx.be.upload(source, [3]);
      source[0] = 100;
      expect(Array.from(await ctx.be.read(a))).toEqual([1, 2, 3]);
    });

    it('returns a fresh copy on each read', async () => {
      const a = ctx.be.upload(new Int32Array([1, 2, 3]), [3]);
      const first = await ctx.be.read(a);
      first[0] = 100;
      expect(Array.from(await ctx.be.read(a))).toEqual([1, 2, 3]);
    });

    it('reports shape, dtype, size and backend', () => {
      const a = ctx.be.upload(new Uint8Array(6), [2, 3]);
      expect({ shape: a.shape, dtype: a.dtype, size: a.size }).toEqual({
        shape: [2, 3],
        dtype: 'bool',
        size: 6,
      });
      expect(a.backend).toBe(ctx.be);
    });

    it('readSync, where the backend has it, agrees with read', async () => {
      const a = ctx.be.upload(new Float32Array([1.5, -2, 3]), [3]);
      const read = await ctx.be.read(a);
      if (ctx.be.readSync === undefined) expect(read).toBeInstanceOf(Float32Array);
      else expect(ctx.be.readSync(a)).toEqual(read);
    });
  });

  describe('full', () => {
    const cases: [number[], number, DType][] = [
      [[2, 3], 1.5, 'float32'],
      [[], -0.1, 'float32'],
      [[4], Infinity, 'float32'],
      [[3], NaN, 'float32'],
      [[0, 2], 4, 'float32'],
      [[2, 2], 2.7, 'int32'],
      [[3], -2.7, 'int32'],
      [[2], NaN, 'int32'],
      [[], -2147483648, 'int32'],
      // Out of range saturates, as cast does.
      [[2], 3e9, 'int32'],
      [[2], -3e9, 'int32'],
      [[2], Infinity, 'int32'],
      [[2], -Infinity, 'int32'],
      [[2], 2.5, 'int32'],
      [[2], -2.5, 'int32'],
      [[2], 0.5, 'bool'],
      [[2], 0, 'bool'],
      [[2], NaN, 'bool'],
      [[1, 0], 1, 'bool'],
    ];
    it.each(cases)('fills %j with %p as %s', async (shape, value, dtype) => {
      const want = fromFn(shape, dtype, () => castValue(value, dtype));
      await expectArray(ctx.be, ctx.be.full(shape, value, dtype), want, ctx.tol);
    });
  });

  describe('iota', () => {
    const cases: [number[], number, DType][] = [
      [[5], 0, 'float32'],
      [[5], 0, 'int32'],
      [[2, 3, 4], 0, 'int32'],
      [[2, 3, 4], 1, 'float32'],
      [[2, 3, 4], 2, 'int32'],
      [[3, 0], 0, 'int32'],
      [[0, 3], 1, 'float32'],
    ];
    it.each(cases)('counts along %j axis %i as %s', async (shape, axis, dtype) => {
      const want = fromFn(shape, dtype, (index) => index[axis]!);
      await expectArray(ctx.be, ctx.be.iota(shape, axis, dtype), want, ctx.tol);
    });
  });

  describe('release', () => {
    it('makes the released array unusable and leaves others alone', async () => {
      const a = ctx.be.upload(new Float32Array([1, 2]), [2]);
      const b = ctx.be.upload(new Float32Array([3, 4]), [2]);
      expect(ctx.be.release(a)).toBeUndefined();
      await expect(ctx.be.read(a)).rejects.toThrow(KernelError);
      expect(Array.from(await ctx.be.read(b))).toEqual([3, 4]);
    });

    it('leaves arrays computed from the released one intact', async () => {
      const a = ctx.be.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
      const b = ctx.be.unary('neg', a);
      ctx.be.release(a);
      await expectArray(ctx.be, b, refOf([2, 2], 'float32', [-1, -2, -3, -4]), ctx.tol);
    });
  });

  it('no kernel writes to its inputs', async () => {
    const rng = prng(11);
    const x = randomOf(rng, [1, 2, 4, 4], 'float32');
    const w = randomOf(rng, [3, 2, 3, 3], 'float32');
    const idx = refOf([3], 'int32', [0, 0, -1]);
    const [a, b, i] = [x, w, idx].map((r) => ctx.be.upload(toTyped(r), r.shape)) as [
      BackendArray,
      BackendArray,
      BackendArray,
    ];
    const m = ctx.be.reshape(a, [4, 8]);
    ctx.be.unary('exp', a);
    ctx.be.binary('mul', a, a);
    ctx.be.where(ctx.be.binary('gt', a, a), a, a);
    ctx.be.cast(a, 'int32');
    ctx.be.bitcast(a, 'int32');
    ctx.be.reduce('sum', a, [1, 2]);
    ctx.be.argReduce('argmax', a, 3);
    ctx.be.cumsum(a, 2, true);
    ctx.be.pad(a, [0, 0, 1, 1], [0, 0, 1, 1], 0, [0, 0, 1, 1]);
    ctx.be.concat([a, a], 0);
    ctx.be.gather(a, i, 2);
    ctx.be.scatterAdd(ctx.be.slice(a, [0, 0, 0, 0], [1, 2, 3, 4]), i, 2, 4);
    ctx.be.matmul(m, m, { transposeB: true });
    ctx.be.conv(a, b, { padding: 'SAME' });
    const y = ctx.be.conv(a, b);
    ctx.be.convBackwardInput(y, b, x.shape);
    ctx.be.convBackwardFilter(a, y, w.shape);
    ctx.be.pool('max', a, { window: [2, 2] });
    ctx.be.poolBackward('avg', ctx.be.pool('avg', a, { window: [2, 2] }), a, { window: [2, 2] });
    await expectArray(ctx.be, a, x, ctx.tol, { label: 'x' });
    await expectArray(ctx.be, b, w, ctx.tol, { label: 'w' });
    await expectArray(ctx.be, i, idx, ctx.tol, { label: 'indices' });
    await expectArray(ctx.be, y, convRef(x, w), ctx.tol, {
      label: 'y',
      terms: 18,
      mag: convRef(absRef(x), absRef(w)),
    });
  });

  it('runs a scalar through several kernels', async () => {
    const x = ctx.be.full([], 3, 'float32');
    const y = ctx.be.binary('mul', x, ctx.be.unary('neg', x));
    expect(y.shape).toEqual([]);
    expect((await fetch(ctx.be, y)).data[0]).toBe(-9);
  });
});
