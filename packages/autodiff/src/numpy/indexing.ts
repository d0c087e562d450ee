/**
 * NumPy indexing (`x[1:3, None, ..., idx]`) as a function: `numpy.index(x, ...indices)`, also
 * `x.get(...indices)`. Basic indices (numbers, slices, `null`, `'...'`) become one slice and a reshape;
 * integer-tensor and bool-mask indices become one gather.
 */
import { TensorError, avalText, valueText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { binary } from '../primitives/elementwise.js';
import { filled, scalarLike } from '../primitives/constants.js';
import { broadcastArrays } from './shape.js';
import { nonzero } from './select.js';
import { clampIndex, reverseAxis, wrapNegative } from './index-helpers.js';

/**
 * One index: a number; a slice string `'start:stop:step'` (parts optional, e.g. `':'`, `'1:'`,
 * `'::-1'`); `null` for a new axis of length 1; `'...'` for as many `':'` as needed; an int32 tensor
 * (picks entries along one axis; several broadcast together as in NumPy); or a bool mask tensor
 * (selects where true; its shape must match the dimensions it covers).
 */
export type Index = number | string | null | Tensor;

interface Slice {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
}

function parseSlice(text: string, length: number): Slice {
  const parts = text.split(':');
  const bad = () =>
    new TensorError(
      'index',
      `cannot read the slice '${text}': expected 'start:stop' or 'start:stop:step' with integer parts`,
    );
  if (parts.length < 2 || parts.length > 3) throw bad();
  const values = parts.map((p) => {
    if (p.trim() === '') return undefined;
    const n = Number(p);
    if (!Number.isInteger(n)) throw bad();
    return n;
  });
  const step = values[2] ?? 1;
  if (step === 0) throw new TensorError('index', `slice step cannot be zero in '${text}'`);
  // Python's slice.indices(length).
  const clamp = (v: number | undefined, fallback: number, lo: number, hi: number): number => {
    if (v === undefined) return fallback;
    const w = v < 0 ? v + length : v;
    return Math.min(Math.max(w, lo), hi);
  };
  return step > 0
    ? { start: clamp(values[0], 0, 0, length), stop: clamp(values[1], length, 0, length), step }
    : {
        start: clamp(values[0], length - 1, -1, length - 1),
        stop: clamp(values[1], -1, -1, length - 1),
        step,
      };
}

function countOf({ start, stop, step }: Slice): number {
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** Stands for a 0-d `false` mask: a new axis of length 0. */
const EMPTY_AXIS = Symbol('empty axis');

/**
 * `x[indices]` with NumPy's rules, including negative numbers and steps, new axes, the ellipsis,
 * integer-tensor (gather) and bool-mask indices. Integer tensor indices out of range are clamped (as
 * JAX does); numbers out of range are errors.
 *
 * @example
 * ```ts
 * const x = numpy.arange(12).reshape([3, 4]);
 * numpy.index(x, 0, '::-1').tolist(); // [3, 2, 1, 0]
 * numpy.index(x, null, 1).shape; // [1, 4]
 * numpy.index(x, numpy.array([2, 0], { dtype: 'int32' })).tolist(); // [[8, 9, 10, 11], [0, 1, 2, 3]]
 * numpy.index(x, x.gt(9)).tolist(); // [10, 11]
 * ```
 */
export function index(x: Tensor, ...indices: Index[]): Tensor {
  if (!(x instanceof Tensor))
    throw new TensorError('index', `x must be a Tensor, found ${valueText(x)}`);
  // Bool masks become integer index tensors, one per dimension they cover. A 0-d mask adds an axis,
  // as in NumPy: of length 1 when true (like null), 0 when false.
  const counted = indices.filter((ix) => ix !== null && ix !== '...');
  const consumedBefore = counted.reduce<number>(
    (n, ix) => n + (ix instanceof Tensor && ix.dtype === 'bool' ? ix.ndim : 1),
    0,
  );
  const expanded: (Index | typeof EMPTY_AXIS)[] = [];
  let dim = 0;
  for (const ix of indices) {
    if (ix instanceof Tensor && ix.dtype === 'bool') {
      if (ix.ndim === 0) {
        expanded.push(ix.item() ? null : EMPTY_AXIS);
        continue;
      }
      const covered = x.shape.slice(dim, dim + ix.ndim);
      if (covered.length !== ix.ndim || covered.some((n, d) => n !== ix.shape[d])) {
        throw new TensorError(
          'index',
          `a bool mask of shape [${ix.shape.join(', ')}] must match the dimensions it covers, ` +
            `[${covered.join(', ')}] of ${avalText(x)} from axis ${dim}`,
        );
      }
      expanded.push(...nonzero(ix));
      dim += ix.ndim;
    } else {
      expanded.push(ix);
      if (ix === '...') dim += Math.max(x.ndim - consumedBefore, 0);
      else if (ix !== null) dim += 1;
    }
  }
  const hasTensor = expanded.some((ix) => ix instanceof Tensor);
  const consumed = expanded.filter((ix) => ix !== null && ix !== '...' && ix !== EMPTY_AXIS).length;
  const ellipses = expanded.filter((ix) => ix === '...').length;
  if (ellipses > 1)
    throw new TensorError('index', "an index can only have a single ellipsis ('...')");
  if (consumed > x.ndim)
    throw new TensorError('index', `too many indices for ${avalText(x)}: ${consumed} given`);
  const full: (Index | typeof EMPTY_AXIS)[] = [];
  for (const ix of expanded) {
    if (ix === '...') for (let i = 0; i < x.ndim - consumed; i++) full.push(':');
    else full.push(ix);
  }
  while (full.filter((ix) => ix !== null && ix !== EMPTY_AXIS).length < x.ndim) full.push(':');

  // Pass 1: basic indices, as one strided slice plus flips for negative steps.
  const start: number[] = [];
  const limit: number[] = [];
  const strides: number[] = [];
  const flips: number[] = [];
  const outShape: number[] = []; // shape after pass 1: numbers dropped (unless advanced), new axes added
  const advanced: { position: number; indices: Tensor }[] = [];
  const emptyAxes: number[] = [];
  dim = 0;
  for (const ix of full) {
    if (ix === null || ix === EMPTY_AXIS) {
      if (ix === EMPTY_AXIS) emptyAxes.push(outShape.length);
      outShape.push(1);
      continue;
    }
    const length = x.shape[dim]!;
    if (typeof ix === 'number' && !hasTensor) {
      if (!Number.isInteger(ix) || ix < -length || ix >= length) {
        throw new TensorError(
          'index',
          `index ${ix} is out of bounds for axis ${dim} with size ${length}`,
        );
      }
      const i = ix < 0 ? ix + length : ix;
      start.push(i);
      limit.push(i + 1);
      strides.push(1);
    } else if (typeof ix === 'number' || ix instanceof Tensor) {
      if (typeof ix === 'number' && (!Number.isInteger(ix) || ix < -length || ix >= length)) {
        throw new TensorError(
          'index',
          `index ${ix} is out of bounds for axis ${dim} with size ${length}`,
        );
      }
      const t = typeof ix === 'number' ? filled([], ix, 'int32', x.backend) : ix;
      if (t.dtype !== 'int32')
        throw new TensorError(
          'index',
          `tensor indices must be int32 or bool, found ${avalText(t)}`,
        );
      start.push(0);
      limit.push(length);
      strides.push(1);
      advanced.push({ position: outShape.length, indices: t });
      outShape.push(length);
    } else if (typeof ix === 'string') {
      const s = parseSlice(ix, length);
      const n = countOf(s);
      if (s.step > 0 || n === 0) {
        start.push(n === 0 ? 0 : s.start);
        limit.push(n === 0 ? 0 : s.start + (n - 1) * s.step + 1);
        strides.push(Math.abs(s.step));
      } else {
        // A negative step: take the same elements in increasing order, then reverse the axis.
        const last = s.start + (n - 1) * s.step;
        start.push(last);
        limit.push(s.start + 1);
        strides.push(-s.step);
        flips.push(outShape.length);
      }
      outShape.push(n);
    } else {
      throw new TensorError(
        'index',
        `unsupported index ${String(ix)}: expected a number, a slice string, null, '...' or a tensor`,
      );
    }
    dim++;
  }
  let out = layout.slice(x, start, limit, strides);
  // The reshape drops integer-indexed axes and inserts new ones; flips use positions after it.
  out = layout.reshape(out, outShape);
  for (const axis of emptyAxes) {
    out = layout.slice(
      out,
      outShape.map(() => 0),
      outShape.map((n, d) => (d === axis ? 0 : n)),
    );
  }
  for (const axis of flips) out = reverseAxis(out, axis);
  return advanced.length === 0 ? out : advancedIndex(out, advanced);
}

/** Applies integer-tensor indices at `positions` of `x` (NumPy's advanced indexing). */
function advancedIndex(
  x: Tensor,
  advanced: readonly { position: number; indices: Tensor }[],
): Tensor {
  const positions = advanced.map((a) => a.position);
  const adjacent = positions.every((p, i) => i === 0 || p === positions[i - 1]! + 1);
  // Move the indexed axes together: in place when they already are, else to the front (as NumPy).
  const front = adjacent ? positions[0]! : 0;
  const others = x.shape.map((_, d) => d).filter((d) => !positions.includes(d));
  const perm = [...others.slice(0, front), ...positions, ...others.slice(front)];
  const moved = layout.transpose(x, perm);
  const lengths = positions.map((p) => x.shape[p]!);
  // One flat index into the merged axes: sum of (normalised) index times stride.
  const broadcast = broadcastArrays(...advanced.map((a) => a.indices));
  let flat: Tensor | null = null;
  let stride = 1;
  for (let i = lengths.length - 1; i >= 0; i--) {
    const n = lengths[i]!;
    const ix = clampIndex(wrapNegative(broadcast[i]!, n), n);
    const term = binary('mul', ix, scalarLike(ix, stride));
    flat = flat ? binary('add', flat, term) : term;
    stride *= n;
  }
  const mergedShape = [
    ...moved.shape.slice(0, front),
    stride,
    ...moved.shape.slice(front + lengths.length),
  ];
  return layout.gather(layout.reshape(moved, mergedShape), flat!, front);
}
