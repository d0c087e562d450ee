/**
 * WGSL shared by every kernel: how each dtype is stored (bool as a 32-bit integer: WGSL storage
 * buffers have no 8-bit type), the helpers the op table's expressions call, and index arithmetic.
 */
import type { DType } from '../dtype.js';
import { IEEE_MATH } from './ieee-math.js';

/** The WGSL type a dtype is stored as in buffers. */
export const STORAGE_TYPE: Record<DType, string> = { float32: 'f32', int32: 'i32', bool: 'u32' };

/** The WGSL type a dtype's values have in expressions. */
export const VALUE_TYPE: Record<DType, string> = { float32: 'f32', int32: 'i32', bool: 'bool' };

/** An expression reading element `index` of `buffer` (of `dtype`) as a value. */
export function load(buffer: string, index: string, dtype: DType): string {
  return dtype === 'bool' ? `(${buffer}[${index}] != 0u)` : `${buffer}[${index}]`;
}

/** An expression converting a value of `dtype` to its storage type. */
export function store(value: string, dtype: DType): string {
  return dtype === 'bool' ? `select(0u, 1u, ${value})` : value;
}

/** Converts a value between dtypes as `Backend.cast` does (float to int truncates and saturates; NaN gives 0). */
export function convert(value: string, from: DType, to: DType): string {
  if (from === to) return value;
  if (to === 'bool')
    return from === 'float32' ? `(${value} != 0.0 || isNanF(${value}))` : `(${value} != 0)`;
  if (to === 'float32') return from === 'bool' ? `select(0.0, 1.0, ${value})` : `f32(${value})`;
  // to int32
  return from === 'bool' ? `select(0, 1, ${value})` : `toInt32(${value})`;
}

/** Helpers the op table's WGSL expressions call, and the index helpers. Included in every shader. */
export const PRELUDE = /* wgsl */ `
// NaN and infinity as runtime values: WGSL rejects them in constant expressions.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn sigmoid(a: f32) -> f32 {
  if (a >= 0.0) { return 1.0 / (1.0 + exp(-a)); }
  let e = exp(a);
  return e / (1.0 + e);
}
fn expm1(a: f32) -> f32 {
  if (abs(a) < 1e-5) { return a + 0.5 * a * a; }
  return exp(a) - 1.0;
}
fn erf(a: f32) -> f32 {
  // Near 0 the Maclaurin series (terms to x^13; the next is below 1e-9 for |x| < 0.5); elsewhere
  // Numerical Recipes' erfc fit (fractional error below 1.2e-7).
  let x = abs(a);
  var r: f32;
  if (x < 0.5) {
    let t = x * x;
    r = 1.1283791670955126 * x * (1.0 + t * (-1.0 / 3.0 + t * (1.0 / 10.0 + t * (-1.0 / 42.0 + t * (1.0 / 216.0 + t * (-1.0 / 1320.0 + t / 9360.0))))));
  } else {
    let t = 1.0 / (1.0 + 0.5 * x);
    let y = t * exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    r = 1.0 - y;
  }
  return select(r, -r, a < 0.0);
}
// By bits: GPU compilers may assume floats are never NaN and fold a != a to false.
fn isNanF(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u; }
fn maxNaN(a: f32, b: f32) -> f32 {
  if (isNanF(a) || isNanF(b)) { return nan(); }
  return max(a, b);
}
fn minNaN(a: f32, b: f32) -> f32 {
  if (isNanF(a) || isNanF(b)) { return nan(); }
  return min(a, b);
}
fn toInt32(a: f32) -> i32 {
  if (isNanF(a)) { return 0; }
  if (a >= 2147483647.0) { return 2147483647; }
  if (a <= -2147483648.0) { return -2147483647 - 1; }
  return i32(trunc(a));
}
${IEEE_MATH}`;

/** Invocations per workgroup of the one-dimensional kernels. */
export const WORKGROUP = 64;

/** The largest number of workgroups along one dimension of a dispatch (WebGPU's default limit). */
export const MAX_GROUPS = 65535;

/**
 * A one-dimensional kernel's header: `i` is the element this invocation handles, over a dispatch that
 * may be two-dimensional when there are more than 65535 workgroups; `count` guards the tail.
 */
export function flatIndex(count: string): string {
  return `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * ${MAX_GROUPS * WORKGROUP}u;
  if (i >= ${count}) { return; }`;
}

/** Workgroups for `count` invocations of a {@link flatIndex} kernel: `[x, y]`. */
export function groupsFor(count: number): [number, number] {
  const groups = Math.max(1, Math.ceil(count / WORKGROUP));
  return groups <= MAX_GROUPS ? [groups, 1] : [MAX_GROUPS, Math.ceil(groups / MAX_GROUPS)];
}
