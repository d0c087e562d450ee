/**
 * Max and average pooling and their gradients on gpu.js. The gradient of max pooling finds, for each
 * window an input position is in, whether that position is the window's pick (its first NaN, else its
 * first largest element), so no argmax array passes between kernels. Infinity, the NaN test and the
 * average's division (correctly rounded, as the CPU's) come from helpers: see glsl-math.ts.
 */
import type { PoolOp } from '../backend.js';
import { checkFloat32, checkGradShape, checkPoolOp } from '../spatial-checks.js';
import { resolvePool, type PoolOptions, type WindowGeometry } from '../spatial.js';
import type { GpuJsArray } from './array.js';
import { runFloat, type GpuJsContext } from './context.js';
import { kernelSource, names, unravel } from './source.js';
import { flat, inputPositions, outputPositions, overTaps } from './window.js';

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Source splitting `i` into a plane (batch and channel together) and spatial `prefix{d}`. */
function splitIndex(spatial: readonly number[], prefix: string): string {
  const s = product(spatial);
  return `const plane = Math.floor(i / ${s});
const within = i - plane * ${s};
${unravel('within', spatial, names(prefix, spatial.length))}`;
}

/** See {@link Backend.pool}. */
export function pool(
  ctx: GpuJsContext,
  op: PoolOp,
  x: GpuJsArray,
  options: PoolOptions,
): GpuJsArray {
  checkPoolOp('pool', op);
  checkFloat32('pool', 'x', x);
  const g = resolvePool('pool', x.shape, options);
  const taps = inputPositions(g);
  const take = op === 'max' ? 'if (v > acc || isNanF(v) !== 0) {\nacc = v;\n}' : 'acc += v;';
  const body = `${splitIndex(g.outSpatial, 'o')}
const base = plane * ${product(g.inSpatial)};
let acc = ${op === 'max' ? '-posInf()' : '0'};
${overTaps(
  g.window,
  `${taps.lines}
if (${taps.inside}) {
const v = src[base + ${flat('p', g.inSpatial)}];
${take}
}`,
)}`;
  const result = op === 'max' ? 'acc' : `divF(acc, ${product(g.window)})`;
  const shape = [x.shape[0]!, x.shape[1]!, ...g.outSpatial];
  return runFloat(ctx, 'pool', kernelSource(['src'], body, result), shape, [x]);
}

/** Source that sets `pick` to the flat tap of window `o` that max pooling picks (-1: all padding). */
function windowPick(g: WindowGeometry): string {
  const taps = inputPositions(g, 'o', 'q', 'r');
  return `let pick = -1;
let best = -posInf();
let sawNaN = 0;
${overTaps(
  g.window,
  `${taps.lines}
if (${taps.inside}) {
const w = src[base + ${flat('r', g.inSpatial)}];
if (sawNaN === 0) {
if (isNanF(w) !== 0) {
sawNaN = 1;
pick = ${flat('q', g.window)};
} else if (pick < 0 || w > best) {
pick = ${flat('q', g.window)};
best = w;
}
}
}`,
  'q',
)}`;
}

/** See {@link Backend.poolBackward}. */
export function poolBackward(
  ctx: GpuJsContext,
  op: PoolOp,
  dy: GpuJsArray,
  x: GpuJsArray,
  options: PoolOptions,
): GpuJsArray {
  const kernel = 'poolBackward';
  checkPoolOp(kernel, op);
  checkFloat32(kernel, 'dy', dy);
  checkFloat32(kernel, 'x', x);
  const g = resolvePool(kernel, x.shape, options);
  checkGradShape(kernel, dy, [x.shape[0]!, x.shape[1]!, ...g.outSpatial]);
  const outs = outputPositions(g);
  const dyAt = `grad[plane * ${product(g.outSpatial)} + ${flat('o', g.outSpatial)}]`;
  const take =
    op === 'max'
      ? `${windowPick(g)}
if (pick === ${flat('k', g.window)}) {
acc += ${dyAt};
}`
      : `acc += divF(${dyAt}, ${product(g.window)});`;
  const body = `${splitIndex(g.inSpatial, 'p')}
const base = plane * ${product(g.inSpatial)};
let acc = 0;
${overTaps(
  g.window,
  `${outs.lines}
if (${outs.inside}) {
${take}
}`,
)}`;
  return runFloat(ctx, kernel, kernelSource(['grad', 'src'], body, 'acc'), x.shape, [dy, x]);
}
