/**
 * WGSL math with IEEE (C99) special cases and float32 accuracy, for the op table's float32 entries.
 * WGSL leaves infinities, NaN and out-of-domain arguments to the implementation and only asks for
 * loose accuracy (sin and cos: 2^-11 absolute, on [-pi, pi] only), while every backend must agree
 * with the CPU's `Math.*` rounded to float32. Special operands are tested by bits, not by comparisons
 * with infinity (GPU compilers may fold those), and ordinary values are computed by stable formulas.
 * Part of the shader prelude: it calls `nan()`, `inf()` and `isNanF` defined there.
 */
export const IEEE_MATH = /* wgsl */ `
fn isInfF(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u; }
// The sign bit: true for -0 and -Inf too.
fn signBitF(a: f32) -> bool { return (bitcast<u32>(a) & 0x80000000u) != 0u; }
fn withSignOf(m: f32, s: f32) -> f32 { return select(m, -m, signBitF(s)); }
fn isOddInteger(b: f32) -> bool { return b == floor(b) && b * 0.5 != floor(b * 0.5); }

fn logF(a: f32) -> f32 {
  if (a == 0.0) { return -inf(); }
  if (isNanF(a) || signBitF(a)) { return nan(); }
  if (isInfF(a)) { return a; }
  // Near 1 the builtin's absolute error is large relative to the result; a - 1 is exact here.
  if (abs(a - 1.0) < 0.05) { return log1p(a - 1.0); }
  return log(a);
}
fn log1p(a: f32) -> f32 {
  if (isNanF(a) || a < -1.0) { return nan(); }
  if (a == -1.0) { return -inf(); }
  if (isInfF(a)) { return a; }
  if (abs(a) < 0.05) {
    // Maclaurin series to a^7 (the next term is below 1e-10 relative): log(1 + a) near 0 would
    // take the builtin log's absolute error.
    return a * (1.0 + a * (-1.0 / 2.0 + a * (1.0 / 3.0 + a * (-1.0 / 4.0 + a * (1.0 / 5.0 + a * (-1.0 / 6.0 + a / 7.0))))));
  }
  let u = 1.0 + a;
  // log(u) is exact for u, and a / (u - 1) corrects for the rounding of 1 + a (Goldberg's trick).
  return log(u) * (a / (u - 1.0));
}
fn tanhF(a: f32) -> f32 {
  if (isNanF(a)) { return nan(); }
  let x = abs(a);
  var t = 1.0; // tanh(9) rounds to 1 in float32, and so does every larger x, Inf included
  if (x < 0.1) {
    // Maclaurin series: 1 - e^-2x would cancel here.
    let s = x * x;
    t = x + x * s * (-1.0 / 3.0 + s * (2.0 / 15.0 + s * (-17.0 / 315.0)));
  } else if (x < 9.0) {
    let e = exp(-2.0 * x);
    t = (1.0 - e) / (1.0 + e);
  }
  return withSignOf(t, a);
}
fn asinhF(a: f32) -> f32 {
  if (isNanF(a)) { return nan(); }
  let x = abs(a);
  var r = x;
  if (isInfF(x)) {
    r = x;
  } else if (x > 1e4) {
    r = log(x) + 0.6931471805599453; // log(2x), x * x would overflow
  } else {
    // log(x + sqrt(1 + x^2)) = log1p(x + x^2 / (1 + sqrt(1 + x^2))), without cancellation near 0.
    r = log1p(x + x * x / (1.0 + sqrt(1.0 + x * x)));
  }
  return withSignOf(r, a);
}
fn acoshF(a: f32) -> f32 {
  if (isNanF(a) || a < 1.0) { return nan(); }
  if (isInfF(a)) { return a; }
  if (a > 1e4) { return log(a) + 0.6931471805599453; }
  let t = a - 1.0;
  return log1p(t + sqrt(t * (a + 1.0)));
}
fn atanhF(a: f32) -> f32 {
  let x = abs(a);
  if (isNanF(a) || x > 1.0) { return nan(); }
  // atanh(x) = log((1 + x) / (1 - x)) / 2 = log1p(2x / (1 - x)) / 2.
  let r = select(0.5 * log1p(2.0 * x / (1.0 - x)), inf(), x == 1.0);
  return withSignOf(r, a);
}

// C's fmod, exactly: long division by powers of two of |b|, each subtraction exact (Sterbenz), so
// no rounding of a / b can leave a wrong remainder. At most one step per binade of |a / b|.
fn remF(a: f32, b: f32) -> f32 {
  if (isNanF(a) || isNanF(b) || isInfF(a) || b == 0.0) { return nan(); }
  let m = abs(b);
  var r = abs(a);
  for (var step = 0; step < 300 && r >= m; step++) {
    let k = frexp(r).exp - frexp(m).exp;
    var d = ldexp(m, k);
    if (d > r) { d = ldexp(m, k - 1); }
    r -= d;
  }
  return withSignOf(r, a);
}

// C99 pow: x^±0 and 1^y are 1 even for NaN, (-1)^±Inf is 1; zeros and infinities by the rules of
// Annex F; a negative base needs an integer exponent.
fn powFull(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (isNanF(a) || isNanF(b)) { return nan(); }
  let x = abs(a);
  if (isInfF(b)) {
    if (x == 1.0) { return 1.0; }
    return select(0.0, inf(), (x > 1.0) == (b > 0.0));
  }
  let negate = signBitF(a) && isOddInteger(b);
  if (a == 0.0 || isInfF(a)) {
    let m = select(0.0, inf(), (a == 0.0) == (b < 0.0));
    return select(m, -m, negate);
  }
  if (signBitF(a) && b != floor(b)) { return nan(); }
  let l = b * log2(x);
  var m = 0.0;
  if (l >= 128.0) {
    m = inf();
  } else if (l > -150.0) {
    m = exp2(l);
  }
  return select(m, -m, negate);
}

fn atan2F(y: f32, x: f32) -> f32 {
  if (isNanF(y) || isNanF(x)) { return nan(); }
  let pi = 3.141592653589793;
  let left = signBitF(x); // x < 0, or x is -0
  var r: f32; // the angle for |y|
  if (y == 0.0) {
    r = select(0.0, pi, left);
  } else if (isInfF(y)) {
    r = select(pi / 2.0, select(pi / 4.0, 3.0 * pi / 4.0, left), isInfF(x));
  } else if (isInfF(x)) {
    r = select(0.0, pi, left);
  } else if (x == 0.0) {
    r = pi / 2.0;
  } else {
    r = atan2(abs(y), x);
  }
  return withSignOf(r, y);
}

// x - k pi/2 by Cody and Waite: pi/2 in three float32 parts, the first two short enough (8 and 12
// significant bits) that k times them is exact for |k| below 2^16 and 2^12 (|k| above 2^12 costs
// at most about 1e-6 absolute).
fn reduceHalfPi(x: f32, k: f32) -> f32 {
  return ((x - k * 1.5703125) - k * 4.837512969970703e-4) - k * 7.549790126404332e-8;
}
// Maclaurin polynomials on [-pi/4, pi/4]: the first omitted terms are below 2e-9.
fn sinPoly(r: f32) -> f32 {
  let t = r * r;
  return r + r * t * (-1.0 / 6.0 + t * (1.0 / 120.0 + t * (-1.0 / 5040.0 + t * (1.0 / 362880.0))));
}
fn cosPoly(r: f32) -> f32 {
  let t = r * r;
  return 1.0 - 0.5 * t + t * t * (1.0 / 24.0 + t * (-1.0 / 720.0 + t * (1.0 / 40320.0 - t * (1.0 / 3628800.0))));
}
// sin(x + q pi/2) for the quadrant q of the reduced argument r.
fn sinQuadrant(r: f32, q: u32) -> f32 {
  let v = select(sinPoly(r), cosPoly(r), (q & 1u) == 1u);
  return select(v, -v, (q & 2u) != 0u);
}
// Past this |x| the reduction above is no longer exact (that needs Payne and Hanek's): builtins.
const TRIG_REDUCED_LIMIT = 65536.0;
fn sinF(x: f32) -> f32 {
  if (isNanF(x) || isInfF(x)) { return nan(); }
  if (abs(x) > TRIG_REDUCED_LIMIT) { return sin(x); }
  let k = round(x * 0.6366197723675814);
  return sinQuadrant(reduceHalfPi(x, k), u32(i32(k) & 3));
}
fn cosF(x: f32) -> f32 {
  if (isNanF(x) || isInfF(x)) { return nan(); }
  if (abs(x) > TRIG_REDUCED_LIMIT) { return cos(x); }
  let k = round(x * 0.6366197723675814);
  return sinQuadrant(reduceHalfPi(x, k), u32((i32(k) + 1) & 3));
}
fn tanF(x: f32) -> f32 {
  if (isNanF(x) || isInfF(x)) { return nan(); }
  if (abs(x) > TRIG_REDUCED_LIMIT) { return tan(x); }
  let k = round(x * 0.6366197723675814);
  let r = reduceHalfPi(x, k);
  // tan(r + pi/2) = -cos(r) / sin(r).
  return select(sinPoly(r) / cosPoly(r), -cosPoly(r) / sinPoly(r), (i32(k) & 1) == 1);
}
`;
