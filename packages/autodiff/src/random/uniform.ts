/** Random bits, and uniform floats made from them. */
import type { DType } from '@equinox-ts/kernels';
import type { Tensor } from '../tensor.js';
import { scalarLike } from '../primitives/constants.js';
import { binary, bitcast } from '../primitives/elementwise.js';
import type { ArrayLike } from '../numpy/convert.js';
import { checkFloatDtype, checkKey, checkParamShapes, checkShape, tensorOn } from './checks.js';
import { randomWords } from './counters.js';
import { u32 } from './uint32.js';

/**
 * 32 random bits per element of `shape`, as an int32 tensor holding the uint32 values' bits (read
 * them unsigned with `>>> 0`). JAX's `bits` with its default uint32 dtype, bit for bit: element `i`
 * (row-major) is the xor of the two Threefry words of counter `i`, JAX's default since 0.5 (see
 * {@link threefryPartitionable} for the older scheme), so a smaller draw is a prefix of a larger one.
 *
 * @example
 * ```ts
 * // Key 0 and counter 0 is Random123's first known-answer vector: 0x6b200159 ^ 0x99ba4efe.
 * random.bits(random.key(0)).item() >>> 0; // 4070199207
 * random.bits(random.key(0), [2, 3]).shape; // [2, 3]
 * ```
 */
export function bits(key: Tensor, shape: readonly number[] = []): Tensor {
  checkKey('bits', key);
  checkShape('bits', shape);
  return randomWords(key, shape);
}

/** Floats uniform in [0, 1) from random bits: 23 random mantissa bits under 1.0's exponent, minus 1. */
export function unitFloats(key: Tensor, shape: readonly number[]): Tensor {
  const randomBits = bits(key, shape);
  const mantissa = binary('shiftRightLogical', randomBits, u32(randomBits, 32 - 23));
  const oneToTwo = bitcast(binary('bitwiseOr', mantissa, u32(randomBits, 0x3f800000)), 'float32');
  return binary('sub', oneToTwo, scalarLike(oneToTwo, 1));
}

/** Options of {@link uniform}. */
export interface UniformOptions {
  /** The float dtype (only float32 exists). */
  dtype?: DType;
  /** The inclusive lower bound, a number or a tensor that broadcasts to the shape (default 0). */
  minval?: ArrayLike;
  /** The exclusive upper bound, a number or a tensor that broadcasts to the shape (default 1). */
  maxval?: ArrayLike;
}

/**
 * Floats uniform in `[minval, maxval)`, JAX's `uniform`: 23 random mantissa bits give a float in
 * [1, 2), minus 1, scaled by `maxval - minval`, plus `minval` (and never below `minval`). With the
 * default bounds the values equal JAX's bit for bit. Gradients flow to tensor bounds.
 *
 * @example
 * ```ts
 * random.uniform(random.key(0)).item(); // 0.9476670026779175
 * random.uniform(random.key(0), [3], { minval: -1, maxval: 1 }).shape; // [3]
 * random.uniform(random.key(0), [2], { minval: numpy.array([0, 10]), maxval: numpy.array([1, 20]) }).shape; // [2]
 * ```
 */
export function uniform(
  key: Tensor,
  shape: readonly number[] = [],
  options: UniformOptions = {},
): Tensor {
  checkKey('uniform', key);
  checkShape('uniform', shape);
  checkFloatDtype('uniform', options.dtype);
  const minval = tensorOn(key, options.minval ?? 0, 'float32');
  const maxval = tensorOn(key, options.maxval ?? 1, 'float32');
  checkParamShapes('uniform', shape, minval.shape, maxval.shape);
  const floats = unitFloats(key, shape);
  const scaled = binary('add', binary('mul', floats, binary('sub', maxval, minval)), minval);
  return binary('max', minval, scaled);
}
