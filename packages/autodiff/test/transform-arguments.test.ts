/**
 * Transformations and wrappers check what they are given when they are applied, not at the first
 * call; and functions built on others (valueAndGrad on grad, jax.nn on asarray, conv on
 * convGeneralDilated) report errors under their own names.
 */
import type { Tensor } from '../src/index.js';
import {
  applyUpdates,
  customVjp,
  debug,
  filterGrad,
  filterJit,
  filterValueAndGrad,
  filterVjp,
  filterVmap,
  grad,
  jit,
  lax,
  nn,
  numpy,
  valueAndGrad,
  vjp,
  vmap,
} from '../src/index.js';
import { tensorErrorMessage } from './helpers/errors.js';

const sum = (t: Tensor) => numpy.sum(t);
const bad = <T>(value: unknown): T => value as T;

describe('a non-function is refused at once, naming the transformation', () => {
  const cases: [string, (f: never) => unknown][] = [
    ['grad', (f) => grad(f)],
    ['valueAndGrad', (f) => valueAndGrad(f)],
    ['vjp', (f) => vjp(f, numpy.ones([2]))],
    ['filterGrad', (f) => filterGrad(f)],
    ['filterValueAndGrad', (f) => filterValueAndGrad(f)],
    ['filterVjp', (f) => filterVjp(f, numpy.ones([2]))],
    ['vmap', (f) => vmap(f)],
    ['filterVmap', (f) => filterVmap(f)],
    ['jit', (f) => jit(f)],
    ['filterJit', (f) => filterJit(f)],
    ['customVjp', (f) => customVjp(f)],
    ['checkNaN', (f) => debug.checkNaN(f)],
    ['assertMaxTraces', (f) => debug.assertMaxTraces(f, 1)],
  ];
  test.each(cases)('%s', (op, apply) => {
    expect(tensorErrorMessage(() => apply(bad({ f: 1 })))).toBe(
      `${op}: argument f: expected a function, found an object`,
    );
  });

  test("customVjp's rules", () => {
    const f = customVjp(sum);
    expect(tensorErrorMessage(() => f.defvjp(bad(1), () => [null]))).toBe(
      'customVjp: argument fwd: expected a function, found the number 1',
    );
  });
});

describe('options of the wrong kind are refused at once', () => {
  test.each([
    [
      () => vmap(sum, { inAxes: bad('rows') }),
      /^vmap: option inAxes: expected an axis .* found the string "rows"$/,
    ],
    [
      () => vmap(sum, { inAxes: [bad('a')] }),
      /^vmap: option inAxes: .* found the string "a" at \[0\]$/,
    ],
    [
      () => filterVmap(sum, { outAxes: { y: 1.5 } }),
      /^filterVmap: option outAxes: .* found the number 1.5 at \.y$/,
    ],
    [
      () => vmap(sum, { axisSize: 2.5 }),
      /^vmap: option axisSize: expected a non-negative integer, found the number 2.5$/,
    ],
    [
      () => jit(sum, { donateArgnums: [0, -2] }),
      /^jit: option donateArgnums: .* found an array \[0, -2\]$/,
    ],
    [
      () => debug.checkNaN(sum, { checkInputs: bad(0) }),
      /^checkNaN: option checkInputs: expected a boolean, found the number 0$/,
    ],
    [
      () => debug.assertMaxTraces(sum, 1.5),
      /^assertMaxTraces: argument maxTraces: .* found the number 1.5$/,
    ],
    [
      () => filterGrad(sum, bad([])),
      /^filterGrad: argument options: expected an object of options, found an array \[\]$/,
    ],
  ] as const)('%#', (run, message) => {
    expect(tensorErrorMessage(run)).toMatch(message);
  });

  test('valid options are still accepted', () => {
    const f = vmap((a: Tensor, b: Tensor) => a.add(b), { inAxes: [0, null], outAxes: -1 });
    expect(f(numpy.array([[1], [2]]), numpy.array([10])).tolist()).toEqual([[11, 12]]);
    expect(jit(sum, { donateArgnums: [] })(numpy.array([1, 2])).item()).toBe(3);
  });

  test('donateArgnums beyond the arguments, at the call', () => {
    expect(tensorErrorMessage(() => jit(sum, { donateArgnums: 1 })(numpy.ones([2])))).toBe(
      'jit: donateArgnums 1 is out of range: expected an index below 1, the number of arguments given',
    );
  });
});

describe('errors carry the name of the function called', () => {
  test('filterGrad and filterValueAndGrad', () => {
    const identity = (t: Tensor) => t;
    expect(tensorErrorMessage(() => filterGrad(identity)(numpy.ones([2])))).toMatch(
      /^filterGrad: the function must return a float32 scalar/,
    );
    expect(tensorErrorMessage(() => filterValueAndGrad(identity)(numpy.ones([2])))).toMatch(
      /^filterValueAndGrad: the function must return a float32 scalar/,
    );
  });

  test.each([
    'relu',
    'relu6',
    'leakyRelu',
    'hardTanh',
    'hardSigmoid',
    'hardSilu',
    'hardSwish',
    'elu',
    'celu',
    'selu',
    'sigmoid',
    'softplus',
    'logSigmoid',
    'softSign',
    'silu',
    'swish',
    'gelu',
    'softmax',
    'logSoftmax',
    'logsumexp',
    'standardize',
  ])('nn.%s given a non-tensor', (name) => {
    const f = (nn as unknown as Record<string, (x: unknown) => Tensor>)[name]!;
    expect(tensorErrorMessage(() => f({ a: 1 }))).toMatch(
      new RegExp(`^${name}: .*found an object`),
    );
  });

  test('nn.standardize with an axis out of range', () => {
    expect(tensorErrorMessage(() => nn.standardize(numpy.ones([2, 3]), { axis: 5 }))).toMatch(
      /^standardize: axis 5 /,
    );
  });

  test('lax.conv and lax.convWithGeneralPadding', () => {
    const x = numpy.ones([3]);
    expect(tensorErrorMessage(() => lax.conv(x, numpy.ones([3]), [1], 'VALID'))).toMatch(/^conv: /);
    expect(
      tensorErrorMessage(() => lax.convWithGeneralPadding(x, numpy.ones([1, 1, 1]), [1], [[0, 0]])),
    ).toMatch(/^convWithGeneralPadding: /);
  });

  test('numpy.inner, numpy.broadcastArrays and numpy.identity', () => {
    expect(tensorErrorMessage(() => numpy.inner(numpy.ones([2, 3]), numpy.ones([4])))).toBe(
      'inner: the last dimensions must be equal, found float32[2, 3] and float32[4] (3 != 4)',
    );
    expect(
      tensorErrorMessage(() => numpy.broadcastArrays(numpy.ones([2, 3]), numpy.ones([4]))),
    ).toBe("broadcastArrays: the arguments' shapes must broadcast, found [2, 3], [4]");
    expect(tensorErrorMessage(() => numpy.identity(1.5))).toMatch(/^identity: .*1\.5/);
  });

  test('applyUpdates names the leaf whose shape differs', () => {
    expect(
      tensorErrorMessage(() => applyUpdates({ w: numpy.ones([2]) }, { w: numpy.ones([1]) })),
    ).toBe(
      "applyUpdates: updates.w: expected a tensor of shape [2] like the model's leaf (float32[2]), found a tensor of float32[1]",
    );
  });
});
