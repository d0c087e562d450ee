/**
 * Building blocks shared by the indexing functions (index, at, take, takeAlongAxis, flip, diagonal,
 * einsum): integer indices counted from the end and clamped, a check for integer indices, axis reversal
 * and diagonal gathers. Internal: not exported from the package.
 */
import { TensorError, avalText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import * as layout from '../primitives/layout.js';
import { binary, where } from '../primitives/elementwise.js';
import { iotaLike, scalarLike } from '../primitives/constants.js';

/** int32 indices into an axis of length `n`, with negative ones counted from the end (`i + n`). */
export function wrapNegative(ix: Tensor, n: number): Tensor {
  return where(binary('lt', ix, scalarLike(ix, 0)), binary('add', ix, scalarLike(ix, n)), ix);
}

/** Indices already passed through {@link wrapNegative}, clamped into `[0, n - 1]` (JAX's gathers). */
export function clampIndex(wrapped: Tensor, n: number): Tensor {
  const zero = scalarLike(wrapped, 0);
  return binary('max', binary('min', wrapped, scalarLike(wrapped, Math.max(n - 1, 0))), zero);
}

/** Where indices already passed through {@link wrapNegative} lie in `[0, n)`. */
export function inRange(wrapped: Tensor, n: number): Tensor {
  return binary(
    'logicalAnd',
    binary('ge', wrapped, scalarLike(wrapped, 0)),
    binary('lt', wrapped, scalarLike(wrapped, n)),
  );
}

/**
 * Throws unless `indices` are integers: an int32 tensor, or JavaScript numbers that are all integers
 * (a float index would otherwise be truncated silently; JAX rejects it).
 */
export function checkIntegerIndices(op: string, argument: string, indices: unknown): void {
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') {
      throw new TensorError(op, `\`${argument}\` must be int32, found ${avalText(indices)}`);
    }
    return;
  }
  const bad = firstNonInteger(indices);
  if (bad !== undefined) {
    throw new TensorError(op, `\`${argument}\` must hold integers, found ${String(bad)}`);
  }
}

/** The first entry of a number, nested array or typed array that is not an integer. */
function firstNonInteger(values: unknown): number | boolean | undefined {
  if (typeof values === 'number') return Number.isInteger(values) ? undefined : values;
  if (typeof values === 'boolean') return values;
  if (values instanceof Float32Array || values instanceof Float64Array) {
    return values.find((v) => !Number.isInteger(v));
  }
  if (ArrayBuffer.isView(values)) return undefined; // integer typed arrays
  if (Array.isArray(values)) {
    for (const v of values as unknown[]) {
      const bad = firstNonInteger(v);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

/** `t` with the elements along `axis` in reverse order. */
export function reverseAxis(t: Tensor, axis: number): Tensor {
  const n = t.shape[axis]!;
  if (n <= 1) return t;
  const counting = iotaLike([n], 0, 'int32', t.backend);
  return layout.gather(t, binary('sub', scalarLike(counting, n - 1), counting), axis);
}

/**
 * The diagonal `offset` of the matrices in axes `rowAxis` and `colAxis` of `t` (distinct and already
 * normalised): the other axes come first, in order, and the diagonal last. Both axes are merged into
 * one and the diagonal's flat positions gathered.
 */
export function gatherDiagonal(t: Tensor, rowAxis: number, colAxis: number, offset = 0): Tensor {
  const rest = t.shape.map((_, d) => d).filter((d) => d !== rowAxis && d !== colAxis);
  const rows = t.shape[rowAxis]!;
  const cols = t.shape[colAxis]!;
  const length = Math.max(
    0,
    offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols),
  );
  const merged = layout.reshape(layout.transpose(t, [...rest, rowAxis, colAxis]), [
    ...rest.map((d) => t.shape[d]!),
    rows * cols,
  ]);
  const first = offset >= 0 ? offset : -offset * cols;
  const counting = iotaLike([length], 0, 'int32', t.backend);
  const positions = binary(
    'add',
    binary('mul', counting, scalarLike(counting, cols + 1)),
    scalarLike(counting, first),
  );
  return layout.gather(merged, positions, rest.length);
}
