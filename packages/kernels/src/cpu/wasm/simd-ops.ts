/**
 * The elementwise ops that have an exact WebAssembly SIMD translation, for the SIMD elementwise kernels
 * (simd-kernel.ts). Every value is a v128 of four 32-bit lanes: float32 as f32, int32 as i32, bool as
 * i32 0 or 1. An op is listed only where its lanes round exactly as the JavaScript kernel's
 * `Math.fround(expression)` does, so either path gives bit-identical results: IEEE add, sub, mul, div
 * and sqrt round once in both; wasm's min and max propagate NaN and order -0 below +0 as `Math.min` and
 * `Math.max` do; `i32x4.trunc_sat_f32x4_s` is `saturateInt32`. Ops missing here (exp, integer division,
 * `rsqrt`, which rounds twice in float32, ...) keep the JavaScript kernel.
 */
import type { DType } from '../../dtype.js';
import type { Asm } from './asm.js';

/** SIMD opcodes used below (the 0xfd-prefixed numbers of the WebAssembly SIMD binary format). */
export const SIMD = {
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  i32x4Eq: 0x37,
  i32x4Ne: 0x38,
  i32x4LtS: 0x39,
  i32x4GtS: 0x3b,
  i32x4LeS: 0x3d,
  i32x4GeS: 0x3f,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  v128Not: 0x4d,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Xor: 0x51,
  v128Bitselect: 0x52,
  i8x16NarrowI16x8U: 0x66,
  f32x4Ceil: 0x67,
  f32x4Floor: 0x68,
  i16x8NarrowI32x4U: 0x86,
  i16x8ExtendLowI8x16U: 0x89,
  i32x4Abs: 0xa0,
  i32x4Neg: 0xa1,
  i32x4ExtendLowI16x8U: 0xa9,
  i32x4Add: 0xae,
  i32x4Sub: 0xb1,
  i32x4Mul: 0xb5,
  i32x4MinS: 0xb6,
  i32x4MaxS: 0xb8,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  i32x4TruncSatF32x4S: 0xf8,
  f32x4ConvertI32x4S: 0xfa,
} as const;

/** Emits one op: pushes its result, given its arguments' locals. */
export type Emit = (f: Asm, args: readonly number[]) => void;

/** An instruction applied to the arguments in order. */
const plain =
  (code: number): Emit =>
  (f, args) => {
    for (const a of args) f.get(a);
    f.simd(code);
  };
/** A comparison: the all-ones lane masks become bool lanes (0 or 1) by negation. */
const compare =
  (code: number): Emit =>
  (f, args) => {
    plain(code)(f, args);
    f.simd(SIMD.i32x4Neg);
  };
const square =
  (code: number): Emit =>
  (f, [a]) =>
    f.get(a!).get(a!).simd(code);
/** `a op 0`, for conversions to bool (`a !== 0`). */
const againstZero =
  (code: number): Emit =>
  (f, [a]) =>
    f.get(a!).v128Zero().simd(code).simd(SIMD.i32x4Neg);
const identity: Emit = (f, [a]) => f.get(a!);

type ByDType = Partial<Record<DType, Emit>>;

/** Unary and binary ops by name and input dtype (the names of ops.ts). */
const OPS: Record<string, ByDType> = {
  neg: { float32: plain(SIMD.f32x4Neg), int32: plain(SIMD.i32x4Neg) },
  abs: { float32: plain(SIMD.f32x4Abs), int32: plain(SIMD.i32x4Abs) },
  square: { float32: square(SIMD.f32x4Mul), int32: square(SIMD.i32x4Mul) },
  sqrt: { float32: plain(SIMD.f32x4Sqrt) },
  floor: { float32: plain(SIMD.f32x4Floor) },
  ceil: { float32: plain(SIMD.f32x4Ceil) },
  reciprocal: {
    float32: (f, [a]) => f.f32Const(1).simd(SIMD.f32x4Splat).get(a!).simd(SIMD.f32x4Div),
  },
  isNaN: { float32: (f, [a]) => f.get(a!).get(a!).simd(SIMD.f32x4Ne).simd(SIMD.i32x4Neg) },
  logicalNot: { bool: (f, [a]) => f.get(a!).i32(1).simd(SIMD.i32x4Splat).simd(SIMD.v128Xor) },
  bitwiseNot: { int32: plain(SIMD.v128Not) },
  add: { float32: plain(SIMD.f32x4Add), int32: plain(SIMD.i32x4Add) },
  sub: { float32: plain(SIMD.f32x4Sub), int32: plain(SIMD.i32x4Sub) },
  mul: { float32: plain(SIMD.f32x4Mul), int32: plain(SIMD.i32x4Mul) },
  div: { float32: plain(SIMD.f32x4Div) },
  max: { float32: plain(SIMD.f32x4Max), int32: plain(SIMD.i32x4MaxS) },
  min: { float32: plain(SIMD.f32x4Min), int32: plain(SIMD.i32x4MinS) },
  eq: {
    float32: compare(SIMD.f32x4Eq),
    int32: compare(SIMD.i32x4Eq),
    bool: compare(SIMD.i32x4Eq),
  },
  ne: {
    float32: compare(SIMD.f32x4Ne),
    int32: compare(SIMD.i32x4Ne),
    bool: compare(SIMD.i32x4Ne),
  },
  lt: { float32: compare(SIMD.f32x4Lt), int32: compare(SIMD.i32x4LtS) },
  le: { float32: compare(SIMD.f32x4Le), int32: compare(SIMD.i32x4LeS) },
  gt: { float32: compare(SIMD.f32x4Gt), int32: compare(SIMD.i32x4GtS) },
  ge: { float32: compare(SIMD.f32x4Ge), int32: compare(SIMD.i32x4GeS) },
  logicalAnd: { bool: plain(SIMD.v128And) },
  logicalOr: { bool: plain(SIMD.v128Or) },
  logicalXor: { bool: plain(SIMD.v128Xor) },
  bitwiseAnd: { int32: plain(SIMD.v128And) },
  bitwiseOr: { int32: plain(SIMD.v128Or) },
  bitwiseXor: { int32: plain(SIMD.v128Xor) },
};

/** Casts by `from` and `to` dtype. */
const CASTS: Record<DType, Record<DType, Emit>> = {
  float32: {
    float32: identity,
    int32: plain(SIMD.i32x4TruncSatF32x4S),
    bool: againstZero(SIMD.f32x4Ne),
  },
  int32: {
    float32: plain(SIMD.f32x4ConvertI32x4S),
    int32: identity,
    bool: againstZero(SIMD.i32x4Ne),
  },
  bool: { float32: plain(SIMD.f32x4ConvertI32x4S), int32: identity, bool: identity },
};

/** `cond ? a : b` lane by lane: the 0/1 condition becomes a lane mask by negation. */
const where: Emit = (f, [cond, a, b]) =>
  f.get(a!).get(b!).get(cond!).simd(SIMD.i32x4Neg).simd(SIMD.v128Bitselect);

/**
 * The emitter of a program step (already validated by fused.ts), or undefined where the step has no
 * exact SIMD translation. `dtypes` are the arguments' dtypes; `to` is a cast's target.
 */
export function simdStep(op: string, dtypes: readonly DType[], to?: DType): Emit | undefined {
  if (op === 'where') return where;
  if (op === 'cast') return to === undefined ? undefined : CASTS[dtypes[0]!][to];
  return Object.hasOwn(OPS, op) ? OPS[op]![dtypes[0]!] : undefined;
}
