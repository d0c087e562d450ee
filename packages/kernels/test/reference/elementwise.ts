/**
 * Reference semantics of the elementwise ops, cast and bitcast, written from the contracts in
 * `src/ops.ts` and `src/backend.ts` (not from the op table's expressions). float32 results are the
 * float64 result rounded once to float32; int32 arithmetic goes through BigInt so wraparound is exact.
 */
import type { DType } from '../../src/index.js';
import { atBroadcast, broadcastShape, fromFn, type Ref } from './ndarray.js';

type Unary = (a: number) => number;
type Binary = (a: number, b: number) => number;

/** An op's reference: a function per accepted input dtype, and the output dtype when it differs. */
export interface RefOp<F> {
  readonly fns: Partial<Record<DType, F>>;
  readonly out?: DType;
}

const wrap = (v: bigint): number => Number(BigInt.asIntN(32, v));
const big = (a: number): bigint => BigInt(a);
const float = (f: Unary): RefOp<Unary> => ({ fns: { float32: f } });
const float2 = (f: Binary): RefOp<Binary> => ({ fns: { float32: f } });

/** The error function to float64 accuracy: 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!, no cancellation. */
export function erfReference(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  const value = Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum);
  return x < 0 ? -value : value;
}

function roundHalfToEven(a: number): number {
  if (!Number.isFinite(a)) return a;
  const f = Math.floor(a);
  const d = a - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * `pow` as C99 and XLA define it: x^(+-0) is 1 for every x, NaN included; 1^y is 1 for every y, NaN
 * included; (-1)^(+-Infinity) is 1. JavaScript's `**` gives NaN for the last two; every other case agrees.
 */
function powReference(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

const sign = (a: number): number => (Number.isNaN(a) ? NaN : a > 0 ? 1 : a < 0 ? -1 : a);

/** Reference unary ops, by name. */
export const UNARY_REFERENCE: Record<string, RefOp<Unary>> = {
  neg: { fns: { float32: (a) => -a, int32: (a) => wrap(-big(a)) } },
  abs: { fns: { float32: Math.abs, int32: (a) => wrap(big(Math.abs(a))) } },
  sign: { fns: { float32: sign, int32: sign } },
  square: { fns: { float32: (a) => a * a, int32: (a) => wrap(big(a) * big(a)) } },
  exp: float(Math.exp),
  expm1: float(Math.expm1),
  log: float(Math.log),
  log1p: float(Math.log1p),
  sqrt: float(Math.sqrt),
  rsqrt: float((a) => 1 / Math.sqrt(a)),
  reciprocal: float((a) => 1 / a),
  sin: float(Math.sin),
  cos: float(Math.cos),
  tan: float(Math.tan),
  asin: float(Math.asin),
  acos: float(Math.acos),
  atan: float(Math.atan),
  sinh: float(Math.sinh),
  cosh: float(Math.cosh),
  tanh: float(Math.tanh),
  asinh: float(Math.asinh),
  acosh: float(Math.acosh),
  atanh: float(Math.atanh),
  sigmoid: float((a) => 1 / (1 + Math.exp(-a))),
  erf: float(erfReference),
  floor: float(Math.floor),
  ceil: float(Math.ceil),
  round: float(roundHalfToEven),
  isNaN: { fns: { float32: (a) => (Number.isNaN(a) ? 1 : 0) }, out: 'bool' },
  logicalNot: { fns: { bool: (a) => (a ? 0 : 1) } },
  bitwiseNot: { fns: { int32: (a) => wrap(~big(a)) } },
};

const shiftCount = (b: number): bigint => BigInt(((b % 32) + 32) % 32);
const nanOr =
  (f: Binary): Binary =>
  (a, b) =>
    Number.isNaN(a) || Number.isNaN(b) ? NaN : f(a, b);
const compare = (f: (a: number, b: number) => boolean, dtypes: DType[]): RefOp<Binary> => ({
  fns: Object.fromEntries(dtypes.map((d) => [d, (a: number, b: number) => (f(a, b) ? 1 : 0)])),
  out: 'bool',
});
const ordered: DType[] = ['float32', 'int32'];
const all: DType[] = ['float32', 'int32', 'bool'];

/** Reference binary ops, by name. */
export const BINARY_REFERENCE: Record<string, RefOp<Binary>> = {
  add: { fns: { float32: (a, b) => a + b, int32: (a, b) => wrap(big(a) + big(b)) } },
  sub: { fns: { float32: (a, b) => a - b, int32: (a, b) => wrap(big(a) - big(b)) } },
  mul: { fns: { float32: (a, b) => a * b, int32: (a, b) => wrap(big(a) * big(b)) } },
  // BigInt division and remainder truncate toward zero, as the contract asks.
  div: {
    fns: { float32: (a, b) => a / b, int32: (a, b) => (b === 0 ? 0 : wrap(big(a) / big(b))) },
  },
  rem: {
    fns: { float32: (a, b) => a % b, int32: (a, b) => (b === 0 ? 0 : wrap(big(a) % big(b))) },
  },
  pow: float2(powReference),
  atan2: float2(Math.atan2),
  max: { fns: { float32: nanOr((a, b) => (a > b ? a : b)), int32: (a, b) => (a > b ? a : b) } },
  min: { fns: { float32: nanOr((a, b) => (a < b ? a : b)), int32: (a, b) => (a < b ? a : b) } },
  eq: compare((a, b) => a === b, all),
  ne: compare((a, b) => a !== b, all),
  lt: compare((a, b) => a < b, ordered),
  le: compare((a, b) => a <= b, ordered),
  gt: compare((a, b) => a > b, ordered),
  ge: compare((a, b) => a >= b, ordered),
  logicalAnd: { fns: { bool: (a, b) => (a && b ? 1 : 0) } },
  logicalOr: { fns: { bool: (a, b) => (a || b ? 1 : 0) } },
  logicalXor: { fns: { bool: (a, b) => (!a !== !b ? 1 : 0) } },
  bitwiseAnd: { fns: { int32: (a, b) => wrap(big(a) & big(b)) } },
  bitwiseOr: { fns: { int32: (a, b) => wrap(big(a) | big(b)) } },
  bitwiseXor: { fns: { int32: (a, b) => wrap(big(a) ^ big(b)) } },
  shiftLeft: { fns: { int32: (a, b) => wrap(big(a) << shiftCount(b)) } },
  // BigInt >> is an arithmetic (sign-filling) shift.
  shiftRightArithmetic: { fns: { int32: (a, b) => wrap(big(a) >> shiftCount(b)) } },
  shiftRightLogical: {
    fns: { int32: (a, b) => wrap(BigInt.asUintN(32, big(a)) >> shiftCount(b)) },
  },
};

function lookup<F>(table: Record<string, RefOp<F>>, op: string, dtype: DType): [F, DType] {
  const spec = table[op];
  const fn = spec?.fns[dtype];
  if (spec === undefined || fn === undefined) throw new Error(`no reference for ${op} on ${dtype}`);
  return [fn, spec.out ?? dtype];
}

export function unaryRef(op: string, x: Ref): Ref {
  const [fn, out] = lookup(UNARY_REFERENCE, op, x.dtype);
  return fromFn(x.shape, out, (_i, flat) => fn(x.data[flat]!));
}

export function binaryRef(op: string, a: Ref, b: Ref): Ref {
  const [fn, out] = lookup(BINARY_REFERENCE, op, a.dtype);
  const shape = broadcastShape(a.shape, b.shape);
  if (shape === undefined || a.dtype !== b.dtype) throw new Error('binaryRef: bad operands');
  return fromFn(shape, out, (i) => fn(atBroadcast(a, i), atBroadcast(b, i)));
}

export function whereRef(cond: Ref, a: Ref, b: Ref): Ref {
  const shape = broadcastShape(cond.shape, a.shape, b.shape);
  if (shape === undefined) throw new Error('whereRef: bad operands');
  return fromFn(shape, a.dtype, (i) =>
    atBroadcast(cond, i) ? atBroadcast(a, i) : atBroadcast(b, i),
  );
}

/**
 * One element converted as `cast` does (and as `full` and `pad` convert their fill value): to int32,
 * truncation toward zero saturated at the int32 range (NaN to 0, +-Infinity to INT32_MAX / INT32_MIN);
 * `x != 0` for bool (so NaN is true).
 */
export function castValue(v: number, to: DType): number {
  if (to === 'bool') return v !== 0 ? 1 : 0;
  if (to === 'int32') {
    if (Number.isNaN(v)) return 0;
    if (v >= 2147483647) return 2147483647;
    if (v <= -2147483648) return -2147483648;
    return Math.trunc(v);
  }
  return Math.fround(v);
}

export function castRef(x: Ref, to: DType): Ref {
  return fromFn(x.shape, to, (_i, flat) => castValue(x.data[flat]!, to));
}

/** Reinterprets float32 bits as int32 or back, through a DataView. */
export function bitcastValue(v: number, to: 'float32' | 'int32'): number {
  const view = new DataView(new ArrayBuffer(4));
  if (to === 'int32') {
    view.setFloat32(0, v);
    return view.getInt32(0);
  }
  view.setInt32(0, v);
  return view.getFloat32(0);
}

export function bitcastRef(x: Ref, to: 'float32' | 'int32'): Ref {
  return fromFn(x.shape, to, (_i, flat) => bitcastValue(x.data[flat]!, to));
}
