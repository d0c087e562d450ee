/**
 * Unsigned 32-bit arithmetic on int32 tensors that hold uint32 bit patterns (there is no uint32
 * dtype). Addition, subtraction, multiplication, xor and shifts already give the right bits; ordering
 * and remainder need the helpers here.
 */
import type { Tensor } from '../tensor.js';
import { scalarLike } from '../primitives/constants.js';
import { binary, where } from '../primitives/elementwise.js';

/** The sign bit as an int32: flipping it maps unsigned order onto signed order. */
export const SIGN_BIT = -0x80000000;

/** A 0-d int32 tensor on the backend of `like` holding the bits of the uint32 `value`. */
export function u32(like: Tensor, value: number): Tensor {
  return scalarLike(like, value | 0, 'int32');
}

/** `a < b` for uint32 bit patterns. */
export function ult(a: Tensor, b: Tensor): Tensor {
  const sign = u32(a, SIGN_BIT);
  return binary('lt', binary('bitwiseXor', a, sign), binary('bitwiseXor', b, sign));
}

/** `a >= b` for uint32 bit patterns. */
export function uge(a: Tensor, b: Tensor): Tensor {
  const sign = u32(a, SIGN_BIT);
  return binary('ge', binary('bitwiseXor', a, sign), binary('bitwiseXor', b, sign));
}

/**
 * `a % d` for uint32 bit patterns, with XLA's convention that a remainder by zero is the dividend.
 * The signed int32 remainder is right when both are below 2^31; a dividend at or above 2^31 is
 * halved first (`a = 2 (a >>> 1) + (a & 1)`), and a divisor at or above 2^31 needs one subtraction.
 */
export function urem(a: Tensor, d: Tensor): Tensor {
  const zero = u32(a, 0);
  const one = u32(a, 1);
  const divisorIsZero = binary('eq', d, zero);
  const divisorIsHigh = binary('lt', d, zero);
  const safeDivisor = where(binary('logicalOr', divisorIsZero, divisorIsHigh), one, d);
  const halfRemainder = binary('rem', binary('shiftRightLogical', a, one), safeDivisor);
  const twice = binary(
    'add',
    binary('shiftLeft', halfRemainder, one),
    binary('bitwiseAnd', a, one),
  );
  const small = where(uge(twice, safeDivisor), binary('sub', twice, safeDivisor), twice);
  const large = where(uge(a, d), binary('sub', a, d), a);
  return where(divisorIsZero, a, where(divisorIsHigh, large, small));
}
