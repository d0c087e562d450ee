/**
 * Sample points for gradient tests: random shapes, tensors drawn inside a primitive's domain (away
 * from kinks and poles), and a closeness check of a tensor against hand-derived values.
 */
import type { Tensor } from '../../src/index.js';
import { numpy } from '../../src/index.js';

/** A random shape of rank 0 to `maxRank` with dimensions 1 to `maxDim`, from `rand` (values in [-1, 1)). */
export function randomShape(rand: () => number, maxRank = 3, maxDim = 4): number[] {
  const pick = (n: number) => Math.min(n, Math.floor(((rand() + 1) / 2) * (n + 1)));
  return Array.from({ length: pick(maxRank) }, () => 1 + pick(maxDim - 1));
}

/** A float32 tensor of `shape` with entries uniform in [`lo`, `hi`). */
export function uniform(
  shape: readonly number[],
  rand: () => number,
  lo: number,
  hi: number,
): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return numpy.array(
    Float32Array.from({ length: size }, () => lo + ((rand() + 1) / 2) * (hi - lo)),
    { shape },
  );
}

/** A float32 tensor of `shape` with magnitudes uniform in [`lo`, `hi`) and random signs. */
export function awayFromZero(
  shape: readonly number[],
  rand: () => number,
  lo: number,
  hi: number,
): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return numpy.array(
    Float32Array.from({ length: size }, () => {
      const magnitude = lo + ((rand() + 1) / 2) * (hi - lo);
      return rand() < 0 ? -magnitude : magnitude;
    }),
    { shape },
  );
}

/**
 * A float32 tensor of `shape` whose entries are distinct, at least `2 / size` apart, in [-1, 1): a
 * random order of evenly spaced values, so max/min reductions have no (near) ties.
 */
export function distinct(shape: readonly number[], rand: () => number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => -1 + (2 * i + 1) / size);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(((rand() + 1) / 2) * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return numpy.array(Float32Array.from(values), { shape });
}

/** An int32 tensor of the given values and shape. */
export function ints(
  values: readonly number[],
  shape: readonly number[] = [values.length],
): Tensor {
  return numpy.array(Int32Array.from(values), { shape, dtype: 'int32' });
}

/**
 * Expects `actual` to have `shape` and elements within `atol + rtol * |expected|` of `expected`
 * (row-major), reporting the first element that is not.
 */
export function expectClose(
  actual: Tensor,
  expected: readonly number[],
  shape: readonly number[],
  { rtol = 1e-5, atol = 1e-6 }: { rtol?: number; atol?: number } = {},
): void {
  expect(actual.shape).toEqual(shape);
  const values = Array.from(actual.dataSync(), Number);
  expect(values.length).toBe(expected.length);
  const bad = values.findIndex(
    (v, i) => !(Math.abs(v - expected[i]!) <= atol + rtol * Math.abs(expected[i]!)),
  );
  if (bad >= 0) {
    throw new Error(
      `element ${bad} is ${values[bad]}, expected ${expected[bad]} (all: [${values.join(', ')}] vs [${expected.join(', ')}])`,
    );
  }
}
