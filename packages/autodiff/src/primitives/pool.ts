/**
 * The pooling primitives: `pool` (max or average over sliding windows of `[N, C, ...spatial]`) and its
 * gradient `poolBackward`. `poolBackward` is linear in `dy`, so its own VJP is the transpose in `dy`:
 * average pooling of the cotangent for 'avg', and for 'max' the cotangent read back at each window's
 * chosen element (built from gather, so it differentiates further).
 */
import { resolvePool, type PoolOp, type WindowGeometry } from '@equinox-ts/kernels';
import { TensorError, avalText, shapeText } from '../core/errors.js';
import { bind, definePrimitive } from '../core/primitive.js';
import { kernelCheck, requireFloat32 } from './checks.js';
import { Tensor } from '../tensor.js';
import { filled, iotaLike, scalarLike } from './constants.js';
import { binary, unary, where } from './elementwise.js';
import { gather, reshape } from './layout.js';
import { reduce } from './reduce.js';

/** A pooling's options, resolved: one entry per spatial dimension, explicit padding. */
export interface PoolParams {
  readonly op: PoolOp;
  readonly window: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
}

/** Checks shapes and options with the kernels' own rules, reporting them as a TensorError of `op`. */
export function poolGeometry(
  op: string,
  xShape: readonly number[],
  params: PoolParams,
): WindowGeometry {
  if (params.op !== 'max' && params.op !== 'avg') {
    throw new TensorError(
      op,
      `the reduction must be 'max' or 'avg', found ${JSON.stringify(params.op)}`,
    );
  }
  return kernelCheck(op, () => resolvePool(op, xShape, params));
}

const outputShape = (xShape: readonly number[], g: WindowGeometry): number[] => [
  xShape[0]!,
  xShape[1]!,
  ...g.outSpatial,
];

const poolP = definePrimitive<PoolParams>({
  name: 'pool',
  shape: ([x], params) => {
    requireFloat32('pool', 'x', x!);
    return {
      shape: outputShape(x!.shape, poolGeometry('pool', x!.shape, params)),
      dtype: 'float32',
    };
  },
  impl: (backend, [x], params) => backend.pool(params.op, x!, params),
  vjp: (ct, [x], _y, params) => [poolBackward(ct, x!, params)],
});

/**
 * Max or average pooling of `x: [N, C, ...spatial]`. Max pads with -Infinity; average divides by the
 * whole window size, padding included.
 */
export function pool(x: Tensor, params: PoolParams): Tensor {
  return bind(poolP, [x], params);
}

const poolBackwardP = definePrimitive<PoolParams>({
  name: 'poolBackward',
  shape: ([dy, x], params) => {
    requireFloat32('poolBackward', 'dy', dy!);
    requireFloat32('poolBackward', 'x', x!);
    const expected = outputShape(x!.shape, poolGeometry('poolBackward', x!.shape, params));
    if (dy!.shape.length !== expected.length || dy!.shape.some((n, d) => n !== expected[d])) {
      throw new TensorError(
        'poolBackward',
        `\`dy\` must have the pooling's output shape ${shapeText(expected)}, found ${avalText(dy!)}`,
      );
    }
    return { shape: x!.shape, dtype: 'float32' };
  },
  impl: (backend, [dy, x], params) => backend.poolBackward(params.op, dy!, x!, params),
  // Linear in dy; piecewise constant in x (max) or independent of it (avg), so x gets no cotangent.
  vjp: (ct, [dy, x], _y, params) => [
    params.op === 'avg' ? pool(ct, params) : atChosenElements(ct, x!, dy!.shape, params),
    null,
  ],
});

/**
 * The gradient of {@link pool} with respect to `x`, given `dy` shaped like pool's output. Max routes
 * each window's gradient to its first NaN, else its first largest element (row-major within the
 * window; never to padding); average spreads `dy / windowSize` over the window.
 */
export function poolBackward(dy: Tensor, x: Tensor, params: PoolParams): Tensor {
  return bind(poolBackwardP, [dy, x], params);
}

/**
 * For each output position of a pooling, the flat input index of each window tap (row-major over the
 * window) and whether the tap lies inside the input (not in the padding).
 */
function windowTaps(g: WindowGeometry): {
  index: Int32Array;
  valid: Uint8Array;
  positions: number;
  taps: number;
} {
  const n = g.inSpatial.length;
  const positions = g.outSpatial.reduce((a, b) => a * b, 1);
  const taps = g.window.reduce((a, b) => a * b, 1);
  const index = new Int32Array(positions * taps);
  const valid = new Uint8Array(positions * taps);
  const out = new Array<number>(n).fill(0);
  const tap = new Array<number>(n).fill(0);
  const step = (counter: number[], limits: readonly number[]): void => {
    for (let d = n - 1; d >= 0; d--) {
      if (++counter[d]! < limits[d]!) return;
      counter[d] = 0;
    }
  };
  for (let p = 0; p < positions; p++, step(out, g.outSpatial)) {
    for (let k = 0; k < taps; k++, step(tap, g.window)) {
      let flat = 0;
      let inside = true;
      for (let d = 0; d < n; d++) {
        const i = out[d]! * g.strides[d]! - g.padLo[d]! + tap[d]!;
        inside &&= i >= 0 && i < g.inSpatial[d]!;
        flat = flat * g.inSpatial[d]! + i;
      }
      index[p * taps + k] = inside ? flat : 0;
      valid[p * taps + k] = inside ? 1 : 0;
    }
  }
  return { index, valid, positions, taps };
}

/**
 * The transpose of max pooling's `poolBackward` in `dy`: `ct` read at the element each window routed
 * its gradient to (0 for a window wholly in the padding). The element is chosen exactly as the
 * kernel chooses it: the first NaN, else the first largest, among the window's taps inside the input.
 */
function atChosenElements(
  ct: Tensor,
  x: Tensor,
  dyShape: readonly number[],
  params: PoolParams,
): Tensor {
  const backend = x.backend;
  const g = poolGeometry('poolBackward', x.shape, params);
  const planes = x.shape[0]! * x.shape[1]!;
  const inSize = g.inSpatial.reduce((a, b) => a * b, 1);
  const { index, valid, positions, taps } = windowTaps(g);
  if (planes * positions * taps === 0 || inSize === 0)
    return filled(dyShape, 0, 'float32', backend);
  const indices = Tensor._fromArray(backend.upload(index, [positions, taps]));
  const inside = Tensor._fromArray(backend.upload(valid, [positions, taps]));
  const windows = (t: Tensor): Tensor => gather(reshape(t, [planes, inSize]), indices, 1); // [planes, P, K]
  const xs = windows(x);
  const largest = reduce('max', where(inside, xs, scalarLike(xs, -Infinity)), [2]);
  const isLargest = binary(
    'logicalOr',
    binary('eq', xs, reshape(largest, [planes, positions, 1])),
    unary('isNaN', xs),
  );
  const candidate = binary('logicalAnd', inside, isLargest);
  const tapNumber = iotaLike([taps], 0, 'int32', backend);
  const first = reduce('min', where(candidate, tapNumber, scalarLike(tapNumber, taps)), [2]);
  const chosen = binary('eq', tapNumber, reshape(first, [planes, positions, 1]));
  const picked = reduce('sum', where(chosen, windows(ct), scalarLike(xs, 0)), [2]);
  return reshape(picked, dyShape);
}
