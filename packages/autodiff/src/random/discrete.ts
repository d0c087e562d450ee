/** Bernoulli booleans and uniform integers. */
import type { DType } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import { Tensor } from '../tensor.js';
import { filled } from '../primitives/constants.js';
import { binary, cast, where } from '../primitives/elementwise.js';
import { reshape, slice } from '../primitives/layout.js';
import type { ArrayLike } from '../numpy/convert.js';
import { checkKey, checkParamShapes, checkShape, tensorOn } from './checks.js';
import { split } from './keys.js';
import { bits, uniform } from './uniform.js';
import { u32, urem } from './uint32.js';

/**
 * Booleans that are true with probability `p` (a number or float32 tensor, default 0.5), JAX's
 * `bernoulli`: `uniform(key, shape) < p`, bit for bit. The shape defaults to `p`'s.
 *
 * @example
 * ```ts
 * random.bernoulli(random.key(0), 0.5, [4]).dtype; // 'bool'
 * random.bernoulli(random.key(0), numpy.array([0, 1])).tolist(); // [false, true]
 * ```
 */
export function bernoulli(
  key: Tensor,
  p: ArrayLike = 0.5,
  shape?: readonly number[] | null,
): Tensor {
  checkKey('bernoulli', key);
  if (p instanceof Tensor && p.dtype !== 'float32') {
    throw new TensorError('bernoulli', `\`p\` must be a float probability, found ${avalText(p)}`);
  }
  const probability = tensorOn(key, p, 'float32');
  let outShape = probability.shape;
  if (shape !== undefined && shape !== null) {
    checkShape('bernoulli', shape);
    checkParamShapes('bernoulli', shape, probability.shape);
    outShape = shape;
  }
  return binary('lt', uniform(key, outShape), probability);
}

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

/** A bound as int32, clipped to the int32 range as JAX does; `above` says it was above the range. */
function integerBound(key: Tensor, bound: ArrayLike): { value: Tensor; above: boolean } {
  if (typeof bound === 'number') {
    if (Number.isNaN(bound)) throw new TensorError('randint', `bounds must be integers, found NaN`);
    const whole = Math.trunc(bound);
    return {
      value: filled([], Math.min(Math.max(whole, INT32_MIN), INT32_MAX), 'int32', key.backend),
      above: whole > INT32_MAX,
    };
  }
  const t = tensorOn(
    key,
    bound,
    bound instanceof Tensor && bound.dtype === 'int32' ? 'int32' : 'float32',
  );
  // Float bounds are truncated toward zero (casting saturates at the int32 range).
  return { value: cast(t, 'int32'), above: false };
}

/** Options of {@link randint}. */
export interface RandintOptions {
  /** The integer dtype (only int32 exists). */
  dtype?: DType;
}

/**
 * Integers uniform in `[minval, maxval)`, JAX's `randint` bit for bit: two 32-bit draws (from the two
 * keys of `split(key)`) are combined as `(hi mod span) * (2^32 mod span) + (lo mod span)`, modulo
 * `span = maxval - minval`, in unsigned 32-bit arithmetic. Bounds are numbers or int32 tensors
 * broadcasting to `shape`; a number above the int32 range (e.g. 2 ** 31) is clipped and still lets
 * the largest int32 be drawn. Number bounds with `maxval <= minval` are an error; for tensor bounds,
 * as in JAX, such elements are `minval`.
 *
 * @example
 * ```ts
 * const dice = random.randint(random.key(0), [1000], 1, 7);
 * [dice.min().item(), dice.max().item()]; // [1, 6]
 * dice.dtype; // 'int32'
 * ```
 */
export function randint(
  key: Tensor,
  shape: readonly number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  options: RandintOptions = {},
): Tensor {
  checkKey('randint', key);
  checkShape('randint', shape);
  if (options.dtype !== undefined && options.dtype !== 'int32') {
    throw new TensorError(
      'randint',
      `\`dtype\` must be an integer dtype ('int32'), found '${String(options.dtype)}'`,
    );
  }
  if (
    typeof minval === 'number' &&
    typeof maxval === 'number' &&
    !(Math.trunc(maxval) > Math.trunc(minval))
  ) {
    throw new TensorError(
      'randint',
      `\`maxval\` (${maxval}) must be greater than \`minval\` (${minval})`,
    );
  }
  const low = integerBound(key, minval);
  const high = integerBound(key, maxval);
  checkParamShapes('randint', shape, low.value.shape, high.value.shape);
  const keys = split(key);
  const higherBits = bits(reshape(slice(keys, [0, 0], [1, 2]), [2]), shape);
  const lowerBits = bits(reshape(slice(keys, [1, 0], [2, 2]), [2]), shape);

  const one = u32(key, 1);
  const empty = binary('le', high.value, low.value);
  let span = where(empty, one, binary('sub', high.value, low.value));
  // With maxval above the int32 range the span includes the largest int32 (and may wrap to 0, where
  // a remainder by 0 leaves the bits as they are: the full range).
  if (high.above) span = where(empty, span, binary('add', span, one));
  // 2^32 mod span, computed as ((2^16 mod span)^2 mod span) in uint32 arithmetic, exactly as JAX does
  // (including the wrap of 2^16 * 2^16 to 0 when span exceeds 2^16).
  let multiplier = urem(u32(key, 2 ** 16), span);
  multiplier = urem(binary('mul', multiplier, multiplier), span);
  const offset = binary(
    'add',
    binary('mul', urem(higherBits, span), multiplier),
    urem(lowerBits, span),
  );
  return binary('add', low.value, urem(offset, span));
}
