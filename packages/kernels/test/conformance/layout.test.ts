// reshape, transpose, broadcastTo, slice, concat and pad, on contiguous and non-contiguous inputs.
import type { DType } from '../../src/index.js';
import {
  broadcastToRef,
  concatRef,
  padRef,
  reshapeRef,
  sliceRef,
  transposeRef,
} from '../reference/layout.js';
import { fromFn, refOf } from '../reference/ndarray.js';
import { prng, randomOf } from '../reference/random.js';
import { LAYOUTS, expectArray, fetch, forEachBackend, put } from './helpers.js';

const DTYPES: DType[] = ['float32', 'int32', 'bool'];

forEachBackend((ctx) => {
  describe('reshape', () => {
    const cases: [number[], number[]][] = [
      [
        [2, 3, 4],
        [6, 4],
      ],
      [[2, 3, 4], [24]],
      [
        [2, 3, 4],
        [4, 1, 3, 2],
      ],
      [[6], [1, 6, 1]],
      [[1], []],
      [[], [1, 1]],
      [
        [2, 0, 3],
        [0, 5],
      ],
      [[0], [3, 0]],
    ];
    it.each(cases)('%j to %j, every dtype and layout', async (from, to) => {
      for (const dtype of DTYPES) {
        for (const layout of LAYOUTS) {
          const x = randomOf(prng(from.length), from, dtype);
          await expectArray(
            ctx.be,
            ctx.be.reshape(put(ctx.be, x, layout), to),
            reshapeRef(x, to),
            ctx.tol,
            {
              label: `${dtype} ${layout}`,
            },
          );
        }
      }
    });

    it('reshapes a transposed view by its logical (row-major) order', async () => {
      const x = refOf([2, 3], 'int32', [0, 1, 2, 3, 4, 5]);
      const t = ctx.be.transpose(put(ctx.be, x), [1, 0]);
      await expectArray(
        ctx.be,
        ctx.be.reshape(t, [6]),
        refOf([6], 'int32', [0, 3, 1, 4, 2, 5]),
        ctx.tol,
      );
    });

    it('reshapes a broadcast view', async () => {
      const x = refOf([3, 1], 'float32', [1, 2, 3]);
      const b = ctx.be.broadcastTo(put(ctx.be, x), [2, 3, 2]);
      await expectArray(
        ctx.be,
        ctx.be.reshape(b, [3, 4]),
        reshapeRef(broadcastToRef(x, [2, 3, 2]), [3, 4]),
        ctx.tol,
      );
    });
  });

  describe('transpose', () => {
    const cases: [number[], number[]][] = [
      [
        [2, 3],
        [1, 0],
      ],
      [
        [2, 3, 4],
        [2, 0, 1],
      ],
      [
        [2, 3, 4],
        [0, 1, 2],
      ],
      [
        [2, 1, 3, 2],
        [3, 1, 0, 2],
      ],
      [
        [2, 0, 3],
        [2, 1, 0],
      ],
      [[], []],
      [[5], [0]],
    ];
    it.each(cases)('%j by %j, every dtype and layout', async (shape, perm) => {
      for (const dtype of DTYPES) {
        for (const layout of LAYOUTS) {
          const x = randomOf(prng(shape.length), shape, dtype);
          await expectArray(
            ctx.be,
            ctx.be.transpose(put(ctx.be, x, layout), perm),
            transposeRef(x, perm),
            ctx.tol,
            {
              label: `${dtype} ${layout}`,
            },
          );
        }
      }
    });

    it('transposes a transpose (hand-derived)', async () => {
      const x = ctx.be.upload(new Int32Array([0, 1, 2, 3, 4, 5]), [1, 2, 3]);
      const t = ctx.be.transpose(ctx.be.transpose(x, [2, 0, 1]), [0, 2, 1]);
      expect(t.shape).toEqual([3, 2, 1]);
      expect(Array.from((await fetch(ctx.be, t)).data)).toEqual([0, 3, 1, 4, 2, 5]);
    });
  });

  describe('broadcastTo', () => {
    const cases: [number[], number[]][] = [
      [[], [2, 3]],
      [[3], [2, 3]],
      [
        [2, 1],
        [2, 4],
      ],
      [
        [1, 3, 1],
        [2, 3, 4],
      ],
      [[1], [0]],
      [
        [1, 3],
        [0, 3],
      ],
      [
        [2, 3],
        [2, 3],
      ],
      [
        [2, 1],
        [5, 2, 3],
      ],
    ];
    it.each(cases)('%j to %j, every dtype and layout', async (from, to) => {
      for (const dtype of DTYPES) {
        for (const layout of LAYOUTS) {
          const x = randomOf(prng(to.length), from, dtype);
          await expectArray(
            ctx.be,
            ctx.be.broadcastTo(put(ctx.be, x, layout), to),
            broadcastToRef(x, to),
            ctx.tol,
            {
              label: `${dtype} ${layout}`,
            },
          );
        }
      }
    });

    it('broadcasts a broadcast', async () => {
      const x = refOf([2], 'float32', [1, 2]);
      const b = ctx.be.broadcastTo(ctx.be.broadcastTo(put(ctx.be, x), [3, 2]), [2, 3, 2]);
      await expectArray(ctx.be, b, broadcastToRef(x, [2, 3, 2]), ctx.tol);
    });
  });

  describe('slice', () => {
    const cases: [number[], number[], number[], number[] | undefined][] = [
      [[5], [1], [4], undefined],
      [[5], [0], [5], [2]],
      [[7], [1], [7], [3]],
      [
        [4, 5],
        [1, 0],
        [3, 5],
        [1, 2],
      ],
      [
        [3, 4, 5],
        [0, 1, 2],
        [3, 4, 5],
        [2, 2, 2],
      ],
      [[3, 4], [1, 1], [1, 3], undefined],
      [[3, 4], [3, 4], [3, 4], undefined],
      [
        [2, 0],
        [0, 0],
        [2, 0],
        [1, 1],
      ],
      [[], [], [], undefined],
    ];
    it.each(cases)(
      '%j from %j to %j by %j, every dtype and layout',
      async (shape, start, limit, strides) => {
        for (const dtype of DTYPES) {
          for (const layout of LAYOUTS) {
            const x = randomOf(prng(shape.length), shape, dtype);
            await expectArray(
              ctx.be,
              ctx.be.slice(put(ctx.be, x, layout), start, limit, strides),
              sliceRef(x, start, limit, strides),
              ctx.tol,
              {
                label: `${dtype} ${layout}`,
              },
            );
          }
        }
      },
    );

    it('slices a slice (hand-derived)', async () => {
      const x = ctx.be.iota([10], 0, 'int32');
      const s = ctx.be.slice(ctx.be.slice(x, [1], [10], [2]), [1], [5], [2]);
      expect(Array.from((await fetch(ctx.be, s)).data)).toEqual([3, 7]);
    });
  });

  describe('concat', () => {
    const cases: [number[][], number][] = [
      [
        [
          [2, 3],
          [4, 3],
        ],
        0,
      ],
      [
        [
          [2, 3],
          [2, 1],
          [2, 2],
        ],
        1,
      ],
      [
        [
          [2, 0],
          [2, 3],
          [2, 0],
        ],
        1,
      ],
      [
        [
          [0, 3],
          [0, 3],
        ],
        0,
      ],
      [[[3]], 0],
      [
        [
          [1, 2, 3],
          [1, 2, 1],
          [1, 2, 2],
        ],
        2,
      ],
      [
        [
          [2, 0, 4],
          [3, 0, 4],
        ],
        0,
      ],
    ];
    it.each(cases)('%j along %i, every dtype, mixed layouts', async (shapes, axis) => {
      for (const dtype of DTYPES) {
        const rng = prng(shapes.length);
        const xs = shapes.map((s) => randomOf(rng, s, dtype));
        const arrays = xs.map((x, i) => put(ctx.be, x, LAYOUTS[i % LAYOUTS.length]));
        await expectArray(ctx.be, ctx.be.concat(arrays, axis), concatRef(xs, axis), ctx.tol, {
          label: dtype,
        });
      }
    });
  });

  describe('pad', () => {
    const cases: [number[], number[], number[], number[] | undefined][] = [
      [[3], [1], [2], undefined],
      [[3], [0], [0], [2]],
      [
        [2, 3],
        [1, 0],
        [0, 2],
        [1, 1],
      ],
      [[2, 3], [0, 0], [0, 0], undefined],
      [
        [1, 2, 2],
        [1, 2, 0],
        [0, 1, 1],
        [0, 3, 1],
      ],
      [
        [0, 2],
        [1, 1],
        [2, 0],
        [2, 1],
      ],
      [[], [], [], undefined],
    ];
    it.each(cases)(
      '%j with lo %j, hi %j, interior %j, every dtype and layout',
      async (shape, lo, hi, interior) => {
        const value: Record<DType, number> = { float32: -1.5, int32: 42, bool: 1 };
        for (const dtype of DTYPES) {
          for (const layout of LAYOUTS) {
            const x = randomOf(prng(shape.length), shape, dtype);
            const got = ctx.be.pad(put(ctx.be, x, layout), lo, hi, value[dtype], interior);
            await expectArray(ctx.be, got, padRef(x, lo, hi, value[dtype], interior), ctx.tol, {
              label: `${dtype} ${layout}`,
            });
          }
        }
      },
    );

    it('pads by hand-derived example', async () => {
      const x = ctx.be.upload(new Float32Array([1, 2, 3]), [3]);
      const got = await fetch(ctx.be, ctx.be.pad(x, [2], [1], 0, [1]));
      expect(Array.from(got.data)).toEqual([0, 0, 1, 0, 2, 0, 3, 0]);
      const nan = await fetch(ctx.be, ctx.be.pad(x, [1], [0], NaN));
      expect(Array.from(nan.data)).toEqual([NaN, 1, 2, 3]);
    });

    it('converts the fill value of an int32 array as cast does: truncated, saturated', async () => {
      const x = ctx.be.upload(new Int32Array([5, -5]), [2]);
      for (const [value, want] of [
        [3e9, 2147483647],
        [Infinity, 2147483647],
        [2.5, 2],
        [-3e9, -2147483648],
        [-Infinity, -2147483648],
        [-2.5, -2],
        [NaN, 0],
      ] as const) {
        const got = await fetch(ctx.be, ctx.be.pad(x, [1], [1], value));
        expect({ value, got: Array.from(got.data) }).toEqual({ value, got: [want, 5, -5, want] });
        const ref = padRef(refOf([2], 'int32', [5, -5]), [1], [1], value);
        expect(Array.from(ref.data)).toEqual([want, 5, -5, want]);
      }
    });
  });

  it('never writes to the inputs of layout kernels', async () => {
    const x = fromFn([2, 3], 'float32', (i) => i[0]! * 3 + i[1]!);
    const a = put(ctx.be, x);
    ctx.be.pad(ctx.be.transpose(a, [1, 0]), [1, 1], [1, 1], 7);
    ctx.be.concat([a, a], 0);
    ctx.be.broadcastTo(ctx.be.reshape(a, [1, 6]), [2, 6]);
    expect(Array.from((await fetch(ctx.be, a)).data)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
