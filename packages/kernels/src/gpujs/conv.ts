/**
 * Convolution and its two gradients on gpu.js, each as a direct loop per output element: no im2col
 * buffers, which WebGL could not write from one kernel anyway. Checks are the shared ones of every
 * backend.
 */
import { checkConv, checkConvBackwardFilter, checkConvBackwardInput } from '../spatial-checks.js';
import type { ConvGeometry, ConvOptions } from '../spatial.js';
import type { GpuJsArray } from './array.js';
import { runFloat, type GpuJsContext } from './context.js';
import { kernelSource, names, unravel } from './source.js';
import { flat, inputPositions, outputPositions, overTaps } from './window.js';

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Source splitting `i` into `n`, a channel `channelName` of `channels`, and spatial `prefix{d}`. */
function splitIndex(
  channels: number,
  spatial: readonly number[],
  channelName: string,
  prefix: string,
): string {
  const s = product(spatial);
  return `const plane = Math.floor(i / ${s});
const n = Math.floor(plane / ${channels});
const ${channelName} = plane - n * ${channels};
const within = i - plane * ${s};
${unravel('within', spatial, names(prefix, spatial.length))}`;
}

/** See {@link Backend.conv}. */
export function conv(
  ctx: GpuJsContext,
  x: GpuJsArray,
  w: GpuJsArray,
  options?: ConvOptions,
): GpuJsArray {
  const g = checkConv(x, w, options);
  const { cinG, coutG } = groupSizes(g);
  const taps = inputPositions(g);
  const body = `${splitIndex(g.outChannels, g.outSpatial, 'co', 'o')}
const group = Math.floor(co / ${coutG});
let acc = 0;
for (let ci = 0; ci < ${cinG}; ci++) {
const xBase = (n * ${g.inChannels} + group * ${cinG} + ci) * ${product(g.inSpatial)};
const wBase = (co * ${cinG} + ci) * ${product(g.window)};
${overTaps(
  g.window,
  `${taps.lines}
if (${taps.inside}) {
acc += src[xBase + ${flat('p', g.inSpatial)}] * filter[wBase + ${flat('k', g.window)}];
}`,
)}
}`;
  const shape = [g.batch, g.outChannels, ...g.outSpatial];
  return runFloat(ctx, 'conv', kernelSource(['src', 'filter'], body, 'acc'), shape, [x, w]);
}

/** See {@link Backend.convBackwardInput}: each input position sums the outputs whose window reads it. */
export function convBackwardInput(
  ctx: GpuJsContext,
  dy: GpuJsArray,
  w: GpuJsArray,
  xShape: readonly number[],
  options?: ConvOptions,
): GpuJsArray {
  const kernel = 'convBackwardInput';
  const g = checkConvBackwardInput(dy, w, xShape, options);
  const { cinG, coutG } = groupSizes(g);
  const outs = outputPositions(g);
  const body = `${splitIndex(g.inChannels, g.inSpatial, 'c', 'p')}
const group = Math.floor(c / ${cinG});
const ci = c - group * ${cinG};
let acc = 0;
for (let j = 0; j < ${coutG}; j++) {
const co = group * ${coutG} + j;
const dyBase = (n * ${g.outChannels} + co) * ${product(g.outSpatial)};
const wBase = (co * ${cinG} + ci) * ${product(g.window)};
${overTaps(
  g.window,
  `${outs.lines}
if (${outs.inside}) {
acc += grad[dyBase + ${flat('o', g.outSpatial)}] * filter[wBase + ${flat('k', g.window)}];
}`,
)}
}`;
  return runFloat(ctx, kernel, kernelSource(['grad', 'filter'], body, 'acc'), xShape, [dy, w]);
}

/** See {@link Backend.convBackwardFilter}: each tap sums input times gradient over batch and outputs. */
export function convBackwardFilter(
  ctx: GpuJsContext,
  x: GpuJsArray,
  dy: GpuJsArray,
  wShape: readonly number[],
  options?: ConvOptions,
): GpuJsArray {
  const kernel = 'convBackwardFilter';
  const g = checkConvBackwardFilter(x, dy, wShape, options);
  const { cinG, coutG } = groupSizes(g);
  const taps = inputPositions(g);
  const body = `const plane = Math.floor(i / ${product(g.window)});
const co = Math.floor(plane / ${cinG});
const ci = plane - co * ${cinG};
const within = i - plane * ${product(g.window)};
${unravel('within', g.window, names('k', g.window.length))}
const group = Math.floor(co / ${coutG});
let acc = 0;
for (let n = 0; n < ${g.batch}; n++) {
const xBase = (n * ${g.inChannels} + group * ${cinG} + ci) * ${product(g.inSpatial)};
const dyBase = (n * ${g.outChannels} + co) * ${product(g.outSpatial)};
${overTaps(
  g.outSpatial,
  `${taps.lines}
if (${taps.inside}) {
acc += src[xBase + ${flat('p', g.inSpatial)}] * grad[dyBase + ${flat('o', g.outSpatial)}];
}`,
  'o',
)}
}`;
  return runFloat(ctx, kernel, kernelSource(['src', 'grad'], body, 'acc'), wShape, [x, dy]);
}

function groupSizes(g: ConvGeometry): { cinG: number; coutG: number } {
  return { cinG: g.inChannels / g.groups, coutG: g.outChannels / g.groups };
}
