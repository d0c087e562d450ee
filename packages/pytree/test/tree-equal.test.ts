import * as tree from '../src/index.js';
import { Point } from './fixtures.js';

describe('treeEqual: structure', () => {
  test('equal trees', () => {
    expect(tree.treeEqual({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(tree.treeEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(tree.treeEqual(new Point(1, [2]), new Point(1, [2]))).toBe(true);
    expect(tree.treeEqual({ a: null }, { a: null })).toBe(true);
    expect(tree.treeEqual([], [])).toBe(true);
  });

  test.each<[string, unknown, unknown]>([
    ['different keys', { a: 1 }, { b: 1 }],
    ['different lengths', [1], [1, 2]],
    ['null vs undefined', [null], [undefined]],
    ['null vs a leaf', { a: null }, { a: 1 }],
    ['[] vs {}', [], {}],
    ['a class vs a plain object', new Point(1, 2), { x: 1, y: 2 }],
    ['a nested difference', { a: [[1]] }, { a: [1] }],
  ])('a structure mismatch is false, not an error: %s', (_name, a, b) => {
    expect(tree.treeEqual(a, b)).toBe(false);
  });

  test('several trees: all must be equal', () => {
    expect(tree.treeEqual([1], [1], [1])).toBe(true);
    expect(tree.treeEqual([1], [1], [2])).toBe(false);
    expect(tree.treeEqual([1], [1], [1, 1])).toBe(false);
  });

  test('a single tree is equal to itself', () => {
    expect(tree.treeEqual({ a: 1 })).toBe(true);
  });

  test('no trees is an error', () => {
    expect(() => tree.treeEqual()).toThrow(TypeError);
    expect(() => tree.treeEqual()).toThrow('treeEqual: expected at least one tree');
  });
});

describe('treeEqual: leaves', () => {
  test('numbers by value', () => {
    expect(tree.treeEqual(1, 1)).toBe(true);
    expect(tree.treeEqual(1, 2)).toBe(false);
    expect(tree.treeEqual(0, -0)).toBe(true);
    expect(tree.treeEqual(Infinity, Infinity)).toBe(true);
    expect(tree.treeEqual(Infinity, -Infinity)).toBe(false);
  });

  test('NaN equals nothing, itself included', () => {
    expect(tree.treeEqual(NaN, NaN)).toBe(false);
    const t = { a: NaN };
    expect(tree.treeEqual(t, t)).toBe(false);
    expect(tree.treeEqual(new Float64Array([NaN]), new Float64Array([NaN]))).toBe(false);
  });

  test('other primitives with ===', () => {
    expect(tree.treeEqual('a', 'a')).toBe(true);
    expect(tree.treeEqual('a', 'b')).toBe(false);
    expect(tree.treeEqual(true, true)).toBe(true);
    expect(tree.treeEqual(true, 1)).toBe(false);
    expect(tree.treeEqual(5n, 5n)).toBe(true);
    expect(tree.treeEqual(5n, 5)).toBe(false);
    const s = Symbol('s');
    expect(tree.treeEqual(s, s)).toBe(true);
    expect(tree.treeEqual(s, Symbol('s'))).toBe(false);
  });

  test('other objects by identity', () => {
    const m = new Map([[1, 2]]);
    expect(tree.treeEqual({ m }, { m })).toBe(true);
    expect(tree.treeEqual({ m }, { m: new Map([[1, 2]]) })).toBe(false);
    expect(tree.treeEqual(new Date(0), new Date(0))).toBe(false);
    const f = () => 0;
    expect(tree.treeEqual([f], [f])).toBe(true);
    expect(tree.treeEqual([f], [() => 0])).toBe(false);
  });

  test('typed arrays by value', () => {
    expect(tree.treeEqual(new Float32Array([1, 2]), new Float32Array([1, 2]))).toBe(true);
    expect(tree.treeEqual({ w: new Int32Array([1, 2]) }, { w: new Int32Array([1, 3]) })).toBe(
      false,
    );
    expect(tree.treeEqual(new Float32Array([1, 2]), new Float32Array([1, 2, 3]))).toBe(false);
    expect(tree.treeEqual(new Float32Array(0), new Float32Array(0))).toBe(true);
    expect(tree.treeEqual(new BigInt64Array([1n]), new BigInt64Array([1n]))).toBe(true);
  });

  test('a typed array and a number are not equal', () => {
    expect(tree.treeEqual(new Float32Array([1]), 1)).toBe(false);
  });
});

describe('treeEqual: tolerances', () => {
  test('atol', () => {
    expect(tree.treeEqual({ a: [1, 2] }, { a: [1, 2.001] }, { atol: 0.01 })).toBe(true);
    expect(tree.treeEqual({ a: [1, 2] }, { a: [1, 2.1] }, { atol: 0.01 })).toBe(false);
    expect(tree.treeEqual(1, 1.001)).toBe(false);
  });

  test('rtol is relative to the later tree: |a - b| <= atol + rtol * |b|', () => {
    expect(tree.treeEqual(100, 101, { rtol: 0.01 })).toBe(true);
    expect(tree.treeEqual(100, 102, { rtol: 0.01 })).toBe(false);
    expect(tree.treeEqual(1000, 1001, { rtol: 0.0005, atol: 0.6 })).toBe(true);
    expect(tree.treeEqual(1000, 1001, { rtol: 0.0005 })).toBe(false);
    expect(tree.treeEqual(1000, 1001, { atol: 0.6 })).toBe(false);
  });

  test('tolerances apply to typed array elements', () => {
    expect(
      tree.treeEqual(new Float32Array([1, 2]), new Float32Array([1.001, 2]), { atol: 0.01 }),
    ).toBe(true);
    expect(
      tree.treeEqual(new Float32Array([1, 2]), new Float32Array([1.5, 2]), { atol: 0.01 }),
    ).toBe(false);
  });

  test('tolerances do not apply to other leaves', () => {
    expect(tree.treeEqual('1', '1.0', { atol: 1 })).toBe(false);
    expect(tree.treeEqual(1n, 2n, { atol: 5 })).toBe(false);
  });
});

describe('treeEqual: typematch', () => {
  test('typed arrays of different types', () => {
    const a = new Float32Array([1, 2]);
    const b = new Float64Array([1, 2]);
    // Different kinds of typed array are unequal even without typematch, as arrays of different dtypes
    // are in Equinox.
    expect(tree.treeEqual(a, b)).toBe(false);
    expect(tree.treeEqual(a, b, { typematch: true })).toBe(false);
    expect(tree.treeEqual(a, new Float32Array([1, 2]), { typematch: true })).toBe(true);
  });

  test('same types pass', () => {
    expect(tree.treeEqual({ a: 1, b: 'x' }, { a: 1, b: 'x' }, { typematch: true })).toBe(true);
    expect(tree.treeEqual(1, 1.0000001, { typematch: true, atol: 0.001 })).toBe(true);
  });
});

describe('treeEqual: options', () => {
  test('isLeaf', () => {
    expect(tree.treeEqual({ a: [1] }, { a: [1] })).toBe(true);
    // With arrays as leaves, they compare by identity.
    expect(
      tree.treeEqual({ a: [1] }, { a: [1] }, { isLeaf: (x: unknown) => Array.isArray(x) }),
    ).toBe(false);
    const shared = [1];
    expect(
      tree.treeEqual({ a: shared }, { a: shared }, { isLeaf: (x: unknown) => Array.isArray(x) }),
    ).toBe(true);
  });

  test('a last argument whose keys are all option names is options', () => {
    expect(tree.treeEqual([1], [1.1], { rtol: 0.5 })).toBe(true);
    // A tree of the first tree's shape that also reads as options is ambiguous: an error, not a guess.
    expect(() => tree.treeEqual({ rtol: 1 }, { rtol: 2 })).toThrow(
      'treeEqual: the last argument (object with keys {rtol}) could be options or a tree shaped like the first one',
    );
    // Values of the wrong type for an option make it a tree.
    expect(tree.treeEqual({ rtol: 'a' }, { rtol: 'b' })).toBe(false);
    // With options after them, both are trees.
    expect(tree.treeEqual({ rtol: 1 }, { rtol: 2 }, { typematch: false })).toBe(false);
    expect(tree.treeEqual({ rtol: 1 }, { rtol: 1 }, { typematch: false })).toBe(true);
  });

  test('a single argument is always a tree', () => {
    expect(tree.treeEqual({ rtol: 1 })).toBe(true);
  });

  test('an object with other keys, or no keys, is a tree', () => {
    expect(tree.treeEqual({ atol: 1, x: 1 }, { atol: 1, x: 2 })).toBe(false);
    expect(tree.treeEqual([], {})).toBe(false);
    expect(tree.treeEqual({}, {})).toBe(true);
  });
});
