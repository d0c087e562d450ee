// Every optim export has bad-input cases (optim-table.ts); the coverage test fails when a new export
// has none.
import { optim } from '../../src/index.js';
import { expectBadInput, functionsOf } from './expect-bad-input.js';
import { OPTIM_TABLE } from './optim-table.js';

/** optim exports with no bad input, and why. */
const OPTIM_EXCLUDED: Record<string, string> = {
  identity: 'takes no arguments',
};

test('every optim export has bad-input cases or a stated exclusion', () => {
  const missing = functionsOf(optim).filter(
    (name) => !(name in OPTIM_TABLE) && !(name in OPTIM_EXCLUDED),
  );
  expect(missing).toEqual([]);
});

describe.each(Object.keys(OPTIM_TABLE))('optim.%s', (name) => {
  test.each(OPTIM_TABLE[name]!.map((c) => [c.what, c] as const))('%s', async (_, badCase) => {
    if ('check' in badCase) badCase.check(badCase.run() as never);
    else await expectBadInput(badCase.run, badCase);
  });
});
