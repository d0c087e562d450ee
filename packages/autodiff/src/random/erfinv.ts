/**
 * The inverse error function in float32, by M. Giles' single-precision approximation ("Approximating
 * the erfinv function", GPU Computing Gems Jade Edition, 2011): a degree-8 polynomial in
 * `w - 2.5` for `w = -log(1 - x^2) < 5` and in `sqrt(w) - 3` beyond. XLA computes `erf_inv` the same
 * way (with `log1p`), so `normal` follows JAX's arithmetic step for step.
 */
import type { Tensor } from '../tensor.js';
import { scalarLike } from '../primitives/constants.js';
import { binary, unary, where } from '../primitives/elementwise.js';

// Coefficients, highest degree first, for the central region (w < 5) and the tails.
const CENTRAL = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503,
  -0.00417768164, 0.246640727, 1.50140941,
];
const TAIL = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
  0.00943887047, 1.00167406, 2.83297682,
];

/** `erfinv(x)` elementwise for float32 `x` in [-1, 1]: ±Infinity at ±1, NaN outside. */
export function erfinv(x: Tensor): Tensor {
  const k = (value: number) => scalarLike(x, value);
  const w = unary('neg', unary('log1p', unary('neg', binary('mul', x, x))));
  const central = binary('lt', w, k(5));
  // max(w, 5) changes no value the tail branch is chosen for, and keeps sqrt's gradient finite at w = 0.
  const tail = binary('sub', unary('sqrt', binary('max', w, k(5))), k(3));
  const t = where(central, binary('sub', w, k(2.5)), tail);
  const coefficient = (i: number) => where(central, k(CENTRAL[i]!), k(TAIL[i]!));
  let p = coefficient(0);
  for (let i = 1; i < CENTRAL.length; i++) p = binary('add', coefficient(i), binary('mul', p, t));
  const result = binary('mul', p, x);
  // At ±1 the polynomial is meaningless (w is infinite); the answer is ±Infinity, chosen by sign
  // rather than computed as x * Infinity so that no gradient path meets 0 * Infinity.
  const infinity = where(binary('gt', x, k(0)), k(Infinity), k(-Infinity));
  return where(binary('eq', unary('abs', x), k(1)), infinity, result);
}
