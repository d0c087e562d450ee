// Every jnp function has bad-input cases: the elementwise ones in jnp-elementwise.test.ts, the rest in
// jnp-table.ts, run here. A new jnp function without cases fails the coverage test.
import { jnp } from '../../src/index.js';
import { expectBadInput, functionsOf } from './expect-bad-input.js';
import { JNP_TABLE } from './jnp-table.js';
import {
  BINARY_REFERENCES,
  COMPARISON_REFERENCES,
  INTEGER_BINARY,
  LOGICAL_BINARY,
  UNARY_REFERENCES,
} from './elementwise-references.js';

/** Elementwise functions whose cases live in jnp-elementwise.test.ts. */
const ELEMENTWISE = [
  ...Object.keys(UNARY_REFERENCES),
  ...Object.keys(BINARY_REFERENCES),
  ...Object.keys(COMPARISON_REFERENCES),
  ...INTEGER_BINARY,
  ...LOGICAL_BINARY,
  ...['floorDivide', 'invert', 'logicalNot', 'isnan', 'isinf', 'isfinite', 'where', 'clip'],
];

test('every jnp function has bad-input cases', () => {
  const covered = new Set([...ELEMENTWISE, ...Object.keys(JNP_TABLE)]);
  expect(functionsOf(jnp).filter((name) => !covered.has(name))).toEqual([]);
});

describe.each(Object.keys(JNP_TABLE))('jnp.%s', (name) => {
  test.each(JNP_TABLE[name]!.map((c) => [c.what, c] as const))('%s', async (_, badCase) => {
    if ('check' in badCase) badCase.check(badCase.run() as never);
    else await expectBadInput(badCase.run, badCase);
  });
});
