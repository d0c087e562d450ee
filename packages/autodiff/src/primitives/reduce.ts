/** Reduction primitives (sum, prod, max, min over a set of axes; argmax/argmin; cumsum). */
import type { ArgReduceOp, ReduceOp } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import { bind, definePrimitive, type Aval, type Primitive } from '../core/primitive.js';
import type { Tensor } from '../tensor.js';
import { binary, cast } from './elementwise.js';
import { broadcastTo, pad, reshape, slice, transpose } from './layout.js';

/** Axes are sorted, distinct and in range (callers normalise them). */
interface ReduceParams {
  readonly axes: readonly number[];
}

function reducedShape(x: Aval, axes: readonly number[]): number[] {
  return x.shape.filter((_, d) => !axes.includes(d));
}

/** The shape of `x` with reduced axes kept as 1, for broadcasting a reduction back over `x`. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((n, d) => (axes.includes(d) ? 1 : n));
}

/** Broadcasts a reduction's result (or its cotangent) back to the shape of the reduced input. */
function expandBack(y: Tensor, inputShape: readonly number[], axes: readonly number[]): Tensor {
  return broadcastTo(reshape(y, keptShape(inputShape, axes)), inputShape);
}

const REDUCE = new Map<ReduceOp, Primitive<ReduceParams>>();

function defineReduce(
  op: ReduceOp,
  vjp: (ct: Tensor, x: Tensor, y: Tensor, axes: readonly number[]) => Tensor,
): void {
  REDUCE.set(
    op,
    definePrimitive<ReduceParams>({
      name: `reduce_${op}`,
      shape: ([x], { axes }) => {
        if (x!.dtype === 'bool')
          throw new TensorError(op, `expected float32 or int32 input, found ${avalText(x!)}`);
        return { shape: reducedShape(x!, axes), dtype: x!.dtype };
      },
      impl: (backend, [x], { axes }) => backend.reduce(op, x!, axes),
      vjp: (ct, [x], y, { axes }) => [vjp(ct, x!, y, axes)],
    }),
  );
}

defineReduce('sum', (ct, x, _y, axes) => expandBack(ct, x.shape, axes));
// max/min: the cotangent goes to the elements equal to the result, split evenly among ties (as JAX).
const chooser = (ct: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor => {
  const hits = cast(binary('eq', x, expandBack(y, x.shape, axes)), x.dtype);
  const count = reduce('sum', hits, axes);
  return binary('mul', hits, expandBack(binary('div', ct, count), x.shape, axes));
};
defineReduce('max', chooser);
defineReduce('min', chooser);
// prod: d/dx_i = the product of the other elements, computed without division (so zeros are fine) as
// the exclusive prefix product times the exclusive suffix product over the reduced axes, flattened to
// one. Both are scans of `mul`, so the rule is itself differentiable at every point.
defineReduce('prod', (ct, x, _y, axes) => {
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const perm = [...kept, ...axes];
  const n = axes.reduce((size, a) => size * x.shape[a]!, 1);
  const flat = reshape(transpose(x, perm), [...kept.map((d) => x.shape[d]!), n]);
  const last = flat.ndim - 1;
  const others = binary(
    'mul',
    exclusiveProducts(flat, last, false),
    exclusiveProducts(flat, last, true),
  );
  const inverse: number[] = [];
  perm.forEach((p, i) => (inverse[p] = i));
  const back = transpose(
    reshape(
      others,
      perm.map((d) => x.shape[d]!),
    ),
    inverse,
  );
  return binary('mul', back, expandBack(ct, x.shape, axes));
});

/**
 * The product of the elements before each one along `axis` (after it when `fromEnd`), 1 for the first:
 * a Hillis-Steele scan in log2(n) shifted multiplications.
 */
function exclusiveProducts(x: Tensor, axis: number, fromEnd: boolean): Tensor {
  const n = x.shape[axis]!;
  const zeros = x.shape.map(() => 0);
  const shift = (t: Tensor, by: number): Tensor => {
    const start = x.shape.map((_, d) => (d === axis && fromEnd ? Math.min(by, n) : 0));
    const limit = x.shape.map((len, d) => (d === axis && !fromEnd ? Math.max(n - by, 0) : len));
    const padding = zeros.map((_, d) => (d === axis ? Math.min(by, n) : 0));
    const kept = slice(t, start, limit);
    return fromEnd ? pad(kept, zeros, padding, 1) : pad(kept, padding, zeros, 1);
  };
  let inclusive = x;
  for (let by = 1; by < n; by *= 2) inclusive = binary('mul', inclusive, shift(inclusive, by));
  return shift(inclusive, 1);
}

/** Reduces `x` over `axes` (sorted, distinct, in range); the result drops those axes. */
export function reduce(op: ReduceOp, x: Tensor, axes: readonly number[]): Tensor {
  if (axes.length === 0) return x;
  return bind(REDUCE.get(op)!, [x], { axes });
}

/**
 * Sums `x` down to `shape`, undoing NumPy broadcasting: leading extra axes and axes where `shape` has 1
 * are summed. Used by the VJP of every broadcasting primitive.
 */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  if (x.shape.length === shape.length && x.shape.every((n, d) => n === shape[d])) return x;
  const lead = x.ndim - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && x.shape[d] !== 1)) axes.push(d);
  }
  return reshape(reduce('sum', x, axes), shape);
}

const ARG = new Map<ArgReduceOp, Primitive<number>>();
for (const op of ['argmax', 'argmin'] as const) {
  ARG.set(
    op,
    definePrimitive<number>({
      name: op,
      shape: ([x], axis) => {
        if (x!.dtype === 'bool')
          throw new TensorError(op, `expected float32 or int32 input, found ${avalText(x!)}`);
        if (x!.shape[axis] === 0)
          throw new TensorError(op, `axis ${axis} of ${avalText(x!)} is empty`);
        return { shape: x!.shape.filter((_, d) => d !== axis), dtype: 'int32' };
      },
      impl: (backend, [x], axis) => backend.argReduce(op, x!, axis),
    }),
  );
}

/** The int32 index of the largest (`argmax`) or smallest (`argmin`) element along `axis`. */
export function argReduce(op: ArgReduceOp, x: Tensor, axis: number): Tensor {
  return bind(ARG.get(op)!, [x], axis);
}

interface CumsumParams {
  readonly axis: number;
  readonly reverse: boolean;
}

const cumsumP = definePrimitive<CumsumParams>({
  name: 'cumsum',
  shape: ([x]) => {
    if (x!.dtype === 'bool')
      throw new TensorError('cumsum', `expected float32 or int32 input, found ${avalText(x!)}`);
    return x!;
  },
  impl: (backend, [x], { axis, reverse }) => backend.cumsum(x!, axis, reverse),
  vjp: (ct, _inputs, _y, { axis, reverse }) => [cumsum(ct, axis, !reverse)],
});

/** Inclusive cumulative sum along `axis` (from the end when `reverse`). */
export function cumsum(x: Tensor, axis: number, reverse = false): Tensor {
  return bind(cumsumP, [x], { axis, reverse });
}
