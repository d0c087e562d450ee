/**
 * Reductions on gpu.js: one thread per output element loops over the elements it reduces, in the
 * CPU backend's order. argmax, argmin and argsort give int32 indices, so they run on the host.
 */
import type { ArgReduceOp, ReduceOp } from '../backend.js';
import { checkNumeric, checkOp } from '../reduce-checks.js';
import { contiguousStrides, normalizeAxes, normalizeAxis } from '../shape.js';
import type { GpuJsArray } from './array.js';
import { fromHost, runFloat, toHost, type GpuJsContext } from './context.js';
import { dot, kernelSource, names, unravel } from './source.js';

/**
 * Each op's start value and how it takes in `v`; a NaN sticks in max and min. Infinity and the NaN
 * test come from helpers (glsl-math.ts): gpu.js writes the literal `Infinity` as 3.4e38 in GLSL.
 */
const ACCUMULATE: Record<ReduceOp, { init: string; step: string }> = {
  sum: { init: '0', step: 'acc += v;' },
  prod: { init: '1', step: 'acc *= v;' },
  max: { init: '-posInf()', step: 'if (v > acc || isNanF(v) !== 0) {\nacc = v;\n}' },
  min: { init: 'posInf()', step: 'if (v < acc || isNanF(v) !== 0) {\nacc = v;\n}' },
};

/** See {@link Backend.reduce}. */
export function reduce(
  ctx: GpuJsContext,
  op: ReduceOp,
  x: GpuJsArray,
  axes: readonly number[],
): GpuJsArray {
  if (x.dtype !== 'float32') return fromHost(ctx, ctx.host.reduce(op, toHost(ctx, x), axes));
  checkOp('reduce', op, ['sum', 'prod', 'max', 'min']);
  checkNumeric(op, x);
  const rank = x.shape.length;
  const reduced = normalizeAxes(op, 'axes', axes, rank);
  const kept = [...Array(rank).keys()].filter((d) => !reduced.includes(d));
  const strides = contiguousStrides(x.shape);
  const shape = kept.map((d) => x.shape[d]!);
  const inner = reduced.map((d) => x.shape[d]!);
  const count = inner.reduce((a, b) => a * b, 1);
  const outer = names('o', kept.length);
  const within = names('r', reduced.length);
  const { init, step } = ACCUMULATE[op];
  const body = `${unravel('i', shape, outer)}
const base = ${dot(
    outer,
    kept.map((d) => strides[d]!),
  )};
let acc = ${init};
for (let j = 0; j < ${count}; j++) {
${unravel('j', inner, within)}
const v = src[base + ${dot(
    within,
    reduced.map((d) => strides[d]!),
  )}];
${step}
}`;
  return runFloat(ctx, op, kernelSource(['src'], body, 'acc'), shape, [x]);
}

/** See {@link Backend.cumsum}: each element sums its prefix (suffix when `reverse`) in order. */
export function cumsum(
  ctx: GpuJsContext,
  x: GpuJsArray,
  axis: number,
  reverse: boolean,
): GpuJsArray {
  if (x.dtype !== 'float32') return fromHost(ctx, ctx.host.cumsum(toHost(ctx, x), axis, reverse));
  const d = normalizeAxis('cumsum', 'axis', axis, x.shape.length);
  const n = x.shape[d]!;
  const stride = contiguousStrides(x.shape)[d]!;
  const body = `const p = Math.floor(i / ${stride}) - Math.floor(i / ${stride * n}) * ${n};
const base = i - p * ${stride};
let acc = 0;
for (let t = 0; t < ${n}; t++) {
const j = ${reverse ? `${n - 1} - t` : 't'};
if (${reverse ? 'j >= p' : 'j <= p'}) {
acc += src[base + j * ${stride}];
}
}`;
  return runFloat(ctx, 'cumsum', kernelSource(['src'], body, 'acc'), x.shape, [x]);
}

/** See {@link Backend.argReduce}: int32 indices, on the host. */
export function argReduce(
  ctx: GpuJsContext,
  op: ArgReduceOp,
  x: GpuJsArray,
  axis: number,
): GpuJsArray {
  return fromHost(ctx, ctx.host.argReduce(op, toHost(ctx, x), axis));
}

/** See {@link Backend.argsort}: int32 indices, on the host. */
export function argsort(
  ctx: GpuJsContext,
  x: GpuJsArray,
  axis: number,
  descending: boolean,
): GpuJsArray {
  return fromHost(ctx, ctx.host.argsort(toHost(ctx, x), axis, descending));
}
