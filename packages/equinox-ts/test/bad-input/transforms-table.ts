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

export const TRANSFORM_TABLE: Record<string, BadCase[]> = {
  grad: [
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
      mentions: ['argnums', '3'],
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
  // valueAndGrad reports as grad, which it is built on.
  valueAndGrad: [
    {
      what: 'a non-scalar output',
      run: () => jax.valueAndGrad((t: eqx.Tensor) => t)(x(2)),
      op: 'grad',
      mentions: ['scalar', 'float32[2]'],
    },
  ],
  vmap: [
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
    {
      what: 'a non-scalar output',
      run: () => eqx.filterGrad((t: eqx.Tensor) => t)(x(2)),
      op: 'grad',
      mentions: ['scalar', 'float32[2]'],
    },
  ],
  filterValueAndGrad: [
    {
      what: 'a non-scalar output',
      run: () => eqx.filterValueAndGrad((t: eqx.Tensor) => t)(x(2)),
      op: 'grad',
      mentions: ['scalar', 'float32[2]'],
    },
  ],
  filterVmap: [
    {
      what: 'mapped axes of different lengths',
      run: () => eqx.filterVmap((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4, 3)),
      op: 'filterVmap',
      mentions: ['2', '4'],
    },
  ],
  jit: [
    {
      what: 'shapes that do not broadcast, inside',
      run: () => jax.jit((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4)),
      op: 'add',
      mentions: ['[2, 3]', '[4]'],
    },
  ],
  filterJit: [
    {
      what: 'shapes that do not broadcast, inside',
      run: () => eqx.filterJit((a: eqx.Tensor, b: eqx.Tensor) => a.add(b))(x(2, 3), x(4)),
      op: 'add',
      mentions: ['[2, 3]', '[4]'],
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
  // PRNGKey is an alias of key, and reports as key.
  PRNGKey: [
    {
      what: 'a string seed',
      run: () => random.PRNGKey(loose('0')),
      op: 'key',
      mentions: ['seed', '0'],
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
      op: 'convGeneralDilated',
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
      op: 'convGeneralDilated',
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
  // jax.nn: shape errors name the function; NaN and infinities give JAX's results.
  softmax: [
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
    {
      what: 'an axis out of range',
      run: () => jax.nn.logSoftmax(x(2, 3), { axis: 5 }),
      op: 'logSoftmax',
      mentions: ['axis', '5'],
    },
  ],
  logsumexp: [
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
  // Known gap: named after the mean it takes (jax.nn's source is outside this change).
  standardize: [
    {
      what: 'an axis out of range',
      run: () => jax.nn.standardize(x(2, 3), { axis: 5 }),
      op: 'mean',
      mentions: ['axis', '5'],
    },
  ],
  oneHot: [
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
