/** `pad` with NumPy's pad widths and its constant, edge, reflect, symmetric and wrap modes. */
import { TensorError, avalText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { asarrayFor, type ArrayLike } from './convert.js';

/** How {@link pad} fills the new entries. */
export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap';

/** Options of {@link pad}. */
export interface PadOptions {
  /**
   * `'constant'` (default): `constantValues`. `'edge'`: the nearest edge value. `'reflect'`: mirrored
   * about the edge, without repeating it (`[1, 2, 3]` -> `3, 2, [1, 2, 3], 2, 1`). `'symmetric'`:
   * mirrored, repeating the edge. `'wrap'`: continued from the other end.
   */
  mode?: PadMode;
  /** The value of the new entries in `'constant'` mode (default 0). */
  constantValues?: number;
}

/** Pad widths: one number for every side, `[before, after]` for every axis, or one pair per axis. */
export type PadWidth = number | readonly number[] | readonly (readonly number[])[];

function widths(padWidth: PadWidth, rank: number): [number, number][] {
  const bad = () =>
    new TensorError(
      'pad',
      `padWidth must be a number, [before, after], or ${rank} pairs of non-negative integers, found ${JSON.stringify(padWidth)}`,
    );
  let pairs: readonly (readonly number[])[];
  if (typeof padWidth === 'number') pairs = [[padWidth, padWidth]];
  else if (!Array.isArray(padWidth)) throw bad();
  else if (padWidth.every((p) => typeof p === 'number')) {
    const flat = padWidth;
    if (flat.length === 1) pairs = [[flat[0]!, flat[0]!]];
    else if (flat.length === 2) pairs = [flat];
    else throw bad();
  } else if (padWidth.every((p) => Array.isArray(p)))
    pairs = padWidth as readonly (readonly number[])[];
  else throw bad();
  if (pairs.length === 1) pairs = new Array<readonly number[]>(rank).fill(pairs[0]!);
  if (
    pairs.length !== rank ||
    pairs.some((p) => p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < 0))
  ) {
    throw bad();
  }
  return pairs.map((p) => [p[0]!, p[1]!]);
}

/** Where each padded position along an axis of length `n` reads from, for the non-constant modes. */
function source(mode: Exclude<PadMode, 'constant'>, p: number, n: number): number {
  const mod = (a: number, m: number) => ((a % m) + m) % m;
  if (mode === 'edge') return Math.min(Math.max(p, 0), n - 1);
  if (mode === 'wrap') return mod(p, n);
  if (mode === 'symmetric') {
    const q = mod(p, 2 * n);
    return q < n ? q : 2 * n - 1 - q;
  }
  if (n === 1) return 0;
  const q = mod(p, 2 * (n - 1));
  return q < n ? q : 2 * (n - 1) - q;
}

/**
 * `x` with entries added before and after each axis, as `numpy.pad`. Differentiable in every mode.
 *
 * @example
 * ```ts
 * const x = numpy.array([1, 2, 3]);
 * numpy.pad(x, 1).tolist(); // [0, 1, 2, 3, 0]
 * numpy.pad(x, [2, 0], { constantValues: 9 }).tolist(); // [9, 9, 1, 2, 3]
 * numpy.pad(x, 2, { mode: 'edge' }).tolist(); // [1, 1, 1, 2, 3, 3, 3]
 * numpy.pad(x, 2, { mode: 'reflect' }).tolist(); // [3, 2, 1, 2, 3, 2, 1]
 * numpy.pad(x, 2, { mode: 'symmetric' }).tolist(); // [2, 1, 1, 2, 3, 3, 2]
 * numpy.pad(x, 2, { mode: 'wrap' }).tolist(); // [2, 3, 1, 2, 3, 1, 2]
 * numpy.pad(numpy.ones([1, 1]), [[1, 0], [0, 2]]).tolist(); // [[0, 0, 0], [1, 0, 0]]
 * ```
 */
export function pad(x: ArrayLike, padWidth: PadWidth, options: PadOptions = {}): Tensor {
  const t = asarrayFor('pad', x);
  const pairs = widths(padWidth, t.ndim);
  const mode = options.mode ?? 'constant';
  if (mode === 'constant') {
    return layout.pad(
      t,
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
      options.constantValues ?? 0,
    );
  }
  if (!['edge', 'reflect', 'symmetric', 'wrap'].includes(mode)) {
    throw new TensorError(
      'pad',
      `mode must be 'constant', 'edge', 'reflect', 'symmetric' or 'wrap', found '${String(mode)}'`,
    );
  }
  let out = t;
  pairs.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const n = t.shape[axis]!;
    if (n === 0) {
      throw new TensorError(
        'pad',
        `cannot pad the empty axis ${axis} of ${avalText(t)} in '${mode}' mode (only 'constant' can)`,
      );
    }
    const picks = Array.from({ length: before + n + after }, (_, i) => source(mode, i - before, n));
    const indices = Tensor._fromArray(t.backend.upload(Int32Array.from(picks), [picks.length]));
    out = layout.gather(out, indices, axis);
  });
  return out;
}
