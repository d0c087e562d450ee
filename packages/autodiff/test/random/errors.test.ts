// Bad arguments get a TensorError that names the function, the argument, and what was expected.
import { TensorError, numpy, random } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

function expectError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(TensorError);
  expect((caught as Error).message).toMatch(message);
}

describe.each(BACKENDS)('on $name', (entry) => {
  useBackend(entry);
  const k = () => random.key(0);

  test('keys must be one int32 [2] tensor; a batch of keys points to vmap', () => {
    expectError(
      () => random.uniform(numpy.zeros([2])),
      /^uniform: `key` must be one key, an int32 tensor of shape \[2\].*found float32\[2\]$/,
    );
    expectError(
      () => random.normal(numpy.zeros([3], { dtype: 'int32' })),
      /^normal: `key` .* found int32\[3\]$/,
    );
    expectError(
      () => random.split(random.split(k(), 3)),
      /^split: `key` .*found int32\[3, 2\]; for a batch of keys, map over them \(vmap\)$/,
    );
    expectError(
      () => random.bits([0, 0] as unknown as Tensor),
      /^bits: `key` must be a key tensor from random.key, found an array \[0, 0\]$/,
    );
    expectError(
      () => random.keyData(numpy.zeros([3], { dtype: 'int32' })),
      /^keyData: `keys` must be an int32 tensor of shape \[\.\.\., 2\], found int32\[3\]$/,
    );
  });

  test('seeds and folded-in data must be integers', () => {
    expectError(() => random.key(1.5), /^key: `seed` must be a safe integer, found 1.5$/);
    expectError(() => random.key(2 ** 60), /^key: `seed` must be a safe integer/);
    expectError(
      () => random.key(numpy.array(1)),
      /^key: `seed` must be an integer or a 0-d int32 tensor, found float32\[\]$/,
    );
    expectError(() => random.key(numpy.array([1, 2], { dtype: 'int32' })), /found int32\[2\]$/);
    expectError(
      () => random.PRNGKey('0' as never),
      /^PRNGKey: `seed` must be a safe integer, found the string "0"$/,
    );
    expectError(
      () => random.foldIn(k(), 0.5),
      /^foldIn: `data` must be a safe integer, found 0.5$/,
    );
    expectError(
      () => random.foldIn(k(), numpy.array([1], { dtype: 'int32' })),
      /^foldIn: `data` .* found int32\[1\]$/,
    );
  });

  test('shapes must be lists of non-negative integers', () => {
    expectError(
      () => random.split(k(), -1),
      /^split: `num` must be a list of non-negative integers, found an array \[-1\]$/,
    );
    expectError(
      () => random.uniform(k(), [2, 1.5]),
      /^uniform: `shape` must be a list of non-negative integers, found an array \[2, 1.5\]$/,
    );
    expectError(() => random.bits(k(), 3 as unknown as number[]), /^bits: `shape` must be a list/);
  });

  test('parameters must broadcast to the requested shape', () => {
    expectError(
      () => random.uniform(k(), [2], { minval: numpy.zeros([3]) }),
      /^uniform: parameter shapes \[3\], \[\] must broadcast to the requested shape \[2\]$/,
    );
    expectError(
      () => random.bernoulli(k(), numpy.full([2, 2], 0.5), [2]),
      /^bernoulli: parameter shapes \[2, 2\] must broadcast to the requested shape \[2\]$/,
    );
    expectError(
      () => random.truncatedNormal(k(), numpy.zeros([2]), numpy.ones([3])),
      /^truncatedNormal: `lower` \[2\] and `upper` \[3\] do not broadcast$/,
    );
    expectError(
      () => random.randint(k(), [2], numpy.zeros([3], { dtype: 'int32' }), 5),
      /^randint: parameter shapes \[3\], \[\] must broadcast/,
    );
    expectError(
      () => random.categorical(k(), numpy.zeros([2, 3]), { shape: [3] }),
      /^categorical: parameter shapes \[2\] must broadcast to the requested shape \[3\]$/,
    );
  });

  test('dtypes: float samplers want float32, randint int32, bernoulli a float probability', () => {
    expectError(
      () => random.uniform(k(), [], { dtype: 'int32' }),
      /^uniform: `dtype` must be a float dtype \('float32'\), found 'int32'$/,
    );
    expectError(
      () => random.normal(k(), [], { dtype: 'bool' }),
      /^normal: `dtype` must be a float dtype/,
    );
    expectError(
      () => random.randint(k(), [], 0, 2, { dtype: 'float32' }),
      /^randint: `dtype` must be an integer dtype \('int32'\), found 'float32'$/,
    );
    expectError(
      () => random.bernoulli(k(), numpy.array([1], { dtype: 'int32' })),
      /^bernoulli: `p` must be a float probability, found int32\[1\]$/,
    );
    expectError(
      () => random.categorical(k(), numpy.zeros([3], { dtype: 'int32' })),
      /^categorical: `logits` must be float32, found int32\[3\]$/,
    );
  });

  test('randint needs maxval > minval for number bounds', () => {
    expectError(
      () => random.randint(k(), [3], 5, 5),
      /^randint: `maxval` \(5\) must be greater than `minval` \(5\)$/,
    );
    expectError(
      () => random.randint(k(), [3], 2, -1),
      /^randint: `maxval` \(-1\) must be greater than `minval` \(2\)$/,
    );
  });

  test('categorical: the axis must exist and logits need a dimension', () => {
    expectError(
      () => random.categorical(k(), numpy.zeros([2, 3]), { axis: 2 }),
      /^categorical: axis 2 is out of range for logits of rank 2$/,
    );
    expectError(
      () => random.categorical(k(), numpy.array(1)),
      /^categorical: `logits` must have at least one dimension/,
    );
  });

  test('permutation and choice: populations, axes and draw counts', () => {
    expectError(
      () => random.permutation(k(), -3),
      /^permutation: an integer population must be a non-negative integer, found -3$/,
    );
    expectError(
      () => random.permutation(k(), 2.5),
      /^permutation: an integer population must be a non-negative integer, found 2.5$/,
    );
    expectError(
      () => random.permutation(k(), numpy.array(3)),
      /^permutation: `x` must be an integer or have at least one dimension, found float32\[\]$/,
    );
    expectError(
      () => random.permutation(k(), numpy.zeros([2, 2]), { axis: 2 }),
      /^permutation: axis 2 is out of range for a tensor of rank 2/,
    );
    expectError(
      () => random.choice(k(), 3, { shape: [4], replace: false }),
      /^choice: cannot take 4 draws from a population of 3 without replacement$/,
    );
    expectError(
      () => random.choice(k(), 0, { shape: [1] }),
      /^choice: cannot draw from an empty population/,
    );
    expectError(
      () => random.choice(k(), 3, { p: numpy.ones([4]) }),
      /^choice: `p` must be a 1-D array of 3 probabilities, found float32\[4\]/,
    );
    expect(random.choice(k(), 0, { shape: [0] }).shape).toEqual([0]);
  });
});
