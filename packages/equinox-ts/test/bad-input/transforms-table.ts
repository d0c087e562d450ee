/**
 * The bad-input tables for the transformations (grad, vjp, vmap, jit and the filtered ones), `random`,
 * `lax`, `jax.nn` and the remaining top-level functions.
 */
import * as eqx from '../../src/index.js';
import type { BadCase } from './jnp-table.js';
import { loose, values } from './expect-bad-input.js';

const { jax, jnp, random } = eqx;
const x = (...shape: number[]) => jnp.ones(shape);
const key = () => random.key(0);
const sum = (t: eqx.Tensor) => jnp.sum(t);

/** A jax.nn function given an object that is not array-like: the message names the function. */
const nnNotATensor = (op: string, run: (bad: never) => unknown): BadCase => ({
  what: 'a non-tensor argument',
  run: () => run(loose({ a: 1 })),
  op,
  mentions: ['found an object'],
});

/** A transformation given a number where its function goes: it fails at once, not when called. */
const notAFunction = (op: string, run: (f: never) => unknown): BadCase => ({
  what: 'a number instead of a function, before any call',
  run: () => run(loose(3)),
  op,
  mentions: ['argument f', 'expected a function', 'found the number 3'],
});

export const TRANSFORM_TABLE: Record<string, BadCase[]> = {
  grad: [
    notAFunction('grad', (f) => jax.grad(f)),
    {
      what: 'argnums that are not integers, before any call',
      run: () => jax.grad(sum, { argnums: loose([0, 1.5]) }),
      op: 'grad',
      mentions: ['argnums', 'non-negative integer', '[0, 1.5]'],
    },
    {
      what: 'a string hasAux',
      run: () => jax.grad(sum, { hasAux: loose('yes') }),
      op: 'grad',
      mentions: ['hasAux', 'boolean', '"yes"'],
    },
    {
      what: 'a non-scalar output',
      run: () => jax.grad((t: eqx.Tensor) => t)(x(2)),
      op: 'grad',
      mentions: ['scalar', 'float32[2]'],
    },
    {
      what: 'an int32 argument',
      run: () => jax.grad(sum)(jnp.ones([2], { dtype: 'int32' })),
      op: 'grad',
      mentions: ['argument 0', 'int32[2]'],
    },
    {
      what: 'argnums out of range',
      run: () => jax.grad(sum, { argnums: 3 })(x(2)),
      op: 'grad',
      mentions: ['argnums 3', 'below 1'],
    },
    {
      what: 'a string output',
      run: () => jax.grad((_t: eqx.Tensor) => loose('s'))(x(2)),
      op: 'grad',
      mentions: ['scalar', '"s"'],
    },
    {
      what: 'NaN in, NaN gradient out',
      run: () => jax.grad((t: eqx.Tensor) => jnp.sum(jnp.square(t)))(jnp.array([NaN, 1])),
      check: (g: never) => expect(values(g)).toEqual([NaN, 2]),
    },
  ],
  valueAndGrad: [
    notAFunction('valueAndGrad', (f) => jax.valueAndGrad(f)),
    {
      what: 'a negative argnums, before any call',
      run: () => jax.valueAndGrad(sum, { argnums: -1 }),
      op: 'valueAndGrad',
      mentions: ['argnums', 'found the number -1'],
    },
    {
      what: 'a non-scalar output',
      run: () => jax.valueAndGrad((t: eqx.Tensor) => t)(x(2)),
      op: 'valueAndGrad',
      mentions: ['scalar', 'float32[2]'],
    },
  ],
  vjp: [notAFunction('vjp', (f) => jax.vjp(f, x(2)))],
  filterVjp: [notAFunction('filterVjp', (f) => eqx.filterVjp(f, x(2)))],
  customVjp: [
    notAFunction('customVjp', (f) => jax.customVjp(f)),
    {
      what: 'a bwd rule that is not a function',
      run: () => jax.customVjp(sum).defvjp((t: eqx.Tensor) => [sum(t), t], loose(null)),
      op: 'customVjp',
      mentions: ['argument bwd', 'expected a function', 'null'],
    },
  ],
  vmap: [
    notAFunction('vmap', (f) => jax.vmap(f)),
    {
      what: 'mapped axes of different lengths',
      run: () => jax.vmap((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4, 3)),
      op: 'vmap',
      mentions: ['argument 0', '2', 'argument 1', '4'],
    },
    {
      what: 'an axis out of range',
      run: () => jax.vmap((a: eqx.Tensor) => a, { inAxes: 5 })(x(2)),
      op: 'vmap',
      mentions: ['axis 5', 'float32[2]'],
    },
    {
      what: 'a 0-d argument',
      run: () => jax.vmap((a: eqx.Tensor) => a)(x()),
      op: 'vmap',
      mentions: ['float32[]', 'rank 0'],
    },
    {
      what: 'an empty batch',
      run: () => jax.vmap((a: eqx.Tensor) => a.mul(2))(jnp.zeros([0, 3])),
      check: (t: never) => expect((t as eqx.Tensor).shape).toEqual([0, 3]),
    },
  ],
  // Options of the wrong kind, refused before any call.
  vmapOptions: [
    {
      what: 'a string inAxes',
      run: () => jax.vmap(sum, { inAxes: loose('rows') }),
      op: 'vmap',
      mentions: ['inAxes', 'an axis', 'found the string "rows"'],
    },
    {
      what: 'a fractional axis in inAxes',
      run: () => jax.vmap(sum, { inAxes: [0.5] }),
      op: 'vmap',
      mentions: ['inAxes', 'integer axes or null', 'the number 0.5', '[0]'],
    },
    {
      what: 'a string outAxes',
      run: () => jax.vmap(sum, { outAxes: 'last' }),
      op: 'vmap',
      mentions: ['outAxes', 'integer axes or null', 'the string "last"'],
    },
    {
      what: 'a negative axisSize',
      run: () => jax.vmap(sum, { axisSize: -1 }),
      op: 'vmap',
      mentions: ['axisSize', 'non-negative integer', 'the number -1'],
    },
    {
      what: 'an empty axisName',
      run: () => jax.vmap(sum, { axisName: '' }),
      op: 'vmap',
      mentions: ['axisName', 'non-empty string', 'the string ""'],
    },
  ],
  // Trees that do not match: inAxes of another structure, an out axis beyond the output's rank.
  vmapTrees: [
    {
      what: 'inAxes longer than the arguments',
      run: () => jax.vmap((a: eqx.Tensor) => a, { inAxes: loose([0, 0]) })(x(2)),
      op: 'vmap',
      mentions: ['inAxes', 'array of length 2', 'array of length 1'],
    },
    {
      what: 'inAxes with other keys',
      run: () =>
        jax.vmap((a: { x: eqx.Tensor }) => a.x, { inAxes: loose([{ y: 0 }]) })({ x: x(2) }),
      op: 'vmap',
      mentions: ['inAxes', 'at [0]', '{y}', '{x}'],
    },
    {
      what: 'an out axis beyond the rank',
      run: () => jax.vmap((a: eqx.Tensor) => a, loose({ outAxes: 3 }))(x(2)),
      op: 'vmap',
      mentions: ['axis 3', 'output 0'],
    },
  ],
  filterGrad: [
    notAFunction('filterGrad', (f) => eqx.filterGrad(f)),
    {
      what: 'a non-scalar output',
      run: () => eqx.filterGrad((t: eqx.Tensor) => t)(x(2)),
      op: 'filterGrad',
      mentions: ['scalar', 'float32[2]'],
    },
  ],
  filterValueAndGrad: [
    notAFunction('filterValueAndGrad', (f) => eqx.filterValueAndGrad(f)),
    {
      what: 'a numeric hasAux',
      run: () => eqx.filterValueAndGrad(sum, { hasAux: loose(1) }),
      op: 'filterValueAndGrad',
      mentions: ['hasAux', 'boolean', 'the number 1'],
    },
    {
      what: 'a non-scalar output',
      run: () => eqx.filterValueAndGrad((t: eqx.Tensor) => t)(x(2)),
      op: 'filterValueAndGrad',
      mentions: ['scalar', 'float32[2]'],
    },
  ],
  filterVmap: [
    notAFunction('filterVmap', (f) => eqx.filterVmap(f)),
    {
      what: 'a string inAxes',
      run: () => eqx.filterVmap(sum, { inAxes: loose('rows') }),
      op: 'filterVmap',
      mentions: ['inAxes', 'found the string "rows"'],
    },
    {
      what: 'mapped axes of different lengths',
      run: () => eqx.filterVmap((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4, 3)),
      op: 'filterVmap',
      mentions: ['2', '4'],
    },
  ],
  jit: [
    notAFunction('jit', (f) => jax.jit(f)),
    {
      what: 'a negative donateArgnums, before any call',
      run: () => jax.jit(sum, { donateArgnums: -1 }),
      op: 'jit',
      mentions: ['donateArgnums', 'non-negative integer', 'the number -1'],
    },
    {
      what: 'a donateArgnums beyond the arguments',
      run: () => jax.jit(sum, { donateArgnums: 2 })(x(2)),
      op: 'jit',
      mentions: ['donateArgnums 2', 'below 1'],
    },
    {
      what: 'shapes that do not broadcast, inside',
      run: () => jax.jit((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4)),
      op: 'add',
      mentions: ['[2, 3]', '[4]'],
    },
  ],
  filterJit: [
    notAFunction('filterJit', (f) => eqx.filterJit(f)),
    {
      what: 'donateArgnums of the wrong kind',
      run: () => eqx.filterJit(sum, { donateArgnums: loose('0') }),
      op: 'filterJit',
      mentions: ['donateArgnums', 'the string "0"'],
    },
    {
      what: 'shapes that do not broadcast, inside',
      run: () => eqx.filterJit((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4)),
      op: 'add',
      mentions: ['[2, 3]', '[4]'],
    },
  ],
  // debug: the wrappers check what they wrap at once, like the transformations.
  checkNaN: [
    notAFunction('checkNaN', (f) => eqx.debug.checkNaN(f)),
    {
      what: 'a string checkInf',
      run: () => eqx.debug.checkNaN(sum, { checkInf: loose('yes') }),
      op: 'checkNaN',
      mentions: ['checkInf', 'boolean', 'the string "yes"'],
    },
  ],
  assertMaxTraces: [
    notAFunction('assertMaxTraces', (f) => eqx.debug.assertMaxTraces(f, 1)),
    {
      what: 'a negative maxTraces',
      run: () => eqx.debug.assertMaxTraces(sum, -1),
      op: 'assertMaxTraces',
      mentions: ['maxTraces', 'non-negative integer', 'the number -1'],
    },
  ],
  memory: [
    {
      what: 'a string for the backend',
      run: () => eqx.debug.memory(loose('cpu')),
      op: 'memory',
      mentions: ['backend', 'expected a backend', 'the string "cpu"'],
    },
  ],
  countMemory: [
    {
      what: 'a number for on',
      run: () => eqx.debug.countMemory(loose(1)),
      op: 'countMemory',
      mentions: ['on', 'expected a boolean', 'the number 1'],
    },
  ],
  // Random: a key that is not one, and shapes that are not shapes.
  ...Object.fromEntries(
    ['normal', 'uniform', 'bits', 'truncatedNormal', 'gumbel', 'bernoulli'].map((name) => {
      const sampler = (random as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      const cases: BadCase[] = [
        { what: 'a string key', run: () => sampler('k', [2]), op: name, mentions: ['key', '"k"'] },
      ];
      // The samplers whose second argument is the shape.
      if (['normal', 'uniform', 'bits', 'gumbel'].includes(name))
        cases.push({
          what: 'a string shape',
          run: () => sampler(key(), 'x'),
          op: name,
          mentions: ['shape', '"x"'],
        });
      return [name, cases];
    }),
  ),
  key: [
    { what: 'a fractional seed', run: () => random.key(1.5), op: 'key', mentions: ['seed', '1.5'] },
  ],
  PRNGKey: [
    {
      what: 'a string seed',
      run: () => random.PRNGKey(loose('0')),
      op: 'PRNGKey',
      mentions: ['seed', 'the string "0"'],
    },
  ],
  keyData: [
    { what: 'a non-key', run: () => random.keyData(loose(x(2))), op: 'keyData', mentions: ['key'] },
  ],
  split: [
    {
      what: 'a negative count',
      run: () => random.split(key(), -1),
      op: 'split',
      mentions: ['num', '-1'],
    },
  ],
  foldIn: [
    {
      what: 'a string data',
      run: () => random.foldIn(key(), loose('d')),
      op: 'foldIn',
      mentions: ['data', 'd'],
    },
  ],
  randint: [
    {
      what: 'a string key',
      run: () => random.randint(loose('k'), [2], 0, 3),
      op: 'randint',
      mentions: ['key', '"k"'],
    },
  ],
  categorical: [
    {
      what: 'a string key',
      run: () => random.categorical(loose('k'), x(3)),
      op: 'categorical',
      mentions: ['key', '"k"'],
    },
  ],
  permutation: [
    {
      what: 'a string key',
      run: () => random.permutation(loose('k'), 3),
      op: 'permutation',
      mentions: ['key', '"k"'],
    },
  ],
  choice: [
    {
      what: 'a string key',
      run: () => random.choice(loose('k'), 3),
      op: 'choice',
      mentions: ['key', '"k"'],
    },
  ],
  threefry2x32: [
    {
      what: 'a float key',
      run: () => random.threefry2x32(key(), x(2), jnp.ones([2], { dtype: 'int32' })),
      op: 'threefry2x32',
      mentions: ['float32'],
    },
  ],
  // lax.
  conv: [
    {
      what: 'an input of rank 1',
      run: () => jax.lax.conv(x(3), x(3), [1], 'VALID'),
      op: 'conv',
      mentions: ['lhs', 'float32[3]'],
    },
  ],
  convGeneralDilated: [
    {
      what: 'an input of rank 1',
      run: () => jax.lax.convGeneralDilated(x(3), x(1, 1, 1), [1], 'VALID'),
      op: 'convGeneralDilated',
      mentions: ['lhs', 'float32[3]'],
    },
  ],
  convWithGeneralPadding: [
    {
      what: 'an input of rank 1',
      run: () => jax.lax.convWithGeneralPadding(x(3), x(1, 1, 1), [1], [[0, 0]]),
      op: 'convWithGeneralPadding',
      mentions: ['lhs', 'float32[3]'],
    },
  ],
  reduceWindow: [
    {
      what: 'window dimensions of another rank',
      run: () => jax.lax.reduceWindow(x(4), 'max', [2, 2], [1]),
      op: 'reduceWindow',
      mentions: ['[2, 2]'],
    },
  ],
  maxPool: [
    {
      what: 'window dimensions of another rank',
      run: () => jax.lax.maxPool(x(4), [2, 2], loose([1])),
      op: 'maxPool',
      mentions: ['window'],
    },
  ],
  avgPool: [
    {
      what: 'window dimensions of another rank',
      run: () => jax.lax.avgPool(x(4), [2, 2], loose([1])),
      op: 'avgPool',
      mentions: ['window'],
    },
  ],
  psum: [
    {
      what: 'outside vmap',
      run: () => jax.lax.psum(x(2), 'batch'),
      op: 'psum',
      mentions: ['batch'],
    },
  ],
  pmean: [
    {
      what: 'outside vmap',
      run: () => jax.lax.pmean(x(2), 'batch'),
      op: 'pmean',
      mentions: ['batch'],
    },
  ],
  // jax.nn: shape errors and non-tensors name the function; NaN and infinities give JAX's results.
  softmax: [
    nnNotATensor('softmax', (bad) => jax.nn.softmax(bad)),
    {
      what: 'an axis out of range',
      run: () => jax.nn.softmax(x(2, 3), { axis: 5 }),
      op: 'softmax',
      mentions: ['axis', '5'],
    },
    {
      what: 'a -inf logit gets probability 0',
      run: () => jax.nn.softmax(jnp.array([-Infinity, 0])),
      check: valuesOf([0, 1]),
    },
  ],
  logSoftmax: [
    nnNotATensor('logSoftmax', (bad) => jax.nn.logSoftmax(bad)),
    {
      what: 'an axis out of range',
      run: () => jax.nn.logSoftmax(x(2, 3), { axis: 5 }),
      op: 'logSoftmax',
      mentions: ['axis', '5'],
    },
  ],
  logsumexp: [
    nnNotATensor('logsumexp', (bad) => jax.nn.logsumexp(bad)),
    {
      what: 'an axis out of range',
      run: () => jax.nn.logsumexp(x(2, 3), { axis: 5 }),
      op: 'logsumexp',
      mentions: ['axis', '5'],
    },
    {
      what: 'all -inf gives -inf',
      run: () => jax.nn.logsumexp(jnp.array([-Infinity, -Infinity])),
      check: valuesOf([-Infinity]),
    },
  ],
  standardize: [
    nnNotATensor('standardize', (bad) => jax.nn.standardize(bad)),
    {
      what: 'an axis out of range',
      run: () => jax.nn.standardize(x(2, 3), { axis: 5 }),
      op: 'standardize',
      mentions: ['axis', '5'],
    },
  ],
  oneHot: [
    nnNotATensor('oneHot', (bad) => jax.nn.oneHot(bad, 3)),
    {
      what: 'a negative class count',
      run: () => jax.nn.oneHot(jnp.array([0], { dtype: 'int32' }), -1),
      op: 'oneHot',
      mentions: ['numClasses', '-1'],
    },
  ],
};

/** jax.nn's elementwise activations: NaN in gives NaN out; infinities give the limits, from Math. */
export const ACTIVATION_LIMITS: Record<string, [number, number]> = {
  relu: [Infinity, 0],
  relu6: [6, 0],
  sigmoid: [1, 0],
  tanh: [1, -1],
  softplus: [Infinity, 0],
  // x * sigmoid(x) and the like multiply -inf by 0: NaN, as in JAX.
  silu: [Infinity, NaN],
  swish: [Infinity, NaN],
  gelu: [Infinity, NaN],
  elu: [Infinity, -1],
  celu: [Infinity, -1],
  selu: [Infinity, -1.0507009873554805 * 1.6732632423543772],
  leakyRelu: [Infinity, -Infinity],
  hardTanh: [1, -1],
  hardSigmoid: [1, 0],
  hardSilu: [Infinity, NaN],
  hardSwish: [Infinity, NaN],
  logSigmoid: [0, -Infinity],
  softSign: [NaN, NaN], // x / (1 + |x|) is inf / inf: NaN, as in JAX
};

function valuesOf(expected: number[]) {
  return (t: never) => {
    const found = values(t);
    expected.forEach((v, i) =>
      Number.isFinite(v) ? expect(found[i]).toBeCloseTo(v, 5) : expect(found[i]).toBe(v),
    );
  };
}
