/**
 * Every primitive is accounted for: one with a VJP rule names the test file that checks the rule
 * against finite differences, one without says why it has no derivative. A new primitive fails
 * here until it is added to one of the two lists (and, with a VJP, tested).
 */
import '../../src/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { primitives } from '../../src/core/primitive.js';

const ELEMENTWISE = 'vjp/elementwise.test.ts';
const REDUCE = 'vjp/reduce.test.ts';
const LAYOUT = 'vjp/layout.test.ts';
const CONV = 'lax/conv-grad.test.ts';
const POOL = 'lax/reduce-window.test.ts';

/** Each primitive with a VJP rule, and the test file (under test/) that checks it. */
const COVERED: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'neg',
      'abs',
      'square',
      'exp',
      'expm1',
      'log',
      'log1p',
      'sqrt',
      'rsqrt',
      'reciprocal',
      'sin',
      'cos',
      'tan',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'tanh',
      'asinh',
      'acosh',
      'atanh',
      'sigmoid',
      'erf',
      'add',
      'sub',
      'mul',
      'div',
      'rem',
      'pow',
      'atan2',
      'max',
      'min',
      'where',
      'cast',
    ].map((name) => [name, ELEMENTWISE]),
  ),
  ...Object.fromEntries(
    ['reduce_sum', 'reduce_max', 'reduce_min', 'reduce_prod', 'cumsum'].map((name) => [
      name,
      REDUCE,
    ]),
  ),
  ...Object.fromEntries(
    [
      'reshape',
      'transpose',
      'broadcastTo',
      'slice',
      'concatenate',
      'pad',
      'gather',
      'scatterAdd',
      'matmul',
    ].map((name) => [name, LAYOUT]),
  ),
  conv: CONV,
  convBackwardInput: CONV,
  convBackwardFilter: CONV,
  pool: POOL,
  poolBackward: POOL,
};

/** Each primitive without a VJP rule, and why its derivative is zero or undefined. */
const NOT_DIFFERENTIABLE: Readonly<Record<string, string>> = {
  sign: 'piecewise constant',
  floor: 'piecewise constant',
  ceil: 'piecewise constant',
  round: 'piecewise constant',
  isNaN: 'bool output',
  logicalNot: 'bool input and output',
  bitwiseNot: 'int32 only',
  eq: 'comparison',
  ne: 'comparison',
  lt: 'comparison',
  le: 'comparison',
  gt: 'comparison',
  ge: 'comparison',
  logicalAnd: 'bool only',
  logicalOr: 'bool only',
  logicalXor: 'bool only',
  bitwiseAnd: 'int32 only',
  bitwiseOr: 'int32 only',
  bitwiseXor: 'int32 only',
  shiftLeft: 'int32 only',
  shiftRightArithmetic: 'int32 only',
  shiftRightLogical: 'int32 only',
  argmax: 'int32 output',
  argsort: 'int32 output',
  argmin: 'int32 output',
  bitcast: 'reinterprets bits',
  stopGradient: 'zero derivative by definition',
};

const all = [...primitives().values()];

test('every primitive with a VJP rule is covered by a gradient test', () => {
  const missing = all.filter((p) => p.vjp && !(p.name in COVERED)).map((p) => p.name);
  expect(missing).toEqual([]);
});

test('every primitive without a VJP rule is listed as not differentiable', () => {
  const missing = all.filter((p) => !p.vjp && !(p.name in NOT_DIFFERENTIABLE)).map((p) => p.name);
  expect(missing).toEqual([]);
});

test('the lists name only defined primitives, each in the right list', () => {
  const byName = primitives();
  expect(Object.keys(COVERED).filter((name) => !byName.get(name)?.vjp)).toEqual([]);
  expect(
    Object.keys(NOT_DIFFERENTIABLE).filter((name) => !byName.has(name) || byName.get(name)!.vjp),
  ).toEqual([]);
});

test('each covering test file exists and mentions the primitive it covers', () => {
  const unmentioned = Object.entries(COVERED).filter(([name, file]) => {
    const path = join(__dirname, '..', file);
    return !existsSync(path) || !new RegExp(`\\b${name}\\b`).test(readFileSync(path, 'utf8'));
  });
  expect(unmentioned).toEqual([]);
});
