// Broadcasting of the binary elementwise functions, fuzzed: random shape pairs (rank 0-4, dimensions
// 0-4, many compatible, some not). Compatible pairs give NumPy's result shape, computed here by an
// independent implementation of the rule, and the values of an element-by-element loop; incompatible
// pairs give a TensorError that names the function and both shapes.
import * as fc from 'fast-check';
import { numpy, TensorError, type Tensor } from '../../src/index.js';

type Shape = number[];

/** NumPy's rule, written out: align on the right; each pair of sizes is equal, or one of them is 1. */
function numpyBroadcast(a: Shape, b: Shape): Shape | null {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The flat index into a tensor of `shape` read by output position `outIndex` (size-1 axes repeat). */
function sourceOffset(shape: Shape, outIndex: Shape): number {
  const skip = outIndex.length - shape.length;
  let offset = 0;
  shape.forEach((n, d) => {
    offset = offset * n + (n === 1 ? 0 : outIndex[skip + d]!);
  });
  return offset;
}

/** Every index of `shape`, in row-major order. */
function* indices(shape: Shape): Generator<Shape> {
  const size = shape.reduce((p, n) => p * n, 1);
  for (let flat = 0; flat < size; flat++) {
    const index: Shape = [];
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      index.unshift(rest % shape[d]!);
      rest = Math.floor(rest / shape[d]!);
    }
    yield index;
  }
}

const dim = fc.integer({ min: 0, max: 4 });
const shapeArb = fc.array(dim, { maxLength: 4 });

/**
 * A pair of shapes, usually compatible: the second is a suffix of the first with some sizes set to 1
 * (and the first, too, may have sizes set to 1); sometimes two unrelated shapes.
 */
const pairArb: fc.Arbitrary<[Shape, Shape]> = fc.oneof(
  fc
    .tuple(shapeArb, fc.nat(4), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }))
    .map(([a, keep, ones]) => {
      const b = a.slice(a.length - Math.min(keep, a.length)).map((n, i) => (ones[i] ? 1 : n));
      const a2 = a.map((n, i) => (ones[4 + (i % 4)] && i % 2 === 0 ? 1 : n));
      return [a2, b] as [Shape, Shape];
    })
    .chain(([a, b]) => fc.boolean().map((swap): [Shape, Shape] => (swap ? [b, a] : [a, b]))),
  fc.tuple(shapeArb, shapeArb),
);

/** Small integers: exact in float32 under every operation tested. */
const valuesFor = (shape: Shape) => {
  const size = shape.reduce((p, n) => p * n, 1);
  return fc.array(fc.integer({ min: -5, max: 5 }), { minLength: size, maxLength: size });
};

const caseArb = pairArb.chain(([a, b]) =>
  fc.tuple(fc.constant(a), fc.constant(b), valuesFor(a), valuesFor(b)),
);

/** The functions fuzzed, each with its element-by-element reference. */
const OPS: Record<string, [(a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number]> = {
  add: [numpy.add, (x, y) => x + y],
  subtract: [numpy.subtract, (x, y) => x - y],
  multiply: [numpy.multiply, (x, y) => x * y],
  maximum: [numpy.maximum, Math.max],
  greater: [numpy.greater, (x, y) => Number(x > y)],
};

const tensorOf = (shape: Shape, data: number[]) => numpy.array(new Float32Array(data), { shape });
const text = (shape: Shape) => `[${shape.join(', ')}]`;

describe.each(Object.keys(OPS))('%s broadcasts as NumPy', (name) => {
  const [op, reference] = OPS[name]!;
  test('random shape pairs: NumPy shape and values, or an error naming both shapes', () => {
    fc.assert(
      fc.property(caseArb, ([a, b, da, db]) => {
        const expected = numpyBroadcast(a, b);
        const x = tensorOf(a, da);
        const y = tensorOf(b, db);
        if (expected === null) {
          let error: unknown;
          try {
            op(x, y);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(TensorError);
          const message = (error as Error).message;
          expect(message.startsWith(`${name}: `)).toBe(true);
          expect(message).toContain(`float32${text(a)}`);
          expect(message).toContain(`float32${text(b)}`);
          return;
        }
        const out = op(x, y);
        expect(out.shape).toEqual(expected);
        const want = [...indices(expected)].map((i) =>
          reference(da[sourceOffset(a, i)]!, db[sourceOffset(b, i)]!),
        );
        expect(Array.from(out.dataSync())).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});

test('the fuzzed pairs include both compatible and incompatible shapes', () => {
  // Guards the generator: a property that only ever saw one branch would prove little.
  const sample = fc.sample(pairArb, { numRuns: 300, seed: 1 });
  const compatible = sample.filter(([a, b]) => numpyBroadcast(a, b) !== null).length;
  expect(compatible).toBeGreaterThan(100);
  expect(sample.length - compatible).toBeGreaterThan(20);
});

test('the reference rule agrees with NumPy on hand-worked cases', () => {
  expect(numpyBroadcast([8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
  expect(numpyBroadcast([], [0, 3])).toEqual([0, 3]);
  expect(numpyBroadcast([2, 1], [0])).toEqual([2, 0]);
  expect(numpyBroadcast([3], [4])).toBeNull();
  expect(numpyBroadcast([2, 0], [3, 1])).toBeNull();
});
