/**
 * The JavaScript twins of glsl-math.ts's functions, for gpu.js's `cpu` mode: there kernels run as
 * JavaScript in float64 and store float32, so `Math.*` (IEEE special values included) and one
 * rounding at the store give what the CPU backend gives. Each is a source string in the subset of
 * JavaScript that gpu.js's `cpu` mode accepts (no `NaN` literal: `0 / 0`).
 */
const fn = (name: string, args: string, body: string): string =>
  `function ${name}(${args}) {\n${body}\n}`;
const call = (name: string, math: string): string => fn(name, 'a', `return Math.${math}(a);`);
const compare = (name: string, op: string): string =>
  fn(name, 'a, b', `if (a ${op} b) {\nreturn 1;\n}\nreturn 0;`);

export const CPU_MATH = {
  nanF: fn('nanF', '', 'return 0 / 0;'),
  posInf: fn('posInf', '', 'return Infinity;'),
  isNanF: fn('isNanF', 'a', 'if (a !== a) {\nreturn 1;\n}\nreturn 0;'),

  eqF: compare('eqF', '==='),
  neF: compare('neF', '!=='),
  ltF: compare('ltF', '<'),
  leF: compare('leF', '<='),
  gtF: compare('gtF', '>'),
  geF: compare('geF', '>='),
  maxNaN: fn(
    'maxNaN',
    'a, b',
    'if (a !== a || b !== b) {\nreturn a + b;\n}\nreturn Math.max(a, b);',
  ),
  minNaN: fn(
    'minNaN',
    'a, b',
    'if (a !== a || b !== b) {\nreturn a + b;\n}\nreturn Math.min(a, b);',
  ),

  signF: call('signF', 'sign'),
  // Half to even; a negative input that rounds to zero gives -0 (`x * 0`), as `Math.round` does.
  roundHalfEven: fn(
    'roundHalfEven',
    'x',
    `if (Math.abs(x) >= 8388608) {
return x;
}
let r = Math.floor(x + 0.5);
if (r - x === 0.5 && r - 2 * Math.floor(r / 2) !== 0) {
r = r - 1;
}
if (r === 0 && x < 0) {
return x * 0;
}
return r;`,
  ),
  sqrtF: call('sqrtF', 'sqrt'),
  expF: call('expF', 'exp'),
  expm1F: call('expm1F', 'expm1'),
  log1pF: call('log1pF', 'log1p'),
  logF: call('logF', 'log'),

  sinF: call('sinF', 'sin'),
  cosF: call('cosF', 'cos'),
  tanF: call('tanF', 'tan'),
  asinF: call('asinF', 'asin'),
  acosF: call('acosF', 'acos'),
  atanF: call('atanF', 'atan'),
  sinhF: call('sinhF', 'sinh'),
  coshF: call('coshF', 'cosh'),
  tanhF: call('tanhF', 'tanh'),
  asinhF: call('asinhF', 'asinh'),
  acoshF: call('acoshF', 'acosh'),
  atanhF: call('atanhF', 'atanh'),

  remF: fn('remF', 'a, b', 'return a % b;'),
  // JavaScript's `**` differs from C99 only here: 1^y and x^0 are 1 for NaN, (-1)^+-Infinity is 1.
  powFull: fn(
    'powFull',
    'a, b',
    `if (b === 0 || a === 1 || (a === -1 && Math.abs(b) === Infinity)) {
return 1;
}
return Math.pow(a, b);`,
  ),
  atan2F: fn('atan2F', 'y, x', 'return Math.atan2(y, x);'),
  // The float64 quotient of float32 operands rounds to the correctly rounded float32 quotient.
  divF: fn('divF', 'a, b', 'return a / b;'),
};

/** The name of a math function that kernels may call in either mode. */
export type MathHelper = keyof typeof CPU_MATH;
