// Bad input for the pytree functions, serialisation and backend selection (tree-io-table.ts). The
// coverage test walks `tree` and the serialisation exports of `nn`.
import { nn, tree } from '../../src/index.js';
import { expectBadInput, functionsOf } from './expect-bad-input.js';
import { IO_TABLE, TREE_TABLE } from './tree-io-table.js';

/** tree exports with no bad input, and why. */
const TREE_EXCLUDED: Record<string, string> = {
  // Key classes: plain records of whatever key they are given.
  DictKey: 'a record of any key',
  GetAttrKey: 'a record of any name',
  SequenceKey: 'a record of any index',
  FlattenedIndexKey: 'a record of any index',
  TreeDef: 'made by flatten/structure, not by users',
  TreeStructureError: 'the error class itself',
  // Defined for every value: anything that is not a registered node is a leaf.
  flatten: 'every value is a tree',
  flattenWithPath: 'every value is a tree',
  leaves: 'every value is a tree',
  leavesWithPath: 'every value is a tree',
  structure: 'every value is a tree',
  allLeaves: 'a predicate over any list',
  keystr: 'prints any path',
};

const SERIALISATION = Object.keys(IO_TABLE).filter((name) => name in nn);

test('every tree export and every serialisation function has bad-input cases or an exclusion', () => {
  const missingTree = functionsOf(tree).filter(
    (name) =>
      !(name in TREE_TABLE) &&
      !(name in TREE_EXCLUDED) &&
      !['combine', 'filter', 'partition', 'treeAt', 'treeEqual'].includes(name),
  );
  expect(missingTree).toEqual([]);
  const serialisers = functionsOf(nn).filter((name) => /erialise|afetensors/.test(name));
  expect(serialisers.filter((name) => !SERIALISATION.includes(name))).toEqual([]);
});

const TABLE = { ...TREE_TABLE, ...IO_TABLE };
describe.each(Object.keys(TABLE))('%s', (name) => {
  test.each(TABLE[name]!.map((c) => [c.what, c] as const))('%s', async (_, badCase) => {
    if ('check' in badCase) badCase.check(badCase.run() as never);
    else await expectBadInput(badCase.run, badCase);
  });
});
