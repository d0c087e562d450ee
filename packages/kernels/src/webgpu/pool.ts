/**
 * Pooling on WebGPU: one invocation per output element walks its window (windows are small). The
 * gradients gather instead of scatter, so no atomics are needed: each input element sums, over the
 * windows that cover it in row-major order (the CPU's order of accumulation), the share it gets.
 * Semantics and checks are the CPU backend's.
 */
import type { PoolOp } from '../backend.js';
import { resolvePool, type PoolOptions } from '../spatial.js';
import { checkFloat32, checkGradShape, checkPoolOp } from '../spatial-checks.js';
import { window3, type Window3 } from '../cpu/conv-geometry.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';
import { flatIndex, groupsFor } from './wgsl.js';

/** params: count, then these, read in WGSL as the same names. */
const GEOMETRY = [
  'inD',
  'inH',
  'inW',
  'kD',
  'kH',
  'kW',
  'sD',
  'sH',
  'sW',
  'pD',
  'pH',
  'pW',
  'outD',
  'outH',
  'outW',
  'inSize',
  'outSize',
  'kSize',
] as const satisfies readonly (keyof Window3)[];

function params(count: number, g: Window3): number[] {
  return [count, ...GEOMETRY.map((name) => g[name])];
}

/** Reads the geometry, and `windowOf(o)`: the clipped input range `[lo, hi)` of output `o`'s window. */
const HEADER = /* wgsl */ `
${GEOMETRY.map((name) => `var<private> ${name}: u32;`).join('\n')}
fn readGeometry() {
${GEOMETRY.map((name, j) => `  ${name} = u32(params[${j + 1}]);`).join('\n')}
}
struct Range { lo: vec3u, hi: vec3u }
fn clip(o: u32, size: u32, window: u32, stride: u32, pad: u32) -> vec2u {
  let start = i32(o * stride) - i32(pad);
  let lo = max(0, start);
  return vec2u(u32(lo), u32(max(lo, min(i32(size), start + i32(window)))));
}
fn windowOf(o: u32) -> Range {
  let d = clip(o / (outH * outW), inD, kD, sD, pD);
  let h = clip((o / outW) % outH, inH, kH, sH, pH);
  let w = clip(o % outW, inW, kW, sW, pW);
  return Range(vec3u(d.x, h.x, w.x), vec3u(d.y, h.y, w.y));
}
/** The outputs whose windows cover input coordinate \`i\` along one dimension: [first, end). */
fn covering(i: u32, window: u32, stride: u32, pad: u32, out: u32) -> vec2u {
  // o covers i when o * stride - pad <= i < o * stride - pad + window.
  let last = (i + pad) / stride;
  let reach = i32(i + pad) - i32(window) + 1;
  let first = select(0u, u32((reach + i32(stride) - 1) / i32(stride)), reach > 0);
  return vec2u(first, min(last + 1u, out));
}`;

/** Loops `body` over the input elements of window `r` (a Range), `at` being the element's index in the plane. */
function forWindow(r: string, body: string): string {
  return `
  for (var id = ${r}.lo.x; id < ${r}.hi.x; id++) {
    for (var ih = ${r}.lo.y; ih < ${r}.hi.y; ih++) {
      for (var iw = ${r}.lo.z; iw < ${r}.hi.z; iw++) {
        let at = (id * inH + ih) * inW + iw;
${body}
      }
    }
  }`;
}

/**
 * Max or average pooling of float32 `x: [N, C, ...spatial]` (1 to 3 spatial dimensions) over windows;
 * returns `[N, C, ...outSpatial]`. Max pads with -Infinity and propagates NaN; average divides by the
 * whole window size, padding included.
 */
export function pool(
  runner: Runner,
  op: PoolOp,
  x: WebGpuArray,
  options: PoolOptions,
): WebGpuArray {
  checkPoolOp('pool', op);
  checkFloat32('pool', 'x', x);
  const resolved = resolvePool('pool', x.shape, options);
  const g = window3(resolved);
  const shape = [x.shape[0]!, x.shape[1]!, ...resolved.outSpatial];
  const count = x.shape[0]! * x.shape[1]! * g.outSize;
  if (count === 0) return runner.allocate(shape, 'float32');
  const step = op === 'max' ? 'acc = maxNaN(acc, in0[base + at]);' : 'acc += in0[base + at];';
  const [y] = runner.run({
    key: `pool:${op}`,
    code: () => `${HEADER}
${flatIndex('u32(params[0])')}
  readGeometry();
  let base = (i / outSize) * inSize;
  let r = windowOf(i % outSize);
  var acc = ${op === 'max' ? '-inf()' : '0.0'};
${forWindow('r', `        ${step}`)}
  out0[i] = ${op === 'max' ? 'acc' : 'acc / f32(kSize)'};
}`,
    inputs: [x],
    outputs: [{ shape, dtype: 'float32' }],
    params: params(count, g),
    groups: groupsFor(count),
  });
  return y!;
}

/**
 * The index within its plane of each max-pooling window's first largest element (a NaN counting as
 * the largest), or -1 for a window wholly in the padding: `[planes * outSize]` int32.
 */
function windowArgmax(runner: Runner, x: WebGpuArray, g: Window3, count: number): WebGpuArray {
  const [argmax] = runner.run({
    key: 'pool:argmax',
    code: () => `${HEADER}
${flatIndex('u32(params[0])')}
  readGeometry();
  let base = (i / outSize) * inSize;
  let r = windowOf(i % outSize);
  var best = -1;
  var m = 0.0;
${forWindow(
  'r',
  `        let v = in0[base + at];
        if (best < 0 || v > m || (isNanF(v) && !isNanF(m))) {
          best = i32(at);
          m = v;
        }`,
)}
  out0[i] = best;
}`,
    inputs: [x],
    outputs: [{ shape: [count], dtype: 'int32' }],
    params: params(count, g),
    groups: groupsFor(count),
  });
  return argmax!;
}

/**
 * The gradient of {@link pool} with respect to `x`, given `dy` shaped like pool's output. Max routes
 * each window's gradient to the window's first largest element (row-major order within the window, a
 * NaN counting as the largest); average spreads `dy / windowSize` over the window.
 */
export function poolBackward(
  runner: Runner,
  op: PoolOp,
  dy: WebGpuArray,
  x: WebGpuArray,
  options: PoolOptions,
): WebGpuArray {
  const kernel = 'poolBackward';
  checkPoolOp(kernel, op);
  checkFloat32(kernel, 'dy', dy);
  checkFloat32(kernel, 'x', x);
  const resolved = resolvePool(kernel, x.shape, options);
  checkGradShape(kernel, dy, [x.shape[0]!, x.shape[1]!, ...resolved.outSpatial]);
  const g = window3(resolved);
  const count = x.size;
  if (count === 0) return runner.allocate(x.shape, 'float32');
  // For max, in1 holds each window's argmax: an input element takes the gradients of the windows
  // whose argmax it is. With no windows at all (dy empty), every share is 0 whatever the op.
  const argmax = op === 'max' && dy.size > 0 ? windowArgmax(runner, x, g, dy.size) : undefined;
  const share = argmax ? 'select(0.0, in0[o], in1[o] == i32(q))' : 'in0[o] / f32(kSize)';
  const [dx] = runner.run({
    key: `poolBackward:${argmax ? 'max' : 'avg'}`,
    code: () => `${HEADER}
${flatIndex('u32(params[0])')}
  readGeometry();
  let q = i % inSize;
  let base = (i / inSize) * outSize;
  let d = covering(q / (inH * inW), kD, sD, pD, outD);
  let h = covering((q / inW) % inH, kH, sH, pH, outH);
  let w = covering(q % inW, kW, sW, pW, outW);
  var acc = 0.0;
  for (var od = d.x; od < d.y; od++) {
    for (var oh = h.x; oh < h.y; oh++) {
      for (var ow = w.x; ow < w.y; ow++) {
        let o = base + (od * outH + oh) * outW + ow;
        acc += ${share};
      }
    }
  }
  out0[i] = acc;
}`,
    inputs: argmax ? [dy, argmax] : [dy],
    outputs: [{ shape: x.shape, dtype: 'float32' }],
    params: params(count, g),
    groups: groupsFor(count),
  });
  argmax?.release();
  return dx!;
}
