/**
 * Layout kernels on gpu.js. Arrays are always contiguous, so each of these but reshape is a copy: a
 * kernel that finds, for each output element, the input element it comes from. int32 and bool arrays
 * are copied on the host.
 */
import { KernelError, shapeText } from '../errors.js';
import { checkBroadcastTo, concatShape, padShape, sliceShape } from '../layout-checks.js';
import { checkPermutation, checkShape, contiguousStrides, sizeOf } from '../shape.js';
import { GpuJsArray } from './array.js';
import { fromHost, runFloat, toHost, type GpuJsContext } from './context.js';
import { broadcastStrides, dot, kernelSource, names, unravel } from './source.js';

/** Copies `x` into `shape`, reading element `strides · coordinates + offset` for each output element. */
function gatherStrided(
  ctx: GpuJsContext,
  kernel: string,
  x: GpuJsArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): GpuJsArray {
  const coords = names('d', shape.length);
  const body = unravel('i', shape, coords);
  return runFloat(
    ctx,
    kernel,
    kernelSource(['src'], body, `src[${dot(coords, strides, String(offset))}]`),
    shape,
    [x],
  );
}

/** See {@link Backend.reshape}: no copy; the result shares `x`'s elements. */
export function reshape(x: GpuJsArray, shape: readonly number[]): GpuJsArray {
  checkShape('reshape', 'shape', shape);
  if (sizeOf(shape) !== x.size) {
    throw new KernelError(
      'reshape',
      `cannot reshape ${shapeText(x.shape)} (${x.size} elements) to ${shapeText(shape)} ` +
        `(${sizeOf(shape)} elements)`,
    );
  }
  return new GpuJsArray(x.backend, x.dtype, [...shape], x.storage);
}

/** See {@link Backend.transpose}. */
export function transpose(ctx: GpuJsContext, x: GpuJsArray, perm: readonly number[]): GpuJsArray {
  if (x.dtype !== 'float32') return fromHost(ctx, ctx.host.transpose(toHost(ctx, x), perm));
  checkPermutation('transpose', perm, x.shape.length);
  const own = contiguousStrides(x.shape);
  return gatherStrided(
    ctx,
    'transpose',
    x,
    perm.map((p) => x.shape[p]!),
    perm.map((p) => own[p]!),
    0,
  );
}

/** See {@link Backend.broadcastTo}. */
export function broadcastTo(
  ctx: GpuJsContext,
  x: GpuJsArray,
  shape: readonly number[],
): GpuJsArray {
  if (x.dtype !== 'float32') return fromHost(ctx, ctx.host.broadcastTo(toHost(ctx, x), shape));
  checkBroadcastTo(x.shape, shape);
  return gatherStrided(ctx, 'broadcastTo', x, shape, broadcastStrides(x.shape, shape), 0);
}

/** See {@link Backend.slice}. */
export function slice(
  ctx: GpuJsContext,
  x: GpuJsArray,
  start: readonly number[],
  limit: readonly number[],
  strides?: readonly number[],
): GpuJsArray {
  if (x.dtype !== 'float32') {
    return fromHost(ctx, ctx.host.slice(toHost(ctx, x), start, limit, strides));
  }
  const { shape, steps } = sliceShape(x.shape, start, limit, strides);
  const own = contiguousStrides(x.shape);
  const offset = sizeOf(shape) === 0 ? 0 : start.reduce((sum, s, d) => sum + s * own[d]!, 0);
  return gatherStrided(
    ctx,
    'slice',
    x,
    shape,
    own.map((s, d) => s * steps[d]!),
    offset,
  );
}

/** At most this many arrays go into one concat kernel (WebGL has few texture units). */
const CONCAT_INPUTS = 8;

/** See {@link Backend.concat}. */
export function concat(ctx: GpuJsContext, xs: readonly GpuJsArray[], axis: number): GpuJsArray {
  if (xs[0]!.dtype !== 'float32' || xs.some((x) => x.dtype !== xs[0]!.dtype)) {
    return fromHost(
      ctx,
      ctx.host.concat(
        xs.map((x) => toHost(ctx, x)),
        axis,
      ),
    );
  }
  const { axis: d, shape } = concatShape(xs, axis);
  if (xs.length > CONCAT_INPUTS) {
    const heads = [];
    for (let k = 0; k < xs.length; k += CONCAT_INPUTS) {
      heads.push(concat(ctx, xs.slice(k, k + CONCAT_INPUTS), d));
    }
    return concat(ctx, heads, d);
  }
  const coords = names('d', shape.length);
  // Pick the input by the coordinate along the axis: the last one whose start it has passed.
  let result = '0';
  let start = 0;
  xs.forEach((x, k) => {
    const local = coords.map((c, j) => (j === d ? `(${c} - ${start})` : c));
    const read = `in${k}[${dot(local, contiguousStrides(x.shape))}]`;
    result = k === 0 ? read : `(${coords[d]} >= ${start} ? ${read} : ${result})`;
    start += x.shape[d]!;
  });
  const args = xs.map((_, k) => `in${k}`);
  return runFloat(
    ctx,
    'concat',
    kernelSource(args, unravel('i', shape, coords), result),
    shape,
    xs,
  );
}

/** See {@link Backend.pad}. */
export function pad(
  ctx: GpuJsContext,
  x: GpuJsArray,
  lo: readonly number[],
  hi: readonly number[],
  value: number,
  interior?: readonly number[],
): GpuJsArray {
  if (x.dtype !== 'float32') {
    return fromHost(ctx, ctx.host.pad(toHost(ctx, x), lo, hi, value, interior));
  }
  const { shape, gaps } = padShape(x.shape, lo, hi, value, interior);
  const coords = names('d', shape.length);
  const at = names('p', shape.length);
  // Along each dimension, t = d - lo must be a multiple of (gap + 1) that lands inside x.
  const lines = shape.map((_, d) => {
    const step = gaps[d]! + 1;
    return `const t${d} = ${coords[d]} - ${lo[d]};\nconst ${at[d]} = Math.floor(t${d} / ${step});`;
  });
  const inside = shape.map(
    (_, d) => `t${d} >= 0 && t${d} === ${at[d]} * ${gaps[d]! + 1} && ${at[d]} < ${x.shape[d]}`,
  );
  const test = inside.length === 0 ? 'true' : inside.join(' && ');
  const body = `${unravel('i', shape, coords)}\n${lines.join('\n')}`;
  const read = `src[${dot(at, contiguousStrides(x.shape))}]`;
  const source = kernelSource(['src', 'value'], body, `(${test}) ? ${read} : value`);
  return runFloat(ctx, 'pad', source, shape, [x, value]);
}
