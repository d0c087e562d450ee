// Every nn layer has bad-input cases (nn-table.ts); the coverage test fails when a new export has none.
import { nn } from '../../src/index.js';
import { expectBadInput, functionsOf } from './expect-bad-input.js';
import { NN_TABLE } from './nn-table.js';

/**
 * nn exports with no bad input of their own, and why. Serialisation functions are covered in
 * serialise.test.ts; the rest take no arguments that could be wrong, or only ones typed as anything.
 */
const NN_EXCLUDED: Record<string, string> = {
  Identity: 'takes anything and returns it',
  Module: 'the base class: no arguments',
  StatefulLayer: 'an abstract base class',
  State: 'made by makeWithState; covered through BatchNorm and SpectralNorm',
  StateIndex: 'made by the stateful layers, from their own arguments',
  field: 'a decorator marking a field; any options are accepted',
  isModule: 'a predicate: defined for every value',
  treePformat: 'prints any value',
  inferenceMode: 'maps over any tree',
  makeWithState: 'calls the given constructor: its errors are that layer’s',
  serialiseLeaves: 'serialise.test.ts',
  deserialiseLeaves: 'serialise.test.ts',
  treeSerialiseLeaves: 'serialise.test.ts',
  treeDeserialiseLeaves: 'serialise.test.ts',
  encodeSafetensors: 'serialise.test.ts',
  decodeSafetensors: 'serialise.test.ts',
  decodeSafetensorsHeader: 'serialise.test.ts',
  saveSafetensors: 'serialise.test.ts',
  loadSafetensors: 'serialise.test.ts',
  loadSafetensorsHeader: 'serialise.test.ts',
};

test('every nn export has bad-input cases or a stated exclusion', () => {
  const missing = functionsOf(nn).filter((name) => !(name in NN_TABLE) && !(name in NN_EXCLUDED));
  expect(missing).toEqual([]);
});

describe.each(Object.keys(NN_TABLE))('nn.%s', (name) => {
  test.each(NN_TABLE[name]!.map((c) => [c.what, c] as const))('%s', async (_, badCase) => {
    if ('check' in badCase) badCase.check(badCase.run() as never);
    else await expectBadInput(badCase.run, badCase);
  });
});
