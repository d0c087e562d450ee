/**
 * Elementwise jnp functions grouped by kind, each with an independent reference from JavaScript's Math
 * (NumPy's semantics for NaN and infinities agree with IEEE arithmetic, which Math follows).
 */

/** Unary float functions and their reference. */
export const UNARY_REFERENCES: Record<string, (x: number) => number> = {
  abs: Math.abs,
  arccos: Math.acos,
  arccosh: Math.acosh,
  arcsin: Math.asin,
  arcsinh: Math.asinh,
  arctan: Math.atan,
  arctanh: Math.atanh,
  ceil: Math.ceil,
  cos: Math.cos,
  cosh: Math.cosh,
  exp: Math.exp,
  expm1: Math.expm1,
  floor: Math.floor,
  log: Math.log,
  log1p: Math.log1p,
  negative: (x) => -x,
  reciprocal: (x) => 1 / x,
  round: Math.round, // no .5 among the inputs, so half-to-even does not differ
  sign: Math.sign,
  sin: Math.sin,
  sinh: Math.sinh,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  tan: Math.tan,
  tanh: Math.tanh,
  trunc: Math.trunc,
};

/** Python's modulo: the result takes the divisor's sign. */
function pythonRemainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** log(exp(a) + exp(b)) computed stably in float64. */
function referenceLogaddexp(a: number, b: number): number {
  const m = Math.max(a, b);
  if (!Number.isFinite(m)) return m;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** Binary float functions and their reference. */
export const BINARY_REFERENCES: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  power: Math.pow, // on these pairs, JavaScript's pow and C's agree
  maximum: Math.max, // both propagate NaN
  minimum: Math.min,
  arctan2: Math.atan2,
  logaddexp: referenceLogaddexp,
  fmod: (a, b) => a % b, // JavaScript's % is C's fmod
  remainder: pythonRemainder,
};

/** Comparisons: bool results, and every comparison with NaN false except notEqual. */
export const COMPARISON_REFERENCES: Record<string, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
};

/** Integer-only binary functions: float32 input is refused. */
export const INTEGER_BINARY = ['bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'leftShift', 'rightShift'];
/** Logical binary functions: any input is converted to bool. */
export const LOGICAL_BINARY = ['logicalAnd', 'logicalOr', 'logicalXor'];
