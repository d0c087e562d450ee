/** Shared plumbing of the conformance tests: uploading references, layouts, and comparing results. */
import type { Backend, BackendArray, DType } from '../../src/index.js';
import {
  fromTyped,
  sizeOfShape,
  stridesOf,
  toTyped,
  unravel,
  type Ref,
} from '../reference/ndarray.js';
import { inversePerm, transposeRef } from '../reference/layout.js';
import { BACKENDS, type Tolerance } from './backends.js';

/**
 * How an input array is laid out in the backend: uploaded as is, or a non-contiguous view with the same
 * elements (a transpose of an uploaded array, or a strided slice out of a larger one).
 */
export type Layout = 'contiguous' | 'transposed' | 'strided';
export const LAYOUTS: readonly Layout[] = ['contiguous', 'transposed', 'strided'];

/** Filler for the elements a strided view skips: a result that reads them is wrong. */
const JUNK: Record<DType, number> = { float32: 9999, int32: 7777, bool: 1 };

/** Uploads `x` to `be` in the given layout. */
export function put(be: Backend, x: Ref, layout: Layout = 'contiguous'): BackendArray {
  const rank = x.shape.length;
  if (layout === 'transposed' && rank >= 2) {
    // Store the axes reversed, then transpose back: same elements, reversed strides.
    const perm = x.shape.map((_, d) => rank - 1 - d);
    const stored = transposeRef(x, perm);
    return be.transpose(be.upload(toTyped(stored), stored.shape), inversePerm(perm));
  }
  if (layout === 'contiguous') return be.upload(toTyped(x), x.shape);
  // Interleave junk: element i of each dimension sits at 2i + 1 of a (2n + 1)-long dimension.
  const bigShape = x.shape.map((n) => 2 * n + 1);
  const big = new Float64Array(sizeOfShape(bigShape)).fill(JUNK[x.dtype]);
  const bigStrides = stridesOf(bigShape);
  for (let i = 0; i < x.data.length; i++) {
    const index = unravel(i, x.shape);
    big[index.reduce((s, v, d) => s + (2 * v + 1) * bigStrides[d]!, 0)] = x.data[i]!;
  }
  const stored = toTyped({ shape: bigShape, dtype: x.dtype, data: big });
  return be.slice(
    be.upload(stored, bigShape),
    x.shape.map(() => 1),
    x.shape.map((n) => 2 * n + 1),
    x.shape.map(() => 2),
  );
}

/** Reads an array back as a reference array, checking that the typed array matches its dtype. */
export async function fetch(be: Backend, x: BackendArray): Promise<Ref> {
  const data = await be.read(x);
  const kind = { float32: Float32Array, int32: Int32Array, bool: Uint8Array }[x.dtype];
  expect(data).toBeInstanceOf(kind);
  expect(data.length).toBe(x.size);
  return fromTyped(data, x.shape, x.dtype);
}

export interface CompareOptions {
  /** Magnitudes (the reference over absolute values) that bound a sum's rounding error. */
  mag?: Ref;
  /** Number of terms in each sum. */
  terms?: number;
  /** Extra absolute slack, for references that are themselves approximate. */
  atol?: number;
  /** Names the case in a failure, when one test checks several. */
  label?: string;
}

/** The mismatches (at most five) of `got` against `want`, as readable lines. */
export function mismatches(
  got: Ref,
  want: Ref,
  tol: Tolerance,
  options: CompareOptions = {},
): string[] {
  const bad: string[] = [];
  const terms = options.terms ?? 0;
  for (let i = 0; i < want.data.length && bad.length < 5; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    let ok: boolean;
    if (want.dtype !== 'float32') ok = g === w;
    else if (Number.isNaN(w) || !Number.isFinite(w))
      ok = Object.is(g, w) || (Number.isNaN(w) && Number.isNaN(g));
    else {
      const scale = options.mag ? (terms + 1) * options.mag.data[i]! : Math.abs(w);
      ok = Math.abs(g - w) <= tol.atol + (options.atol ?? 0) + tol.rtol * scale;
    }
    if (!ok) bad.push(`at [${unravel(i, want.shape).join(', ')}]: got ${g}, want ${w}`);
  }
  return bad;
}

/** Checks shape, dtype and elements of a backend result against a reference. */
export async function expectArray(
  be: Backend,
  got: BackendArray,
  want: Ref,
  tol: Tolerance,
  options: CompareOptions = {},
): Promise<void> {
  const label = options.label ?? '';
  expect({ label, shape: got.shape, dtype: got.dtype, size: got.size }).toEqual({
    label,
    shape: want.shape,
    dtype: want.dtype,
    size: want.data.length,
  });
  expect(got.backend).toBe(be);
  const data = await fetch(be, got);
  expect({ label, mismatches: mismatches(data, want, tol, options) }).toEqual({
    label,
    mismatches: [],
  });
}

/** What each conformance test sees: its backend (set before the tests run) and its tolerance. */
export interface Conformance {
  be: Backend;
  tol: Tolerance;
  /** Another instance of the same backend, whose arrays `be` must refuse. */
  other: () => Promise<Backend>;
  /** See `BackendEntry.parallelJobs`. */
  parallelJobs?: () => number;
  /** See `BackendEntry.simdLaunches`. */
  simdLaunches?: () => number;
}

/** One `describe` per backend entry: `fn` declares the tests, which read the backend from the context. */
export function forEachBackend(fn: (ctx: Conformance) => void): void {
  describe.each(BACKENDS.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const ctx = {
      tol: entry.tolerance,
      other: async () => entry.create(),
      parallelJobs: entry.parallelJobs,
      simdLaunches: entry.simdLaunches,
    } as Conformance;
    beforeAll(async () => {
      ctx.be = await entry.create();
    });
    afterAll(() => entry.dispose?.(ctx.be));
    fn(ctx);
  });
}

/**
 * For an entry that spreads work over threads, declares a test (to come after the file's other tests)
 * that checks the entry's products ran as parallel jobs, so that entry does not silently test the
 * single-thread path again. Declares nothing for other entries.
 */
export function testParallelJobs(ctx: Conformance): void {
  testCounterMoved(ctx.parallelJobs, 'ran its products as parallel jobs on several threads');
}

/**
 * For an entry that runs elementwise kernels on the WebAssembly engine, declares a test (to come after
 * the file's other tests) that checks some of them ran there. Declares nothing for other entries.
 */
export function testSimdLaunches(ctx: Conformance): void {
  testCounterMoved(ctx.simdLaunches, 'ran elementwise kernels on the WebAssembly engine');
}

function testCounterMoved(count: (() => number) | undefined, title: string): void {
  if (count === undefined) return;
  let before = 0;
  beforeAll(() => {
    before = count();
  });
  it(title, () => {
    expect(count() - before).toBeGreaterThan(0);
  });
}
