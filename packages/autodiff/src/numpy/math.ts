/** Elementwise math and comparisons with NumPy broadcasting and JAX's dtype promotion. */
import type { BinaryOp, UnaryOp } from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { binary, cast, unary, where as whereP } from '../primitives/elementwise.js';
import { scalarLike } from '../primitives/constants.js';
import { asarrayFor, promoteOperands, type ArrayLike } from './convert.js';

/** A unary function on float32 (ints and bools are converted to float32 first, as jnp does). */
const floatUnary =
  (op: UnaryOp, name: string = op) =>
  (x: ArrayLike): Tensor =>
    unary(op, cast(asarrayFor(name, x), 'float32'));
/** A rounding function: float32 is rounded; int32 and bool are already whole and returned as they are (as jnp). */
const rounding =
  (name: string, round: (t: Tensor) => Tensor) =>
  (x: ArrayLike): Tensor => {
    const t = asarrayFor(name, x);
    return t.dtype === 'float32' ? round(t) : t;
  };
/** A unary function that keeps int32 (bool becomes int32). */
const numericUnary =
  (op: UnaryOp, name: string = op) =>
  (x: ArrayLike): Tensor => {
    const t = asarrayFor(name, x);
    return unary(op, t.dtype === 'bool' ? cast(t, 'int32') : t);
  };
/** A binary arithmetic function (bools become int32). */
const arithmetic =
  (name: string, op: BinaryOp, minimum: 'int32' | 'float32' = 'int32') =>
  (a: ArrayLike, b: ArrayLike): Tensor => {
    const [x, y] = promoteOperands(name, [a, b], minimum);
    return binary(op, x!, y!);
  };
/** A comparison: operands promoted to one dtype; the result is bool. */
const comparison =
  (name: string, op: BinaryOp) =>
  (a: ArrayLike, b: ArrayLike): Tensor => {
    const [x, y] = promoteOperands(name, [a, b]);
    const bothBool = x!.dtype === 'bool' && op !== 'eq' && op !== 'ne';
    return bothBool ? binary(op, cast(x!, 'int32'), cast(y!, 'int32')) : binary(op, x!, y!);
  };
const logical =
  (op: BinaryOp) =>
  (a: ArrayLike, b: ArrayLike): Tensor =>
    binary(op, cast(asarrayFor(op, a), 'bool'), cast(asarrayFor(op, b), 'bool'));
const bitwise =
  (name: string, op: BinaryOp) =>
  (a: ArrayLike, b: ArrayLike): Tensor => {
    const [x, y] = promoteOperands(name, [a, b]);
    if (x!.dtype === 'float32')
      throw new TensorError(name, `expected int32 or bool inputs, found ${avalText(x!)}`);
    if (x!.dtype === 'bool') {
      const boolOp = (
        { bitwiseAnd: 'logicalAnd', bitwiseOr: 'logicalOr', bitwiseXor: 'logicalXor' } as const
      )[op as 'bitwiseAnd'];
      if (!boolOp) throw new TensorError(name, `expected int32 inputs, found ${avalText(x!)}`);
      return binary(boolOp, x!, y!);
    }
    return binary(op, x!, y!);
  };

/**
 * `a + b`, elementwise with broadcasting.
 *
 * @example
 * ```ts
 * numpy.add(numpy.array([[1], [2]]), numpy.array([10, 20])).tolist(); // [[11, 21], [12, 22]]
 * ```
 */
export const add = arithmetic('add', 'add');
/**
 * `a - b`, elementwise with broadcasting.
 *
 * @example
 * ```ts
 * numpy.subtract(numpy.array([5, 6]), 1).tolist(); // [4, 5]
 * ```
 */
export const subtract = arithmetic('subtract', 'sub');
/**
 * `a * b`, elementwise with broadcasting.
 *
 * @example
 * ```ts
 * numpy.multiply(numpy.array([1, 2]), numpy.array([3, 4])).tolist(); // [3, 8]
 * ```
 */
export const multiply = arithmetic('multiply', 'mul');
/**
 * True division `a / b`; integer inputs give float32, as in NumPy.
 *
 * @example
 * ```ts
 * numpy.divide(numpy.arange(3), 2).tolist(); // [0, 0.5, 1]
 * ```
 */
export const divide = arithmetic('divide', 'div', 'float32');
/**
 * `a ** b`; integer inputs give float32.
 *
 * @example
 * ```ts
 * numpy.power(numpy.array([2, 3]), 2).tolist(); // [4, 9]
 * ```
 */
export const power = arithmetic('power', 'pow', 'float32');
/**
 * The larger of `a` and `b`, elementwise (NaN if either is NaN).
 *
 * @example
 * ```ts
 * numpy.maximum(numpy.array([1, 5]), 3).tolist(); // [3, 5]
 * ```
 */
export const maximum = arithmetic('maximum', 'max');
/**
 * The smaller of `a` and `b`, elementwise (NaN if either is NaN).
 *
 * @example
 * ```ts
 * numpy.minimum(numpy.array([1, 5]), 3).tolist(); // [1, 3]
 * ```
 */
export const minimum = arithmetic('minimum', 'min');
/**
 * The angle of the point `(b, a)`: `atan(a / b)` in the right quadrant.
 *
 * @example
 * ```ts
 * numpy.arctan2(1, -1).item(); // 2.356194496154785
 * ```
 */
export const arctan2 = arithmetic('arctan2', 'atan2', 'float32');

/**
 * `log(exp(a) + exp(b))`, elementwise with broadcasting, computed as
 * `max(a, b) + log1p(exp(-|a - b|))` so that large inputs stay finite. Two equal infinities give that
 * infinity (`-Infinity` for two `-Infinity`, not NaN). Integer inputs give float32.
 *
 * @example
 * ```ts
 * numpy.logaddexp(0, 0).item(); // 0.6931471824645996
 * numpy.logaddexp(numpy.array([1000, -Infinity]), numpy.array([1000, -Infinity])).tolist(); // [1000.6931762695312, -Infinity]
 * ```
 */
export function logaddexp(a: ArrayLike, b: ArrayLike): Tensor {
  const [x, y] = promoteOperands('logaddexp', [a, b], 'float32');
  const delta = binary('sub', x!, y!);
  // Equal infinities make the difference NaN: count it as 0, so the result is the maximum. (Through
  // where, no NaN reaches the gradient either.)
  const safeDelta = whereP(unary('isNaN', delta), scalarLike(delta, 0), delta);
  const correction = unary('log1p', unary('exp', unary('neg', unary('abs', safeDelta))));
  return binary('add', binary('max', x!, y!), correction);
}
/**
 * C's `fmod`: the remainder of truncated division, with the sign of `a`.
 *
 * @example
 * ```ts
 * numpy.fmod(numpy.array([-7, 7], { dtype: 'int32' }), 3).tolist(); // [-1, 1]
 * ```
 */
export const fmod = arithmetic('fmod', 'rem');

/**
 * Python's `%`: the remainder of floor division, with the sign of `b`.
 *
 * @example
 * ```ts
 * numpy.remainder(numpy.array([-7, 7], { dtype: 'int32' }), 3).tolist(); // [2, 1]
 * numpy.remainder(numpy.array([-7, 7], { dtype: 'int32' }), -3).tolist(); // [-1, -2]
 * ```
 */
export function remainder(a: ArrayLike, b: ArrayLike): Tensor {
  const [x, y] = promoteOperands('remainder', [a, b], 'int32');
  const r = binary('rem', x!, y!);
  return whereP(floorsFurther(r, y!), binary('add', r, y!), r);
}

/**
 * Where floor division differs from truncating division, given the truncated remainder `r` and the
 * divisor `d`: where `r` is nonzero and has the opposite sign of `d`.
 */
function floorsFurther(r: Tensor, d: Tensor): Tensor {
  const zero = scalarLike(r, 0);
  return binary(
    'logicalAnd',
    binary('ne', r, zero),
    binary('ne', binary('lt', r, zero), binary('lt', d, zero)),
  );
}

/**
 * Python's `//`: division rounded down (toward minus infinity); int32 inputs give int32.
 *
 * @example
 * ```ts
 * numpy.floorDivide(numpy.array([-7, 7], { dtype: 'int32' }), 2).tolist(); // [-4, 3]
 * numpy.floorDivide(numpy.array([-7.5]), 2).tolist(); // [-4]
 * ```
 */
export function floorDivide(a: ArrayLike, b: ArrayLike): Tensor {
  const [x, y] = promoteOperands('floorDivide', [a, b], 'int32');
  if (x!.dtype === 'float32') return unary('floor', binary('div', x!, y!));
  const q = binary('div', x!, y!);
  return whereP(floorsFurther(binary('rem', x!, y!), y!), binary('sub', q, scalarLike(q, 1)), q);
}

/**
 * `a == b`, elementwise; bool.
 *
 * @example
 * ```ts
 * numpy.equal(numpy.array([1, 2]), 2).tolist(); // [false, true]
 * ```
 */
export const equal = comparison('equal', 'eq');
/**
 * `a != b`, elementwise; bool.
 *
 * @example
 * ```ts
 * numpy.notEqual(numpy.array([1, 2]), 2).tolist(); // [true, false]
 * ```
 */
export const notEqual = comparison('notEqual', 'ne');
/**
 * `a < b`, elementwise; bool.
 *
 * @example
 * ```ts
 * numpy.less(numpy.array([1, 2]), 2).tolist(); // [true, false]
 * ```
 */
export const less = comparison('less', 'lt');
/**
 * `a <= b`, elementwise; bool.
 *
 * @example
 * ```ts
 * numpy.lessEqual(numpy.array([1, 3]), 2).tolist(); // [true, false]
 * ```
 */
export const lessEqual = comparison('lessEqual', 'le');
/**
 * `a > b`, elementwise; bool.
 *
 * @example
 * ```ts
 * numpy.greater(numpy.array([1, 3]), 2).tolist(); // [false, true]
 * ```
 */
export const greater = comparison('greater', 'gt');
/**
 * `a >= b`, elementwise; bool.
 *
 * @example
 * ```ts
 * numpy.greaterEqual(numpy.array([1, 2]), 2).tolist(); // [false, true]
 * ```
 */
export const greaterEqual = comparison('greaterEqual', 'ge');
/**
 * Logical and of the truth values of `a` and `b`.
 *
 * @example
 * ```ts
 * numpy.logicalAnd(numpy.array([true, true]), numpy.array([true, false])).tolist(); // [true, false]
 * ```
 */
export const logicalAnd = logical('logicalAnd');
/**
 * Logical or of the truth values of `a` and `b`.
 *
 * @example
 * ```ts
 * numpy.logicalOr(numpy.array([false, true]), false).tolist(); // [false, true]
 * ```
 */
export const logicalOr = logical('logicalOr');
/**
 * Logical exclusive or of the truth values of `a` and `b`.
 *
 * @example
 * ```ts
 * numpy.logicalXor(numpy.array([false, true]), true).tolist(); // [true, false]
 * ```
 */
export const logicalXor = logical('logicalXor');
/**
 * Logical not of the truth value of `x`.
 *
 * @example
 * ```ts
 * numpy.logicalNot(numpy.array([0, 2])).tolist(); // [true, false]
 * ```
 */
export const logicalNot = (x: ArrayLike): Tensor =>
  unary('logicalNot', cast(asarrayFor('logicalNot', x), 'bool'));
/**
 * Bitwise and of int32 (or bool) tensors.
 *
 * @example
 * ```ts
 * numpy.bitwiseAnd(numpy.array([12], { dtype: 'int32' }), 10).tolist(); // [8]
 * ```
 */
export const bitwiseAnd = bitwise('bitwiseAnd', 'bitwiseAnd');
/**
 * Bitwise or of int32 (or bool) tensors.
 *
 * @example
 * ```ts
 * numpy.bitwiseOr(numpy.array([12], { dtype: 'int32' }), 10).tolist(); // [14]
 * ```
 */
export const bitwiseOr = bitwise('bitwiseOr', 'bitwiseOr');
/**
 * Bitwise exclusive or of int32 (or bool) tensors.
 *
 * @example
 * ```ts
 * numpy.bitwiseXor(numpy.array([12], { dtype: 'int32' }), 10).tolist(); // [6]
 * ```
 */
export const bitwiseXor = bitwise('bitwiseXor', 'bitwiseXor');
/**
 * Bitwise not of an int32 tensor (logical not of a bool one).
 *
 * @example
 * ```ts
 * numpy.invert(numpy.array([0], { dtype: 'int32' })).tolist(); // [-1]
 * ```
 */
export function invert(x: ArrayLike): Tensor {
  const t = asarrayFor('invert', x);
  if (t.dtype === 'float32')
    throw new TensorError('invert', `expected int32 or bool input, found ${avalText(t)}`);
  return unary(t.dtype === 'bool' ? 'logicalNot' : 'bitwiseNot', t);
}
/**
 * `a << b` on int32.
 *
 * @example
 * ```ts
 * numpy.leftShift(numpy.array([1], { dtype: 'int32' }), 4).tolist(); // [16]
 * ```
 */
export const leftShift = bitwise('leftShift', 'shiftLeft');
/**
 * `a >> b` on int32 (arithmetic: the sign bit is copied).
 *
 * @example
 * ```ts
 * numpy.rightShift(numpy.array([-16], { dtype: 'int32' }), 2).tolist(); // [-4]
 * ```
 */
export const rightShift = bitwise('rightShift', 'shiftRightArithmetic');

/**
 * `-x`.
 *
 * @example
 * ```ts
 * numpy.negative(numpy.array([1, -2])).tolist(); // [-1, 2]
 * ```
 */
export const negative = numericUnary('neg', 'negative');
/**
 * `|x|`.
 *
 * @example
 * ```ts
 * numpy.abs(numpy.array([-1.5, 2])).tolist(); // [1.5, 2]
 * ```
 */
export const abs = numericUnary('abs');
/**
 * -1, 0 or 1 by the sign of `x`.
 *
 * @example
 * ```ts
 * numpy.sign(numpy.array([-3, 0, 2])).tolist(); // [-1, 0, 1]
 * ```
 */
export const sign = numericUnary('sign');
/**
 * `x * x`.
 *
 * @example
 * ```ts
 * numpy.square(numpy.array([3])).tolist(); // [9]
 * ```
 */
export const square = numericUnary('square');
/**
 * `e^x`.
 *
 * @example
 * ```ts
 * numpy.exp(0).item(); // 1
 * ```
 */
export const exp = floatUnary('exp');
/**
 * `e^x - 1`, accurate for small `x`.
 *
 * @example
 * ```ts
 * numpy.expm1(0).item(); // 0
 * ```
 */
export const expm1 = floatUnary('expm1');
/**
 * The natural logarithm.
 *
 * @example
 * ```ts
 * numpy.log(1).item(); // 0
 * ```
 */
export const log = floatUnary('log');
/**
 * `log(1 + x)`, accurate for small `x`.
 *
 * @example
 * ```ts
 * numpy.log1p(0).item(); // 0
 * ```
 */
export const log1p = floatUnary('log1p');
/**
 * The square root.
 *
 * @example
 * ```ts
 * numpy.sqrt(numpy.array([4, 9])).tolist(); // [2, 3]
 * ```
 */
export const sqrt = floatUnary('sqrt');
/**
 * `1 / x`.
 *
 * @example
 * ```ts
 * numpy.reciprocal(numpy.array([4])).tolist(); // [0.25]
 * ```
 */
export const reciprocal = floatUnary('reciprocal');
/**
 * Sine (radians).
 *
 * @example
 * ```ts
 * numpy.sin(0).item(); // 0
 * ```
 */
export const sin = floatUnary('sin');
/**
 * Cosine (radians).
 *
 * @example
 * ```ts
 * numpy.cos(0).item(); // 1
 * ```
 */
export const cos = floatUnary('cos');
/**
 * Tangent (radians).
 *
 * @example
 * ```ts
 * numpy.tan(0).item(); // 0
 * ```
 */
export const tan = floatUnary('tan');
/**
 * Inverse sine.
 *
 * @example
 * ```ts
 * numpy.arcsin(0).item(); // 0
 * ```
 */
export const arcsin = floatUnary('asin', 'arcsin');
/**
 * Inverse cosine.
 *
 * @example
 * ```ts
 * numpy.arccos(1).item(); // 0
 * ```
 */
export const arccos = floatUnary('acos', 'arccos');
/**
 * Inverse tangent.
 *
 * @example
 * ```ts
 * numpy.arctan(0).item(); // 0
 * ```
 */
export const arctan = floatUnary('atan', 'arctan');
/**
 * Hyperbolic sine.
 *
 * @example
 * ```ts
 * numpy.sinh(0).item(); // 0
 * ```
 */
export const sinh = floatUnary('sinh');
/**
 * Hyperbolic cosine.
 *
 * @example
 * ```ts
 * numpy.cosh(0).item(); // 1
 * ```
 */
export const cosh = floatUnary('cosh');
/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * numpy.tanh(0).item(); // 0
 * ```
 */
export const tanh = floatUnary('tanh');
/**
 * Inverse hyperbolic sine.
 *
 * @example
 * ```ts
 * numpy.arcsinh(0).item(); // 0
 * ```
 */
export const arcsinh = floatUnary('asinh', 'arcsinh');
/**
 * Inverse hyperbolic cosine.
 *
 * @example
 * ```ts
 * numpy.arccosh(1).item(); // 0
 * ```
 */
export const arccosh = floatUnary('acosh', 'arccosh');
/**
 * Inverse hyperbolic tangent.
 *
 * @example
 * ```ts
 * numpy.arctanh(0).item(); // 0
 * ```
 */
export const arctanh = floatUnary('atanh', 'arctanh');
/**
 * Rounds down. Integer and bool inputs are returned unchanged, keeping their dtype (as in JAX).
 *
 * @example
 * ```ts
 * numpy.floor(numpy.array([-1.5, 1.5])).tolist(); // [-2, 1]
 * numpy.floor(numpy.array([3], { dtype: 'int32' })).dtype; // 'int32'
 * ```
 */
export const floor = rounding('floor', (t) => unary('floor', t));
/**
 * Rounds up. Integer and bool inputs are returned unchanged, keeping their dtype (as in JAX).
 *
 * @example
 * ```ts
 * numpy.ceil(numpy.array([-1.5, 1.5])).tolist(); // [-1, 2]
 * ```
 */
export const ceil = rounding('ceil', (t) => unary('ceil', t));
/**
 * Rounds to the nearest integer, halves to even (as NumPy). Integer and bool inputs are returned
 * unchanged, keeping their dtype (as in JAX).
 *
 * @example
 * ```ts
 * numpy.round(numpy.array([0.5, 1.5, 2.5])).tolist(); // [0, 2, 2]
 * ```
 */
export const round = rounding('round', (t) => unary('round', t));

/**
 * Rounds toward zero. Integer and bool inputs are returned unchanged, keeping their dtype (as in
 * JAX).
 *
 * @example
 * ```ts
 * numpy.trunc(numpy.array([-1.7, 1.7])).tolist(); // [-1, 1]
 * numpy.trunc(numpy.array([-7], { dtype: 'int32' })).tolist(); // [-7]
 * ```
 */
export const trunc = rounding('trunc', (t) =>
  binary('mul', unary('sign', t), unary('floor', unary('abs', t))),
);

/**
 * True where `x` is NaN.
 *
 * @example
 * ```ts
 * numpy.isnan(numpy.array([NaN, 1])).tolist(); // [true, false]
 * ```
 */
export function isnan(x: ArrayLike): Tensor {
  const t = asarrayFor('isnan', x);
  return t.dtype === 'float32' ? unary('isNaN', t) : binary('ne', t, t);
}

/**
 * True where `x` is +Infinity or -Infinity.
 *
 * @example
 * ```ts
 * numpy.isinf(numpy.array([Infinity, -Infinity, 1])).tolist(); // [true, true, false]
 * ```
 */
export function isinf(x: ArrayLike): Tensor {
  const t = asarrayFor('isinf', x);
  if (t.dtype !== 'float32') return binary('ne', t, t);
  return binary('eq', unary('abs', t), scalarLike(t, Infinity));
}

/**
 * True where `x` is neither infinite nor NaN.
 *
 * @example
 * ```ts
 * numpy.isfinite(numpy.array([Infinity, NaN, 1])).tolist(); // [false, false, true]
 * ```
 */
export function isfinite(x: ArrayLike): Tensor {
  const t = asarrayFor('isfinite', x);
  if (t.dtype !== 'float32') return binary('eq', t, t);
  return binary('lt', unary('abs', t), scalarLike(t, Infinity));
}

/**
 * `cond ? x : y` elementwise, broadcasting all three; `x` and `y` are promoted to one dtype.
 *
 * @example
 * ```ts
 * numpy.where(numpy.array([true, false]), 1, numpy.array([5, 6])).tolist(); // [1, 6]
 * ```
 */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): Tensor {
  const c = cast(asarrayFor('where', cond), 'bool');
  const [a, b] = promoteOperands('where', [x, y]);
  return whereP(c, a!, b!);
}

/**
 * Limits `x` to `[min, max]`; either bound may be omitted (`null`).
 *
 * @example
 * ```ts
 * numpy.clip(numpy.array([-2, 0.5, 3]), 0, 1).tolist(); // [0, 0.5, 1]
 * ```
 */
export function clip(x: ArrayLike, min?: ArrayLike | null, max?: ArrayLike | null): Tensor {
  let out = asarrayFor('clip', x);
  if (min !== undefined && min !== null) out = maximum(out, min);
  if (max !== undefined && max !== null) out = minimum(out, max);
  return out;
}
