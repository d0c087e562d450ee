import * as tree from '../src/index.js';
import { Point } from './fixtures.js';
import { TreeStructureError } from '../src/index.js';

const isNumber = (x: unknown) => typeof x === 'number';

const makeModel = () => ({ weight: [1, 2], activation: 'relu', bias: null as number[] | null });

describe('filter', () => {
  test('with a predicate', () => {
    expect(tree.filter(makeModel(), isNumber)).toStrictEqual({
      weight: [1, 2],
      activation: null,
      bias: null,
    });
  });

  test('with a boolean', () => {
    expect(tree.filter(makeModel(), true)).toStrictEqual({
      weight: [1, 2],
      activation: 'relu',
      bias: null,
    });
    expect(tree.filter(makeModel(), false)).toStrictEqual({
      weight: [null, null],
      activation: null,
      bias: null,
    });
  });

  test('with a prefix tree of booleans', () => {
    expect(tree.filter(makeModel(), { weight: true, activation: false, bias: true })).toStrictEqual(
      {
        weight: [1, 2],
        activation: null,
        bias: null,
      },
    );
    expect(
      tree.filter(
        {
          layers: [
            { w: 1, b: 2 },
            { w: 3, b: 4 },
          ],
        },
        { layers: [true, false] },
      ),
    ).toStrictEqual({
      layers: [
        { w: 1, b: 2 },
        { w: null, b: null },
      ],
    });
  });

  test('with a prefix tree of predicates and booleans', () => {
    expect(
      tree.filter({ a: [1, -2, 3], b: ['x', 4] }, { a: (x: number) => x > 0, b: true }),
    ).toStrictEqual({ a: [1, null, 3], b: ['x', 4] });
  });

  test('spec leaves apply to registered nodes below them', () => {
    const out = tree.filter({ p: new Point(1, 'a'), q: 2 }, { p: isNumber, q: false });
    expect(out).toStrictEqual({ p: new Point(1, null), q: null });
    expect(out.p).toBeInstanceOf(Point);
  });

  test('predicate results are read as truthy or falsy', () => {
    expect(tree.filter([0, 1, 2], (x: number) => x)).toStrictEqual([null, 1, 2]);
  });

  test('the predicate sees each leaf once, and never empty nodes', () => {
    const seen: unknown[] = [];
    tree.filter({ b: [1, null], a: 'x', c: undefined }, (x) => {
      seen.push(x);
      return true;
    });
    expect(seen).toEqual(['x', 1]);
  });

  test('inverse', () => {
    expect(tree.filter(makeModel(), isNumber, { inverse: true })).toStrictEqual({
      weight: [null, null],
      activation: 'relu',
      bias: null,
    });
    expect(
      tree.filter(
        { weight: [1, 2], activation: 'relu' },
        { weight: false, activation: true },
        { inverse: true },
      ),
    ).toStrictEqual({ activation: null, weight: [1, 2] });
  });

  test('replace', () => {
    expect(tree.filter(makeModel(), isNumber, { replace: 0 })).toStrictEqual({
      weight: [1, 2],
      activation: 0,
      bias: null,
    });
    expect(tree.filter([1, 'a'], isNumber, { replace: 'gone', inverse: true })).toStrictEqual([
      'gone',
      'a',
    ]);
  });

  test('isLeaf option', () => {
    const pair = [1, 2];
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    const kept = tree.filter({ a: pair, b: 'x' }, (x) => Array.isArray(x), {
      isLeaf: isNumberList,
    });
    expect(kept).toStrictEqual({ a: [1, 2], b: null });
    expect(kept.a).toBe(pair);
  });

  test('the tree is not modified', () => {
    const model = makeModel();
    tree.filter(model, false);
    expect(model).toStrictEqual(makeModel());
  });
});

describe('filter errors', () => {
  test('a spec leaf that is neither a boolean nor a function names its path', () => {
    expect(() => tree.filter({ a: 1 }, { a: 1 })).toThrow(TypeError);
    expect(() => tree.filter({ a: 1 }, { a: 1 })).toThrow(
      'filter: filterSpec must hold booleans or functions (leaf) => boolean, found number 1 at .a',
    );
    expect(() => tree.filter({ a: [1, 2] }, { a: [true, 'x'] })).toThrow(
      'filter: filterSpec must hold booleans or functions (leaf) => boolean, found string "x" at .a[1]',
    );
    expect(() => tree.partition(1, 'yes' as unknown as tree.FilterSpec)).toThrow(
      'partition: filterSpec must hold booleans or functions (leaf) => boolean, found string "yes"',
    );
  });

  test('a spec that is not a prefix of the tree', () => {
    expect(() => tree.filter({ a: 1, b: 2 }, { a: true })).toThrow(TreeStructureError);
    expect(() => tree.filter({ a: 1, b: 2 }, { a: true })).toThrow(
      'filter: tree structures differ at the root: filterSpec has object with keys {a}, the tree has object with keys {a, b}',
    );
    expect(() => tree.filter({ a: [1, 2] }, { a: [true] })).toThrow(
      'filter: tree structures differ at .a: filterSpec has array of length 1, the tree has array of length 2',
    );
    expect(() => tree.partition({ a: 1 }, { a: [true] })).toThrow(
      'partition: tree structures differ at .a: filterSpec has array of length 1, the tree has number 1',
    );
  });
});

describe('partition', () => {
  test('splits by a predicate, with null where the other half has a leaf', () => {
    const [params, statics] = tree.partition({ weight: [1, 2], activation: 'relu' }, isNumber);
    expect(params).toStrictEqual({ activation: null, weight: [1, 2] });
    expect(statics).toStrictEqual({ activation: 'relu', weight: [null, null] });
  });

  test('with a prefix spec', () => {
    const [a, b] = tree.partition({ x: [1, 2], y: { z: 3 } }, { x: (v: number) => v > 1, y: true });
    expect(a).toStrictEqual({ x: [null, 2], y: { z: 3 } });
    expect(b).toStrictEqual({ x: [1, null], y: { z: null } });
  });

  test('replace', () => {
    const [a, b] = tree.partition([1, 'a'], isNumber, { replace: undefined });
    expect(a).toStrictEqual([1, null]);
    expect(b).toStrictEqual([null, 'a']);
    const [c, d] = tree.partition([1, 'a'], isNumber, { replace: 0 });
    expect(c).toStrictEqual([1, 0]);
    expect(d).toStrictEqual([0, 'a']);
  });

  test('the predicate is called once per leaf', () => {
    const pred = jest.fn(isNumber);
    tree.partition({ a: [1, 'x'], b: 2 }, pred);
    expect(pred).toHaveBeenCalledTimes(3);
  });

  test('partition then combine is the identity', () => {
    const t = {
      layers: [new Point(1, 'a'), new Point([2, 3], null)],
      flags: [true, false],
      none: undefined,
      name: 'net',
    };
    const [a, b] = tree.partition(t, isNumber);
    expect(a).toStrictEqual({
      layers: [new Point(1, null), new Point([2, 3], null)],
      flags: [null, null],
      none: undefined,
      name: null,
    });
    expect(b).toStrictEqual({
      layers: [new Point(null, 'a'), new Point([null, null], null)],
      flags: [true, false],
      none: undefined,
      name: 'net',
    });
    expect(tree.combine(a, b)).toStrictEqual(t);
    expect(tree.combine(b, a)).toStrictEqual(t);
  });
});

describe('combine', () => {
  test('takes the first value that is not null or undefined', () => {
    expect(tree.combine({ a: 1, b: null }, { a: null, b: 2 })).toStrictEqual({ a: 1, b: 2 });
    expect(tree.combine({ a: 1 }, { a: 2 })).toStrictEqual({ a: 1 });
    expect(tree.combine({ a: undefined }, { a: 2 })).toStrictEqual({ a: 2 });
  });

  test('falsy values that are not null or undefined count', () => {
    expect(tree.combine({ a: 0, b: false, c: '' }, { a: 1, b: true, c: 'x' })).toStrictEqual({
      a: 0,
      b: false,
      c: '',
    });
  });

  test('three trees', () => {
    expect(
      tree.combine(
        { a: 1, b: null, c: null },
        { a: null, b: 2, c: null },
        { a: null, b: null, c: [3] },
      ),
    ).toStrictEqual({ a: 1, b: 2, c: [3] });
  });

  test('all empty stays empty', () => {
    expect(tree.combine({ a: null, b: undefined }, { a: null, b: undefined })).toStrictEqual({
      a: null,
      b: undefined,
    });
  });

  test('a single tree', () => {
    expect(tree.combine({ a: [1, null] })).toStrictEqual({ a: [1, null] });
  });

  test('a null in the first tree takes a whole subtree from a later tree', () => {
    expect(tree.combine({ a: null, b: 1 }, { a: [1, { c: 2 }], b: null })).toStrictEqual({
      a: [1, { c: 2 }],
      b: 1,
    });
  });

  test('isLeaf as trailing options', () => {
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    const left = [1, 2];
    const out = tree.combine([left, null], [null, [3, 4]], { isLeaf: isNumberList });
    expect(out).toStrictEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(out[0]).toBe(left);
  });

  test('a subtree in the first tree where a later tree has null is a mismatch', () => {
    expect(() => tree.combine({ a: [1, 2] }, { a: null })).toThrow(TreeStructureError);
    expect(() => tree.combine({ a: [1, 2] }, { a: null })).toThrow(
      'combine: tree structures differ at .a: tree 0 has array of length 2, tree 1 has null',
    );
    expect(() => tree.combine([1, 2], [1, 2, 3])).toThrow(
      'combine: tree structures differ at the root: tree 0 has array of length 2, tree 1 has array of length 3',
    );
  });

  test('no trees', () => {
    const combineAny = tree.combine as (...args: unknown[]) => unknown;
    expect(() => combineAny()).toThrow(TypeError);
    expect(() => combineAny()).toThrow('combine: expected at least one tree');
  });
});
