// The references checked against hand-derived values, so the conformance suite's oracle is itself tested;
// also the shared shape helpers (convOutputShape, poolOutputShape) against hand-computed shapes.
import { convOutputShape, poolOutputShape } from '../../src/index.js';
import { convBackwardFilterRef, convBackwardInputRef, convRef, convShapeRef } from './conv.js';
import { binaryRef, bitcastValue, castValue, erfReference, unaryRef } from './elementwise.js';
import { concatRef, gatherRef, padRef, scatterAddRef, sliceRef, transposeRef } from './layout.js';
import { matmulRef } from './matmul.js';
import { refOf, type Ref } from './ndarray.js';
import { poolBackwardRef, poolRef, poolShapeRef } from './pool.js';
import { argReduceRef, cumsumRef, reduceRef } from './reduce.js';

const values = (x: Ref) => Array.from(x.data);
const f = (shape: number[], v: number[]) => refOf(shape, 'float32', v);
const i = (shape: number[], v: number[]) => refOf(shape, 'int32', v);

describe('reference elementwise semantics', () => {
  it('erf matches tabulated values to float64 precision', () => {
    const table: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [-3, -0.9999779095030014],
      [5, 0.9999999999984626],
    ];
    for (const [x, want] of table) expect(Math.abs(erfReference(x) - want)).toBeLessThan(1e-15);
  });

  it('int32 arithmetic wraps, divides toward zero and shifts modulo 32', () => {
    expect(values(binaryRef('add', i([2], [2147483647, -5]), i([2], [1, 3])))).toEqual([
      -2147483648, -2,
    ]);
    expect(values(binaryRef('div', i([3], [-7, 7, 1]), i([3], [2, 0, -1])))).toEqual([-3, 0, -1]);
    expect(values(binaryRef('rem', i([2], [-7, 7]), i([2], [2, -2])))).toEqual([-1, 1]);
    expect(values(binaryRef('shiftRightLogical', i([2], [-1, -1]), i([2], [28, 60])))).toEqual([
      15, 15,
    ]);
    expect(values(unaryRef('square', i([1], [65537])))).toEqual([131073]);
  });

  it('rounds half to even and keeps NaN max', () => {
    expect(values(unaryRef('round', f([4], [0.5, 1.5, -2.5, 2.6])))).toEqual([0, 2, -2, 3]);
    expect(values(binaryRef('max', f([2], [NaN, 1]), f([2], [0, 2])))).toEqual([NaN, 2]);
  });

  it('pow follows C99 for NaN and infinite special cases', () => {
    const a = f([6], [NaN, 1, -1, -1, -1, 2]);
    const b = f([6], [0, NaN, Infinity, -Infinity, NaN, NaN]);
    expect(values(binaryRef('pow', a, b))).toEqual([1, 1, 1, 1, NaN, NaN]);
  });

  it('casts and bitcasts by the contract', () => {
    expect([2.9, -2.9, NaN].map((v) => castValue(v, 'int32'))).toEqual([2, -2, 0]);
    expect([3e9, -3e9, Infinity, -Infinity, 2.5, -2.5].map((v) => castValue(v, 'int32'))).toEqual([
      2147483647, -2147483648, 2147483647, -2147483648, 2, -2,
    ]);
    expect([NaN, -0, 0.1].map((v) => castValue(v, 'bool'))).toEqual([1, 0, 1]);
    expect(bitcastValue(1, 'int32')).toBe(0x3f800000);
    expect(bitcastValue(0x40000000, 'float32')).toBe(2);
  });
});

describe('reference reductions and layout', () => {
  const x = f([2, 3], [1, 2, 3, 4, 5, 6]);

  it('reduces', () => {
    expect(values(reduceRef('sum', x, [1]))).toEqual([6, 15]);
    expect(values(reduceRef('prod', x, [0]))).toEqual([4, 10, 18]);
    expect(values(reduceRef('max', x, [0, 1]))).toEqual([6]);
    expect(values(reduceRef('min', f([0, 2], []), [0]))).toEqual([Infinity, Infinity]);
    expect(values(argReduceRef('argmax', f([4], [1, 3, 3, NaN]), 0))).toEqual([3]);
    expect(values(argReduceRef('argmin', f([4], [2, 1, 1, 5]), 0))).toEqual([1]);
    expect(values(cumsumRef(x, 1, true))).toEqual([6, 5, 3, 15, 11, 6]);
  });

  it('moves elements', () => {
    expect(values(transposeRef(x, [1, 0]))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(values(sliceRef(x, [0, 0], [2, 3], [1, 2]))).toEqual([1, 3, 4, 6]);
    expect(values(concatRef([x, f([2, 1], [7, 8])], 1))).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
    expect(values(padRef(f([2], [1, 2]), [1], [2], 0, [1]))).toEqual([0, 1, 0, 2, 0, 0]);
    expect(values(gatherRef(x, i([3], [-1, 5, -9]), 1))).toEqual([3, 3, 1, 6, 6, 4]);
    expect(values(scatterAddRef(f([3], [1, 2, 4]), i([3], [0, 0, -1]), 0, 2))).toEqual([3, 4]);
  });
});

describe('reference matmul, conv and pool', () => {
  it('multiplies matrices', () => {
    const a = f([2, 2], [1, 2, 3, 4]);
    expect(values(matmulRef(a, a))).toEqual([7, 10, 15, 22]);
    expect(values(matmulRef(a, a, { transposeB: true }))).toEqual([5, 11, 11, 25]);
  });

  it('convolves and back-propagates a 1-d example by hand', () => {
    const x = f([1, 1, 4], [1, 2, 3, 4]);
    const w = f([1, 1, 3], [1, 0, -1]);
    expect(values(convRef(x, w, { padding: 'SAME' }))).toEqual([-2, -2, -2, 3]);
    const dy = f([1, 1, 2], [1, 10]);
    expect(values(convBackwardInputRef(dy, w, [1, 1, 4]))).toEqual([1, 10, -1, -10]);
    expect(values(convBackwardFilterRef(x, dy, [1, 1, 3]))).toEqual([21, 32, 43]);
  });

  it('convolves with groups by hand', () => {
    // Two groups of one channel; output channel g sees input channel g only.
    const x = f([1, 2, 2], [1, 2, 10, 20]);
    const w = f([2, 1, 1], [3, 5]);
    expect(values(convRef(x, w, { groups: 2 }))).toEqual([3, 6, 50, 100]);
  });

  it('pools by hand', () => {
    // Windows of 3 by 2: [1, 4, 4] picks index 1, [4, 2, 3] picks index 2.
    const x = f([1, 1, 5], [1, 4, 4, 2, 3]);
    expect(values(poolRef('max', x, { window: [2] }))).toEqual([4, 4]);
    expect(values(poolRef('avg', x, { window: [2], padding: 'SAME' }))).toEqual([2.5, 3, 1.5]);
    expect(
      values(poolBackwardRef('max', f([1, 1, 2], [1, 2]), x, { window: [3], strides: [2] })),
    ).toEqual([0, 1, 2, 0, 0]);
    // NaN propagates in max pooling, and takes the gradient (the first NaN of a window).
    const nan = f([1, 1, 5], [1, 4, NaN, NaN, 2]);
    expect(values(poolRef('max', nan, { window: [2], strides: [1] }))).toEqual([4, NaN, NaN, NaN]);
    const dy = f([1, 1, 4], [1, 2, 3, 4]);
    expect(values(poolBackwardRef('max', dy, nan, { window: [2], strides: [1] }))).toEqual([
      0, 1, 5, 4, 0,
    ]);
  });
});

describe('output shapes, hand-computed', () => {
  const conv: [number[], number[], Parameters<typeof convOutputShape>[2], number[]][] = [
    [[1, 3, 8, 8], [4, 3, 3, 3], { padding: 'SAME' }, [1, 4, 8, 8]],
    [[1, 3, 8, 8], [4, 3, 3, 3], {}, [1, 4, 6, 6]],
    [[2, 4, 7], [6, 2, 3], { groups: 2, strides: [2] }, [2, 6, 3]],
    [[1, 1, 7], [1, 1, 3], { strides: [2], padding: 'SAME' }, [1, 1, 4]],
    [[1, 1, 9], [1, 1, 3], { dilation: [3] }, [1, 1, 3]],
    [
      [1, 1, 5, 5],
      [1, 1, 2, 2],
      {
        padding: [
          [1, 0],
          [2, 2],
        ],
        strides: [2, 3],
      },
      [1, 1, 3, 3],
    ],
    [[1, 1, 2], [1, 1, 3], {}, [1, 1, 0]],
    [[1, 2, 3, 4, 5], [2, 2, 1, 2, 3], { padding: 'SAME', strides: [1, 2, 2] }, [1, 2, 3, 2, 3]],
  ];
  it.each(conv)('conv %j * %j with %j is %j', (x, w, options, want) => {
    expect(convOutputShape(x, w, options)).toEqual(want);
    expect(convShapeRef(x, w, options)).toEqual(want);
  });

  const pool: [number[], Parameters<typeof poolOutputShape>[1], number[]][] = [
    [[1, 3, 5, 5], { window: [2, 2] }, [1, 3, 2, 2]],
    [[1, 3, 5, 5], { window: [2, 2], padding: 'SAME' }, [1, 3, 3, 3]],
    [[2, 1, 7], { window: [3], strides: [1] }, [2, 1, 5]],
    [
      [1, 1, 4, 6, 2],
      {
        window: [2, 3, 1],
        strides: [1, 1, 1],
        padding: [
          [1, 1],
          [0, 0],
          [0, 0],
        ],
      },
      [1, 1, 5, 4, 2],
    ],
  ];
  it.each(pool)('pool %j with %j is %j', (x, options, want) => {
    expect(poolOutputShape(x, options)).toEqual(want);
    expect(poolShapeRef(x, options)).toEqual(want);
  });
});
