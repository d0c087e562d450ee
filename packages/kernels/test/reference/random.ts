/** Deterministic pseudo-random test data: a seeded PRNG and reference arrays drawn from it. */
import type { DType } from '../../src/index.js';
import { fromFn, type Ref } from './ndarray.js';

/** mulberry32: a tiny seeded generator of floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

/** A float32-representable value uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return Math.fround(lo + (hi - lo) * rng());
}

/** An integer uniform in [lo, hi]. */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** A float32 array uniform in [lo, hi). */
export function randomFloats(rng: Rng, shape: readonly number[], lo = -1, hi = 1): Ref {
  return fromFn(shape, 'float32', () => uniform(rng, lo, hi));
}

/** An int32 array uniform in [lo, hi]. */
export function randomInts(rng: Rng, shape: readonly number[], lo = -9, hi = 9): Ref {
  return fromFn(shape, 'int32', () => randInt(rng, lo, hi));
}

/** A bool array, true with probability 1/2. */
export function randomBools(rng: Rng, shape: readonly number[]): Ref {
  return fromFn(shape, 'bool', () => (rng() < 0.5 ? 1 : 0));
}

/** Random elements of any dtype, with small magnitudes. */
export function randomOf(rng: Rng, shape: readonly number[], dtype: DType): Ref {
  if (dtype === 'float32') return randomFloats(rng, shape, -4, 4);
  if (dtype === 'int32') return randomInts(rng, shape);
  return randomBools(rng, shape);
}
