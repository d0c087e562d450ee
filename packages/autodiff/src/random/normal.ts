/** Normal and truncated normal samples, by inverting the error function on uniform samples. */
import type { DType } from '@equinox-ts/kernels';
import { broadcastShapes } from '@equinox-ts/kernels';
import { TensorError, shapeText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { scalarLike } from '../primitives/constants.js';
import { binary, bitcast, unary, where } from '../primitives/elementwise.js';
import type { ArrayLike } from '../numpy/convert.js';
import { checkFloatDtype, checkKey, checkParamShapes, checkShape, tensorOn } from './checks.js';
import { erfinv } from './erfinv.js';
import { uniform } from './uniform.js';

/** √2 rounded to float32, as JAX's `np.array(np.sqrt(2), float32)`. */
const SQRT2 = Math.fround(Math.SQRT2);

/** Options of {@link normal} and {@link truncatedNormal}. */
export interface NormalOptions {
  /** The float dtype (only float32 exists). */
  dtype?: DType;
}

/**
 * Standard normal samples, JAX's `normal`: `sqrt(2) * erfinv(u)` with `u` uniform in
 * `(-1, 1)` from the same bits as {@link uniform}. The values agree with JAX's to float32 rounding
 * (the uniform step is exact; `log1p` and the erfinv polynomial may differ from XLA's in the last bit).
 *
 * @example
 * ```ts
 * const z = random.normal(random.key(0), [1000]);
 * z.shape; // [1000]
 * Math.abs(z.mean().item()) < 0.1; // true
 * ```
 */
export function normal(
  key: Tensor,
  shape: readonly number[] = [],
  options: NormalOptions = {},
): Tensor {
  checkKey('normal', key);
  checkShape('normal', shape);
  checkFloatDtype('normal', options.dtype);
  // The open interval: the float after -1 toward 0, so erfinv never sees -1.
  const lowest = Math.fround(-1 + 2 ** -24);
  const u = uniform(key, shape, { minval: lowest, maxval: 1 });
  return binary('mul', scalarLike(u, SQRT2), erfinv(u));
}

/**
 * The next float32 after each element of `x` in the direction of `toward` (+Infinity or -Infinity),
 * by stepping the bit pattern: `lax.nextafter` for those two directions. NaN stays NaN.
 */
function nextFloat(x: Tensor, toward: 1 | -1): Tensor {
  const k = (value: number, dtype: DType = 'int32') => scalarLike(x, value, dtype);
  const bitPattern = bitcast(x, 'int32');
  // Moving away from zero adds 1 to the magnitude's bits, toward zero subtracts 1; from ±0 the next
  // float is the smallest subnormal with the direction's sign.
  const awayFromZero =
    toward > 0 ? binary('gt', x, k(0, 'float32')) : binary('lt', x, k(0, 'float32'));
  const stepped = binary('add', bitPattern, where(awayFromZero, k(1), k(-1)));
  const fromZero = k(toward > 0 ? 1 : -0x7fffffff);
  const isZero = binary('eq', x, k(0, 'float32'));
  const next = bitcast(where(isZero, fromZero, stepped), 'float32');
  const stuck = binary(
    'logicalOr',
    unary('isNaN', x),
    binary('eq', x, k(toward * Infinity, 'float32')),
  );
  return where(stuck, x, next);
}

/**
 * Standard normal samples truncated to the open interval `(lower, upper)`, JAX's `truncated_normal`:
 * `sqrt(2) * erfinv(u)` with `u` uniform between `erf(lower / sqrt(2))` and `erf(upper / sqrt(2))`,
 * then clipped to the floats just inside the bounds. `lower` and `upper` are numbers or tensors; the
 * shape defaults to their broadcast shape. Agrees with JAX to float32 rounding of `erf`, `log1p` and
 * the polynomial.
 *
 * @example
 * ```ts
 * const z = random.truncatedNormal(random.key(0), -1, 2, [500]);
 * [z.min().item() > -1, z.max().item() < 2]; // [true, true]
 * random.truncatedNormal(random.key(0), numpy.zeros([3]), 1).shape; // [3]
 * ```
 */
export function truncatedNormal(
  key: Tensor,
  lower: ArrayLike,
  upper: ArrayLike,
  shape?: readonly number[] | null,
  options: NormalOptions = {},
): Tensor {
  checkKey('truncatedNormal', key);
  checkFloatDtype('truncatedNormal', options.dtype);
  const lo = tensorOn(key, lower, 'float32');
  const hi = tensorOn(key, upper, 'float32');
  let outShape: readonly number[];
  if (shape === undefined || shape === null) {
    try {
      outShape = broadcastShapes('truncatedNormal', lo.shape, hi.shape);
    } catch {
      throw new TensorError(
        'truncatedNormal',
        `\`lower\` ${shapeText(lo.shape)} and \`upper\` ${shapeText(hi.shape)} do not broadcast`,
      );
    }
  } else {
    checkShape('truncatedNormal', shape);
    checkParamShapes('truncatedNormal', shape, lo.shape, hi.shape);
    outShape = shape;
  }
  const sqrt2 = scalarLike(lo, SQRT2);
  const a = unary('erf', binary('div', lo, sqrt2));
  const b = unary('erf', binary('div', hi, sqrt2));
  const u = uniform(key, outShape, { minval: a, maxval: b });
  const out = binary('mul', sqrt2, erfinv(u));
  // Rounding (or u landing on a) could reach a bound; the interval is open.
  return binary('min', binary('max', out, nextFloat(lo, 1)), nextFloat(hi, -1));
}
