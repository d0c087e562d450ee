// Bad input for the transformations, random, lax, jax.nn and the remaining top-level functions
// (transforms-table.ts), with coverage tests over each namespace.
import * as eqx from '../../src/index.js';
import { expectBadInput, functionsOf, loose, values } from './expect-bad-input.js';
import { ACTIVATION_LIMITS, TRANSFORM_TABLE } from './transforms-table.js';

const { debug, jax, jnp } = eqx;

/** Exports with no bad input of their own, and why. */
const EXCLUDED: Record<string, string> = {
  stopGradient: 'defined for any tree',
  threefryPartitionable: 'a flag read and set: any boolean',
  isArray: 'a predicate: defined for every value',
  isArrayLike: 'a predicate: defined for every value',
  isInexactArray: 'a predicate: defined for every value',
  isModule: 'a predicate: defined for every value',
  field: 'a decorator; any options are accepted',
  treePformat: 'prints any value',
  getBackend: 'takes no arguments',
  availableBackends: 'options only; unknown options are ignored',
  Module: 'the base class: no arguments',
  Tensor: 'not constructed by users (Tensor._fromArray is internal)',
  TensorError: 'the error class itself',
  NaNError: 'the error class itself',
  getNumTraces: 'a lookup defined for every object (undefined for one never wrapped)',
  trackTensors: 'takes no arguments',
};

/** Names covered by the other files of this suite. */
const ELSEWHERE = [
  'applyUpdates',
  'combine',
  'filter',
  'partition',
  'treeAt',
  'treeEqual',
  'devicePut',
  'devicePutAsync',
  'setBackend',
  'saveSafetensors',
  'loadSafetensors',
  'treeSerialiseLeaves',
  'treeDeserialiseLeaves',
];

test('every function of jax, random, lax, jax.nn and the top level has cases or an exclusion', () => {
  const covered = (name: string) =>
    name in TRANSFORM_TABLE ||
    name in EXCLUDED ||
    name in ACTIVATION_LIMITS ||
    ELSEWHERE.includes(name);
  const names = [
    ...functionsOf(eqx),
    ...functionsOf(jax),
    ...functionsOf(jax.random),
    ...functionsOf(jax.lax),
    ...functionsOf(jax.nn),
    ...functionsOf(debug),
  ];
  expect(names.filter((name) => !covered(name))).toEqual([]);
});

describe.each(Object.keys(TRANSFORM_TABLE))('%s', (name) => {
  test.each(TRANSFORM_TABLE[name]!.map((c) => [c.what, c] as const))('%s', async (_, badCase) => {
    if ('check' in badCase) badCase.check(badCase.run() as never);
    else await expectBadInput(badCase.run, badCase);
  });
});

describe.each(Object.keys(ACTIVATION_LIMITS))('jax.nn.%s', (name) => {
  const f = (jax.nn as unknown as Record<string, (x: eqx.Tensor) => eqx.Tensor>)[name]!;
  test('NaN gives NaN; +inf and -inf give the limits', () => {
    const [high, low] = ACTIVATION_LIMITS[name]!;
    const out = values(f(jnp.array([NaN, Infinity, -Infinity])));
    expect(out[0]).toBeNaN();
    for (const [found, want] of [
      [out[1]!, high],
      [out[2]!, low],
    ] as const) {
      if (Number.isFinite(want)) expect(found).toBeCloseTo(want, 5);
      else expect(found).toBe(want);
    }
  });
  test('an empty tensor gives an empty tensor', () => {
    expect(f(jnp.zeros([0, 2])).shape).toEqual([0, 2]);
  });
  test('a non-tensor is refused with the name of the function', async () => {
    await expectBadInput(() => f(loose({ a: 1 })), { op: name, mentions: ['found an object'] });
  });
});
