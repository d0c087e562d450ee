/**
 * The elementwise op table. Each op lists, per input dtype it accepts, an expression in `a` (and `b`)
 * for JavaScript and for WGSL; every backend generates its elementwise kernels from these strings, so an
 * op added here exists everywhere at once. JavaScript expressions may call the helpers in
 * {@link JS_HELPERS} by name; WGSL expressions see `a`, `b` as `f32`, `i32` or `bool` values and may call
 * `powFull`, `maxNaN`, `minNaN`, `sigmoid`, `erf`, `expm1`, `log1p` and the IEEE-exact `logF`, `sinF`,
 * `cosF`, `tanF`, `tanhF`, `asinhF`, `acoshF`, `atanhF`, `remF`, `atan2F`, which are not WGSL builtins: the
 * WebGPU backend defines them in its shader prelude, and its run of the conformance suite is the first
 * to compile and check the WGSL column (the CPU backend checks the JavaScript one).
 */
import type { DType } from './dtype.js';
import { KernelError } from './errors.js';

/**
 * One elementwise op: its expressions per accepted input dtype, and its output dtype when that differs
 * from the input's.
 *
 * @example
 * ```ts
 * const square: OpSpec = { js: { float32: 'a * a' }, wgsl: { float32: 'a * a' } };
 * ```
 */
export interface OpSpec {
  /** JavaScript expression per accepted input dtype. */
  readonly js: Partial<Record<DType, string>>;
  /** WGSL expression per accepted input dtype. */
  readonly wgsl: Partial<Record<DType, string>>;
  /** Output dtype; the input's when absent. */
  readonly out?: DType;
}

const float = (js: string, wgsl = js): OpSpec => ({ js: { float32: js }, wgsl: { float32: wgsl } });

/**
 * Unary elementwise ops. Float ops take float32 only; `neg`, `abs`, `sign`, `square` also take int32;
 * `logicalNot` takes bool, `bitwiseNot` int32, and `isNaN` returns bool.
 *
 * @example
 * ```ts
 * UNARY_OPS.exp.js.float32; // 'Math.exp(a)'
 * ```
 */
export const UNARY_OPS = {
  neg: { js: { float32: '-a', int32: '-a | 0' }, wgsl: { float32: '-a', int32: '-a' } },
  abs: {
    js: { float32: 'Math.abs(a)', int32: 'Math.abs(a) | 0' },
    wgsl: { float32: 'abs(a)', int32: 'abs(a)' },
  },
  sign: {
    js: { float32: 'Math.sign(a)', int32: 'Math.sign(a)' },
    wgsl: { float32: 'sign(a)', int32: 'sign(a)' },
  },
  square: {
    js: { float32: 'a * a', int32: 'Math.imul(a, a)' },
    wgsl: { float32: 'a * a', int32: 'a * a' },
  },
  exp: float('Math.exp(a)', 'exp(a)'),
  expm1: float('Math.expm1(a)', 'expm1(a)'),
  log: float('Math.log(a)', 'logF(a)'),
  log1p: float('Math.log1p(a)', 'log1p(a)'),
  sqrt: float('Math.sqrt(a)', 'sqrt(a)'),
  rsqrt: float('1 / Math.sqrt(a)', 'inverseSqrt(a)'),
  reciprocal: float('1 / a', '1.0 / a'),
  sin: float('Math.sin(a)', 'sinF(a)'),
  cos: float('Math.cos(a)', 'cosF(a)'),
  tan: float('Math.tan(a)', 'tanF(a)'),
  asin: float('Math.asin(a)', 'asin(a)'),
  acos: float('Math.acos(a)', 'acos(a)'),
  atan: float('Math.atan(a)', 'atan(a)'),
  sinh: float('Math.sinh(a)', 'sinh(a)'),
  cosh: float('Math.cosh(a)', 'cosh(a)'),
  tanh: float('Math.tanh(a)', 'tanhF(a)'),
  asinh: float('Math.asinh(a)', 'asinhF(a)'),
  acosh: float('Math.acosh(a)', 'acoshF(a)'),
  atanh: float('Math.atanh(a)', 'atanhF(a)'),
  sigmoid: float('sigmoid(a)', 'sigmoid(a)'),
  erf: float('erf(a)', 'erf(a)'),
  floor: float('Math.floor(a)', 'floor(a)'),
  ceil: float('Math.ceil(a)', 'ceil(a)'),
  /** Rounds half to even, as `jnp.round`. */
  round: float('roundHalfEven(a)', 'round(a)'),
  isNaN: { js: { float32: '+(a !== a)' }, wgsl: { float32: 'a != a' }, out: 'bool' },
  logicalNot: { js: { bool: '+!a' }, wgsl: { bool: '!a' } },
  bitwiseNot: { js: { int32: '~a' }, wgsl: { int32: '~a' } },
} as const satisfies Record<string, OpSpec>;

const compare = (op: string, dtypes: readonly DType[] = ['float32', 'int32']): OpSpec => ({
  js: Object.fromEntries(
    dtypes.map((d) => [d, `+(a ${op === '==' ? '===' : op === '!=' ? '!==' : op} b)`]),
  ),
  wgsl: Object.fromEntries(dtypes.map((d) => [d, `a ${op} b`])),
  out: 'bool',
});

/**
 * Binary elementwise ops, with NumPy broadcasting in every backend. Both operands share a dtype.
 * Arithmetic takes float32 and int32 (int32 wraps around; int32 `div` truncates toward zero and gives 0
 * for a zero divisor; `rem` has the sign of the dividend, as C and `lax.rem`); comparisons return bool;
 * logical ops take bool; bitwise ops and shifts take int32 (shift counts are taken modulo 32).
 *
 * @example
 * ```ts
 * BINARY_OPS.add.js.float32; // 'a + b'
 * ```
 */
export const BINARY_OPS = {
  add: {
    js: { float32: 'a + b', int32: '(a + b) | 0' },
    wgsl: { float32: 'a + b', int32: 'a + b' },
  },
  sub: {
    js: { float32: 'a - b', int32: '(a - b) | 0' },
    wgsl: { float32: 'a - b', int32: 'a - b' },
  },
  mul: {
    js: { float32: 'a * b', int32: 'Math.imul(a, b)' },
    wgsl: { float32: 'a * b', int32: 'a * b' },
  },
  div: {
    js: { float32: 'a / b', int32: '(a / b) | 0' },
    wgsl: { float32: 'a / b', int32: 'select(a / b, 0, b == 0)' },
  },
  rem: {
    js: { float32: 'a % b', int32: 'b === 0 ? 0 : a % b | 0' },
    wgsl: { float32: 'remF(a, b)', int32: 'select(a % b, 0, b == 0)' },
  },
  /** C99 and XLA special cases: `pow(x, 0)`, `pow(1, y)` and `pow(-1, ±Infinity)` are 1, even for NaN. */
  pow: float('pow(a, b)', 'powFull(a, b)'),
  atan2: float('Math.atan2(a, b)', 'atan2F(a, b)'),
  max: {
    js: { float32: 'Math.max(a, b)', int32: 'Math.max(a, b)' },
    wgsl: { float32: 'maxNaN(a, b)', int32: 'max(a, b)' },
  },
  min: {
    js: { float32: 'Math.min(a, b)', int32: 'Math.min(a, b)' },
    wgsl: { float32: 'minNaN(a, b)', int32: 'min(a, b)' },
  },
  eq: compare('==', ['float32', 'int32', 'bool']),
  ne: compare('!=', ['float32', 'int32', 'bool']),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),
  logicalAnd: { js: { bool: 'a & b' }, wgsl: { bool: 'a && b' } },
  logicalOr: { js: { bool: 'a | b' }, wgsl: { bool: 'a || b' } },
  logicalXor: { js: { bool: 'a ^ b' }, wgsl: { bool: 'a != b' } },
  bitwiseAnd: { js: { int32: 'a & b' }, wgsl: { int32: 'a & b' } },
  bitwiseOr: { js: { int32: 'a | b' }, wgsl: { int32: 'a | b' } },
  bitwiseXor: { js: { int32: 'a ^ b' }, wgsl: { int32: 'a ^ b' } },
  shiftLeft: { js: { int32: 'a << b' }, wgsl: { int32: 'a << u32(b & 31)' } },
  shiftRightArithmetic: { js: { int32: 'a >> b' }, wgsl: { int32: 'a >> u32(b & 31)' } },
  shiftRightLogical: {
    js: { int32: '(a >>> b) | 0' },
    wgsl: { int32: 'bitcast<i32>(bitcast<u32>(a) >> u32(b & 31))' },
  },
} as const satisfies Record<string, OpSpec>;

/**
 * The name of a unary op in {@link UNARY_OPS}.
 *
 * @example
 * ```ts
 * const op: UnaryOp = 'tanh';
 * ```
 */
export type UnaryOp = keyof typeof UNARY_OPS;

/**
 * The name of a binary op in {@link BINARY_OPS}.
 *
 * @example
 * ```ts
 * const op: BinaryOp = 'mul';
 * ```
 */
export type BinaryOp = keyof typeof BINARY_OPS;

// The helpers below run once per element. Inside a vm context (jest's test sandbox, Node's vm module)
// each lookup of a global such as `Math` goes through the context's interceptor and costs about 10x, so
// they read module bindings instead.
const { abs, exp, max, min, round, trunc } = Math;
const powJs = Math.pow;

/** The error function, to about 1e-7 absolute error (float32 precision), by a rational approximation. */
function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26 is only good to 1.5e-7 relative near 0; use the series there.
  const ax = abs(x);
  if (ax < 0.5) {
    const x2 = x * x;
    // Maclaurin series of erf: 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320)
    return (
      1.1283791670955126 *
      x *
      (1 + x2 * (-1 / 3 + x2 * (1 / 10 + x2 * (-1 / 42 + x2 * (1 / 216 + x2 * (-1 / 1320))))))
    );
  }
  // erfc by the continued-fraction-derived approximation of Numerical Recipes (erfcc), error < 1.2e-7.
  const t = 1 / (1 + 0.5 * ax);
  const poly =
    -ax * ax -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * exp(poly);
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** The logistic function, without overflow for large |x|. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

/** `Math.pow` with C99's special cases, which JavaScript does not follow for NaN and infinities. */
function pow(x: number, y: number): number {
  if (y === 0 || x === 1 || (x === -1 && abs(y) === Infinity)) return 1;
  return powJs(x, y);
}

/**
 * A number converted to int32 as every backend casts: truncated toward zero, saturated at the int32
 * range (as XLA and WGSL do), NaN to 0.
 */
function saturateInt32(x: number): number {
  if (x !== x) return 0;
  return max(-2147483648, min(2147483647, trunc(x)));
}

/** Rounds half to even (banker's rounding), as `jnp.round`. */
function roundHalfEven(x: number): number {
  const r = round(x);
  return abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Functions that the JavaScript expressions in the op tables call by name.
 *
 * @example
 * ```ts
 * JS_HELPERS.sigmoid(0); // 0.5
 * ```
 */
export const JS_HELPERS = { erf, sigmoid, roundHalfEven, pow, saturateInt32 } as const;

/**
 * The spec of `op` in `table`, or a KernelError named after the op listing the ops of that kind: the
 * one lookup every backend's elementwise kernels use.
 *
 * @internal
 */
export function lookupOp<T extends Record<string, OpSpec>>(
  table: T,
  kind: string,
  op: unknown,
): OpSpec {
  if (typeof op !== 'string' || !Object.hasOwn(table, op)) {
    throw new KernelError(
      String(op),
      `not a ${kind} op; the ${kind} ops are ${Object.keys(table).join(', ')}`,
    );
  }
  return table[op]!;
}
