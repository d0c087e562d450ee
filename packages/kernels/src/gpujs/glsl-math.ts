/**
 * GLSL ES 3.00 math for gpu.js on WebGL2, with IEEE (C99) special cases and float32 accuracy: the twin
 * of the WebGPU backend's WGSL (src/webgpu/ieee-math.ts). GLSL leaves NaN, infinities, -0 and
 * out-of-domain arguments to the driver, and drivers differ (SwiftShader's `log(0)` is -88, its `sin`
 * is off by 1e-4), while every backend must agree with the CPU's `Math.*` rounded to float32. So
 * special operands are tested by bits (compilers may fold `x != x` to false), NaN and infinity are
 * made from bits (gpu.js writes the literal `Infinity` as 3.4e38), and ordinary values come from
 * stable formulas. Kernels call the functions of {@link GLSL_MATH}; cpu-math.ts has their JavaScript
 * twins for gpu.js's `cpu` mode.
 */
import type { MathHelper } from './cpu-math.js';

/** What the public functions share; kernels never call these. */
const SUPPORT = /* glsl */ `
bool isNanBits(float a) { return (floatBitsToUint(a) & 0x7fffffffu) > 0x7f800000u; }
bool isInfBits(float a) { return (floatBitsToUint(a) & 0x7fffffffu) == 0x7f800000u; }
bool hasSignBit(float a) { return (floatBitsToUint(a) & 0x80000000u) != 0u; }
// |m| with the sign of s, by bits: a compiler may fold -m or x * 0.0 and lose the sign of a zero.
float copySign(float m, float s) {
  return uintBitsToFloat((floatBitsToUint(m) & 0x7fffffffu) | (floatBitsToUint(s) & 0x80000000u));
}
float flipSign(float m) { return uintBitsToFloat(floatBitsToUint(m) ^ 0x80000000u); }
bool isOddInteger(float b) { return b == floor(b) && b * 0.5 != floor(b * 0.5); }
const float LN2 = 0.6931471805599453;

// 2^k for -126 <= k <= 127, from its bits.
float pow2(int k) { return uintBitsToFloat(uint(k + 127) << 23); }
// The binary exponent of a finite nonzero x; a subnormal's mantissa converts to a float exactly.
int exponentOf(float x) {
  uint bits = floatBitsToUint(x) & 0x7fffffffu;
  if (bits >= 0x00800000u) { return int(bits >> 23) - 127; }
  return int(floatBitsToUint(float(bits)) >> 23) - 127 - 149;
}
// x * 2^k for k >= 0, exact while the result is finite.
float scaleUp(float x, int k) {
  for (int i = 0; i < 3; i++) {
    if (k <= 0) { break; }
    int s = min(k, 127);
    x *= pow2(s);
    k -= s;
  }
  return x;
}

// x - k pi/2 by Cody and Waite: pi/2 in three float32 parts, the first two short enough (8 and 12
// significant bits) that k times them is exact for |k| below 2^16 and 2^12.
float reduceHalfPi(float x, float k) {
  return ((x - k * 1.5703125) - k * 4.837512969970703e-4) - k * 7.549790126404332e-8;
}
// Maclaurin polynomials on [-pi/4, pi/4]: the first omitted terms are below 2e-9.
float sinPoly(float r) {
  float t = r * r;
  return r + r * t * (-1.0 / 6.0 + t * (1.0 / 120.0 + t * (-1.0 / 5040.0 + t * (1.0 / 362880.0))));
}
float cosPoly(float r) {
  float t = r * r;
  return 1.0 - 0.5 * t + t * t * (1.0 / 24.0 + t * (-1.0 / 720.0 + t * (1.0 / 40320.0 - t * (1.0 / 3628800.0))));
}
// sin(r + q pi/2).
float sinQuadrant(float r, int q) {
  float v = (q & 1) == 1 ? cosPoly(r) : sinPoly(r);
  return (q & 2) != 0 ? -v : v;
}
// Past this |x| the reduction above is no longer exact (that needs Payne and Hanek's): builtins.
const float TRIG_REDUCED_LIMIT = 65536.0;

// The high 12 of a float's 24 significant bits, cut by a mask: an arithmetic split (Veltkamp's) could
// be changed by a fused multiply-add.
float highHalf(float x) { return uintBitsToFloat(floatBitsToUint(x) & 0xfffff000u); }
// a - q * b exactly when q is within an ulp of a / b: q * b = p + e exactly by Dekker's product (each
// partial product of 12-bit halves is exact), a - p is exact by Sterbenz, and so is the rest.
float residual(float a, float b, float q) {
  float p = q * b;
  float qh = highHalf(q);
  float ql = q - qh;
  float bh = highHalf(b);
  float bl = b - bh;
  float e = ((qh * bh - p) + qh * bl + ql * bh) + ql * bl;
  return (a - p) - e;
}
// The float next to q (nonzero) toward +Infinity when up, else toward -Infinity.
float nextFloat(float q, bool up) {
  uint bits = floatBitsToUint(q);
  return uintBitsToFloat((q > 0.0) == up ? bits + 1u : bits - 1u);
}
`;

/**
 * The functions kernels call (gpu.js registers each by its signature), by name. They return float
 * (gpu.js knows no bool results): the tests `isNanF` and the comparisons give 1.0 or 0.0.
 */
export const GLSL_MATH: Record<MathHelper, string> = {
  nanF: 'float nanF() { return uintBitsToFloat(0x7fc00000u); }',
  posInf: 'float posInf() { return uintBitsToFloat(0x7f800000u); }',
  isNanF: 'float isNanF(float a) { return isNanBits(a) ? 1.0 : 0.0; }',

  eqF: 'float eqF(float a, float b) { return !isNanBits(a) && !isNanBits(b) && a == b ? 1.0 : 0.0; }',
  neF: 'float neF(float a, float b) { return isNanBits(a) || isNanBits(b) || a != b ? 1.0 : 0.0; }',
  ltF: 'float ltF(float a, float b) { return !isNanBits(a) && !isNanBits(b) && a < b ? 1.0 : 0.0; }',
  leF: 'float leF(float a, float b) { return !isNanBits(a) && !isNanBits(b) && a <= b ? 1.0 : 0.0; }',
  gtF: 'float gtF(float a, float b) { return !isNanBits(a) && !isNanBits(b) && a > b ? 1.0 : 0.0; }',
  geF: 'float geF(float a, float b) { return !isNanBits(a) && !isNanBits(b) && a >= b ? 1.0 : 0.0; }',
  maxNaN: `float maxNaN(float a, float b) {
  if (isNanBits(a) || isNanBits(b)) { return nanF(); }
  return max(a, b);
}`,
  minNaN: `float minNaN(float a, float b) {
  if (isNanBits(a) || isNanBits(b)) { return nanF(); }
  return min(a, b);
}`,

  signF: `float signF(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (a > 0.0) { return 1.0; }
  if (a < 0.0) { return -1.0; }
  return a;
}`,
  // Half to even; 2^23 and more (infinities too) are integers already, and x + 0.5 is exact below.
  roundHalfEven: `float roundHalfEven(float x) {
  if (isNanBits(x) || abs(x) >= 8388608.0) { return x; }
  float r = floor(x + 0.5);
  if (r - x == 0.5 && r - 2.0 * floor(r * 0.5) != 0.0) { r -= 1.0; }
  return copySign(r, x);
}`,
  sqrtF: `float sqrtF(float a) {
  if (isNanBits(a) || a < 0.0) { return nanF(); }
  if (a == 0.0 || isInfBits(a)) { return a; }
  return sqrt(a);
}`,
  expF: `float expF(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (isInfBits(a)) { return hasSignBit(a) ? 0.0 : a; }
  return exp(a);
}`,
  // Below 0.5 in magnitude, Taylor's series to a^9 (the next term is below 6e-10 relative): exp(a) - 1
  // would cancel there.
  expm1F: `float expm1F(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (isInfBits(a)) { return hasSignBit(a) ? -1.0 : a; }
  if (abs(a) < 0.5) {
    return a * (1.0 + a / 2.0 * (1.0 + a / 3.0 * (1.0 + a / 4.0 * (1.0 + a / 5.0 * (1.0 + a / 6.0 *
      (1.0 + a / 7.0 * (1.0 + a / 8.0 * (1.0 + a / 9.0))))))));
  }
  return exp(a) - 1.0;
}`,
  log1pF: `float log1pF(float a) {
  if (isNanBits(a) || a < -1.0) { return nanF(); }
  if (a == -1.0) { return flipSign(posInf()); }
  if (isInfBits(a)) { return a; }
  if (abs(a) < 0.05) {
    // Maclaurin series to a^7 (the next term is below 1e-10 relative): log(1 + a) would take the
    // builtin log's absolute error.
    return a * (1.0 + a * (-1.0 / 2.0 + a * (1.0 / 3.0 + a * (-1.0 / 4.0 + a * (1.0 / 5.0 + a * (-1.0 / 6.0 + a / 7.0))))));
  }
  float u = 1.0 + a;
  // log(u) is exact for u, and a / (u - 1) corrects for the rounding of 1 + a (Goldberg's trick).
  return log(u) * (a / (u - 1.0));
}`,
  logF: `float logF(float a) {
  if (a == 0.0) { return flipSign(posInf()); }
  if (isNanBits(a) || hasSignBit(a)) { return nanF(); }
  if (isInfBits(a)) { return a; }
  // Near 1 the builtin's absolute error is large relative to the result; a - 1 is exact here.
  if (abs(a - 1.0) < 0.05) { return log1pF(a - 1.0); }
  return log(a);
}`,

  sinF: `float sinF(float x) {
  if (isNanBits(x) || isInfBits(x)) { return nanF(); }
  if (abs(x) > TRIG_REDUCED_LIMIT) { return sin(x); }
  float k = floor(x * 0.6366197723675814 + 0.5);
  return sinQuadrant(reduceHalfPi(x, k), int(k) & 3);
}`,
  cosF: `float cosF(float x) {
  if (isNanBits(x) || isInfBits(x)) { return nanF(); }
  if (abs(x) > TRIG_REDUCED_LIMIT) { return cos(x); }
  float k = floor(x * 0.6366197723675814 + 0.5);
  return sinQuadrant(reduceHalfPi(x, k), (int(k) + 1) & 3);
}`,
  // tan(r + pi/2) = -cos(r) / sin(r).
  tanF: `float tanF(float x) {
  if (isNanBits(x) || isInfBits(x)) { return nanF(); }
  if (abs(x) > TRIG_REDUCED_LIMIT) { return tan(x); }
  float k = floor(x * 0.6366197723675814 + 0.5);
  float r = reduceHalfPi(x, k);
  return (int(k) & 1) == 1 ? -cosPoly(r) / sinPoly(r) : sinPoly(r) / cosPoly(r);
}`,
  asinF: `float asinF(float a) {
  if (isNanBits(a) || abs(a) > 1.0) { return nanF(); }
  return asin(a);
}`,
  acosF: `float acosF(float a) {
  if (isNanBits(a) || abs(a) > 1.0) { return nanF(); }
  return acos(a);
}`,
  atanF: `float atanF(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (isInfBits(a)) { return copySign(1.5707963267948966, a); }
  return atan(a);
}`,
  // Below 0.5 in magnitude, Taylor's series to a^9 (the next term is below 1e-10 relative): the
  // builtin's (e^a - e^-a) / 2 would cancel there.
  sinhF: `float sinhF(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (isInfBits(a)) { return a; }
  if (abs(a) < 0.5) {
    float s = a * a;
    return a + a * s * (1.0 / 6.0 + s * (1.0 / 120.0 + s * (1.0 / 5040.0 + s * (1.0 / 362880.0))));
  }
  return sinh(a);
}`,
  coshF: `float coshF(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (isInfBits(a)) { return posInf(); }
  return cosh(a);
}`,
  tanhF: `float tanhF(float a) {
  if (isNanBits(a)) { return nanF(); }
  float x = abs(a);
  // tanh(9) rounds to 1 in float32, and so does every larger x, Infinity included.
  float t = 1.0;
  if (x < 0.1) {
    // Maclaurin series: 1 - e^-2x would cancel here.
    float s = x * x;
    t = x + x * s * (-1.0 / 3.0 + s * (2.0 / 15.0 + s * (-17.0 / 315.0)));
  } else if (x < 9.0) {
    float e = exp(-2.0 * x);
    t = (1.0 - e) / (1.0 + e);
  }
  return copySign(t, a);
}`,
  asinhF: `float asinhF(float a) {
  if (isNanBits(a)) { return nanF(); }
  if (isInfBits(a)) { return a; }
  float x = abs(a);
  float r;
  if (x > 1e4) {
    r = log(x) + LN2; // log(2x): x * x would overflow
  } else {
    // log(x + sqrt(1 + x^2)) = log1p(x + x^2 / (1 + sqrt(1 + x^2))), without cancellation near 0.
    r = log1pF(x + x * x / (1.0 + sqrt(1.0 + x * x)));
  }
  return copySign(r, a);
}`,
  acoshF: `float acoshF(float a) {
  if (isNanBits(a) || a < 1.0) { return nanF(); }
  if (isInfBits(a)) { return a; }
  if (a > 1e4) { return log(a) + LN2; }
  float t = a - 1.0;
  return log1pF(t + sqrt(t * (a + 1.0)));
}`,
  // atanh(x) = log((1 + x) / (1 - x)) / 2 = log1p(2x / (1 - x)) / 2.
  atanhF: `float atanhF(float a) {
  float x = abs(a);
  if (isNanBits(a) || x > 1.0) { return nanF(); }
  float r = x == 1.0 ? posInf() : 0.5 * log1pF(2.0 * x / (1.0 - x));
  return copySign(r, a);
}`,

  // C's fmod, exactly: long division by |b| times powers of two, each subtraction exact (Sterbenz),
  // so no rounding of a / b can leave a wrong remainder. At most one step per binade of |a / b|.
  remF: `float remF(float a, float b) {
  if (isNanBits(a) || isNanBits(b) || isInfBits(a) || b == 0.0) { return nanF(); }
  float m = abs(b);
  float r = abs(a);
  if (isInfBits(m)) { return a; }
  int em = exponentOf(m);
  for (int step = 0; step < 300; step++) {
    if (r < m) { break; }
    float d = scaleUp(m, exponentOf(r) - em);
    if (d > r) { d *= 0.5; }
    r -= d;
  }
  return copySign(r, a);
}`,
  // C99 pow: x^+-0 and 1^y are 1 even for NaN, (-1)^+-Infinity is 1; zeros and infinities by the
  // rules of Annex F; a negative base needs an integer exponent.
  powFull: `float powFull(float a, float b) {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (isNanBits(a) || isNanBits(b)) { return nanF(); }
  float x = abs(a);
  if (isInfBits(b)) {
    if (x == 1.0) { return 1.0; }
    return (x > 1.0) == (b > 0.0) ? posInf() : 0.0;
  }
  bool negate = hasSignBit(a) && isOddInteger(b);
  float m = 0.0;
  if (a == 0.0 || isInfBits(a)) {
    m = (a == 0.0) == (b < 0.0) ? posInf() : 0.0;
  } else {
    if (hasSignBit(a) && b != floor(b)) { return nanF(); }
    float l = b * log2(x);
    if (l >= 128.0) {
      m = posInf();
    } else if (l > -150.0) {
      m = exp2(l);
    }
  }
  return negate ? flipSign(m) : m;
}`,
  atan2F: `float atan2F(float y, float x) {
  if (isNanBits(y) || isNanBits(x)) { return nanF(); }
  float pi = 3.141592653589793;
  bool left = hasSignBit(x); // x < 0, or x is -0
  float r; // the angle for |y|
  if (y == 0.0) {
    r = left ? pi : 0.0;
  } else if (isInfBits(y)) {
    r = isInfBits(x) ? (left ? 3.0 * pi / 4.0 : pi / 4.0) : pi / 2.0;
  } else if (isInfBits(x)) {
    r = left ? pi : 0.0;
  } else if (x == 0.0) {
    r = pi / 2.0;
  } else {
    r = atan(abs(y), x);
  }
  return copySign(r, y);
}`,
  // a / b correctly rounded, as the CPU divides: GLSL's division may be a reciprocal and a product
  // (2.5 ulps). One correction by the residual, then the nearer of the two floats around a / b (no
  // quotient of floats is halfway between two). Outside the range where the residual is exact (and
  // for zeros, infinities and NaN) the builtin's quotient.
  divF: `float divF(float a, float b) {
  float q = a / b;
  float aa = abs(a);
  float ab = abs(b);
  float aq = abs(q);
  if (isNanBits(q) || !(aa > 1e-20 && aa < 1e30 && ab > 1e-20 && ab < 1e30 && aq > 1e-20 && aq < 1e30)) {
    return q;
  }
  q += residual(a, b, q) / b;
  float r = residual(a, b, q);
  if (r == 0.0) { return q; }
  float other = nextFloat(q, (r > 0.0) == (b > 0.0));
  return abs(residual(a, b, other)) < abs(r) ? other : q;
}`,
};

/** Everything {@link GLSL_MATH} needs, to inject once before every kernel: declarations first, so that order does not matter. */
export const GLSL_MATH_SOURCE = [
  SUPPORT,
  ...Object.values(GLSL_MATH).map(glslPrototype),
  ...Object.values(GLSL_MATH),
].join('\n');

/** `float name(float a);`: a definition's declaration, from which gpu.js reads the types. */
export function glslPrototype(definition: string): string {
  return `${definition.slice(0, definition.indexOf(')') + 1)};`;
}
