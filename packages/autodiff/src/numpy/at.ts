/**
 * Functional index updates, JAX's `x.at[idx].set(v)`: `numpy.at(x, ...idx).set(v)` returns a new
 * tensor. Built from scatterAdd, gather and where, so it is differentiable in both `x` and `v`.
 */
import { TensorError, avalText, shapeText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { binary, cast, where } from '../primitives/elementwise.js';
import { iotaLike, scalarLike } from '../primitives/constants.js';
import { asarrayFor, type ArrayLike } from './convert.js';
import { index, type Index } from './indexing.js';
import { broadcastShapes } from './shape.js';
import { argsort } from './sorting.js';
import { inRange, wrapNegative } from './index-helpers.js';

/** The flat positions in `x` that `x[indices]` reads, in its row-major order; -1 where dropped. */
interface Targets {
  readonly positions: Tensor;
  readonly shape: readonly number[];
  /** Whether a position can occur twice (only with integer-tensor indices). */
  readonly mayRepeat: boolean;
}

/**
 * Indexes a tensor of flat positions instead of `x`. Axes indexed by integer tensors get one extra
 * entry holding -1, and out-of-range indices are pointed at it, so those updates are dropped (as in
 * JAX) instead of clamped.
 */
function targets(op: string, x: Tensor, indices: readonly Index[]): Targets {
  const consumed = indices.reduce<number>(
    (n, ix) =>
      n +
      (ix === null || ix === '...' ? 0 : ix instanceof Tensor && ix.dtype === 'bool' ? ix.ndim : 1),
    0,
  );
  if (consumed > x.ndim)
    throw new TensorError(op, `too many indices for ${avalText(x)}: ${consumed} given`);
  const dims: number[] = []; // the first axis each index entry applies to
  let dim = 0;
  for (const ix of indices) {
    dims.push(dim);
    if (ix === '...') dim += Math.max(0, x.ndim - consumed);
    else if (ix instanceof Tensor && ix.dtype === 'bool') dim += ix.ndim;
    else if (ix !== null) dim += 1;
  }
  const padded = new Set<number>();
  const rewritten = indices.map((ix, i) => {
    if (!(ix instanceof Tensor) || ix.dtype !== 'int32' || dims[i]! >= x.ndim) return ix;
    const n = x.shape[dims[i]!]!;
    padded.add(dims[i]!);
    const wrapped = wrapNegative(ix, n);
    return where(inRange(wrapped, n), wrapped, scalarLike(wrapped, n));
  });
  const shape = x.shape.map((n, d) => (padded.has(d) ? n + 1 : n));
  let positions: Tensor = scalarLike(x, 0, 'int32');
  let outside: Tensor = scalarLike(x, 0, 'bool');
  let stride = 1;
  for (let d = x.ndim - 1; d >= 0; d--) {
    const coord = iotaLike(shape, d, 'int32', x.backend);
    positions = binary('add', positions, binary('mul', coord, scalarLike(coord, stride)));
    if (padded.has(d))
      outside = binary('logicalOr', outside, binary('eq', coord, scalarLike(coord, x.shape[d]!)));
    stride *= x.shape[d]!;
  }
  positions = where(outside, scalarLike(positions, -1), layout.broadcastTo(positions, shape));
  let picked: Tensor;
  try {
    picked = index(positions, ...rewritten);
  } catch (e) {
    throw e instanceof TensorError ? new TensorError(op, e.message.replace(/^index: /, '')) : e;
  }
  return { positions: picked, shape: picked.shape, mayRepeat: padded.size > 0 };
}

/** `values` in `x`'s dtype, broadcast to the indexed shape and flattened. */
function updatesFor(op: string, x: Tensor, values: ArrayLike, shape: readonly number[]): Tensor {
  const v = cast(
    typeof values === 'number' || typeof values === 'boolean'
      ? scalarLike(x, Number(values))
      : asarrayFor(op, values),
    x.dtype,
  );
  let fits: boolean;
  try {
    fits = shapeText(broadcastShapes(v.shape, shape)) === shapeText(shape);
  } catch {
    fits = false;
  }
  if (!fits)
    throw new TensorError(
      op,
      `values ${avalText(v)} do not broadcast to the indexed shape ${shapeText(shape)}`,
    );
  return layout.reshape(layout.broadcastTo(v, shape), [shape.reduce((a, b) => a * b, 1)]);
}

/** Where each flat update lands in `x` (dropped ones at 0) and which updates count. */
function landing(t: Targets): [Tensor, Tensor] {
  const flat = layout.reshape(t.positions, [t.positions.size]);
  const kept = binary('ge', flat, scalarLike(flat, 0));
  return [where(kept, flat, scalarLike(flat, 0)), kept];
}

/** Sums `updates` (zero where not `kept`) into a tensor of `x`'s shape. */
function scatter(x: Tensor, updates: Tensor, at: Tensor, kept: Tensor): Tensor {
  const zero = scalarLike(updates, 0);
  return layout.reshape(layout.scatterAdd(where(kept, updates, zero), at, 0, x.size), x.shape);
}

/**
 * For repeated positions, true only at the last update to each (NumPy's rule for `x[idx] = v`), found
 * by a stable sort of the positions.
 */
function lastOfEach(at: Tensor): Tensor {
  const m = at.shape[0]!;
  const order = argsort(at);
  const sorted = layout.gather(at, order, 0);
  const next = layout.concat(
    [layout.slice(sorted, [1], [m]), layout.reshape(scalarLike(at, -1), [1])],
    0,
  );
  const isLast = cast(binary('ne', sorted, next), 'int32');
  return binary('gt', layout.scatterAdd(isLast, order, 0, m), scalarLike(isLast, 0));
}

/** The updates {@link at} offers on the selected entries; each returns a new tensor. */
export interface IndexUpdate {
  /** `x[idx]`, as {@link index}. */
  get(): Tensor;
  /** `x` with the selected entries replaced by `values` (broadcast); with repeated indices the last wins. */
  set(values: ArrayLike): Tensor;
  /** `x` with `values` added to the selected entries; repeated indices add up. */
  add(values: ArrayLike): Tensor;
  /** `x` with `values` subtracted from the selected entries; repeated indices add up. */
  subtract(values: ArrayLike): Tensor;
}

/**
 * JAX's `x.at[...]`: functional updates of the entries `numpy.index(x, ...indices)` selects. Every
 * index form of {@link index} works (numbers, slice strings, `null`, `'...'`, int32 tensors, bool
 * masks). Integer-tensor indices out of range are dropped (as JAX's default); numbers out of range
 * are errors. Values are converted to `x`'s dtype and broadcast to the indexed shape.
 *
 * @example
 * ```ts
 * const x = numpy.zeros([2, 3]);
 * numpy.at(x, 0, '1:').set(5).tolist(); // [[0, 5, 5], [0, 0, 0]]
 * numpy.at(x, '...', 0).add(numpy.array([1, 2])).tolist(); // [[1, 0, 0], [2, 0, 0]]
 * const i = numpy.array([0, 0, 2], { dtype: 'int32' });
 * numpy.at(numpy.zeros([3]), i).add(1).tolist(); // [2, 0, 1]
 * numpy.at(numpy.zeros([3]), i).set(numpy.array([7, 8, 9])).tolist(); // [8, 0, 9]
 * ```
 */
export function at(x: ArrayLike, ...indices: Index[]): IndexUpdate {
  const t = asarrayFor('at', x);
  const work = t.dtype === 'bool' ? cast(t, 'int32') : t;
  const back = (y: Tensor): Tensor => (t.dtype === 'bool' ? binary('ne', y, scalarLike(y, 0)) : y);
  const accumulate = (op: string, values: ArrayLike, sign: 1 | -1): Tensor => {
    const target = targets(op, t, indices);
    let updates = updatesFor(
      op,
      work,
      t.dtype === 'bool' ? cast(asarrayFor('at', values), 'int32') : values,
      target.shape,
    );
    if (sign < 0) updates = binary('sub', scalarLike(updates, 0), updates);
    const [landAt, kept] = landing(target);
    return back(binary('add', work, scatter(work, updates, landAt, kept)));
  };
  return {
    get: () => index(t, ...indices),
    add: (values) => accumulate('at.add', values, 1),
    subtract: (values) => accumulate('at.subtract', values, -1),
    set: (values) => {
      const target = targets('at.set', t, indices);
      const updates = updatesFor(
        'at.set',
        work,
        t.dtype === 'bool' ? cast(asarrayFor('at', values), 'int32') : values,
        target.shape,
      );
      const [landAt, landed] = landing(target);
      const kept =
        target.mayRepeat && landAt.size > 1
          ? binary('logicalAnd', landed, lastOfEach(where(landed, landAt, scalarLike(landAt, -1))))
          : landed;
      const placed = scatter(work, updates, landAt, kept);
      const hit = binary(
        'gt',
        scatter(work, cast(kept, work.dtype), landAt, kept),
        scalarLike(work, 0),
      );
      return back(where(hit, placed, work));
    },
  };
}
