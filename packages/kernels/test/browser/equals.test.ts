// The browser shim's toEqual/toStrictEqual must judge as jest's do, or the browser run would pass (or
// fail) conformance results that jest would not: checked here against jest itself.
import { equals, show } from './equals.js';

const CASES: [unknown, unknown][] = [
  [NaN, NaN],
  [0, -0],
  [
    [1, NaN],
    [1, NaN],
  ],
  [[0], [-0]],
  [
    [1, 2],
    [1, 2, 3],
  ],
  [new Float32Array([1, 2]), new Float32Array([1, 2])],
  [new Float32Array([1, 2]), new Int32Array([1, 2])],
  [new Float32Array([1, 2]), [1, 2]],
  [{ a: 1, b: undefined }, { a: 1 }],
  [
    { label: 'x', mismatches: [] },
    { label: 'x', mismatches: [] },
  ],
  [
    { label: 'x', mismatches: ['at [0]'] },
    { label: 'x', mismatches: [] },
  ],
  [{ shape: [2, 3] }, { shape: [3, 2] }],
  [null, undefined],
  ['a', 'a'],
];

function jestSays(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

describe('the browser shim', () => {
  it.each(CASES)('judges %p and %p as jest does', (a, b) => {
    expect(equals(a, b, false)).toBe(jestSays(() => expect(a).toEqual(b)));
    expect(equals(a, b, true)).toBe(jestSays(() => expect(a).toStrictEqual(b)));
  });

  it('prints what JSON cannot', () => {
    expect(show([NaN, -0, -Infinity, undefined])).toBe('[NaN, -0, -Infinity, undefined]');
    expect(show(new Float32Array([1.5]))).toBe('Float32Array [1.5]');
  });
});
