import * as tree from '../src/index.js';
import { KeyedPoint, thrown } from './fixtures.js';
import { TreeStructureError } from '../src/index.js';

class Tagged {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}
tree.registerPytreeNode(
  Tagged,
  (t) => [[t.value], t.tag],
  (tag, [value]) => new Tagged(tag as string, value),
);

/** The TreeStructureError `f` throws. */
function catchError(f: () => unknown): TreeStructureError {
  const e = thrown(f);
  expect(e).toBeInstanceOf(TreeStructureError);
  return e as TreeStructureError;
}

describe('map over one tree', () => {
  test('applies f to every leaf and keeps the structure', () => {
    expect(tree.map((x: number) => x * 2, { a: 1, b: [2, 3] })).toStrictEqual({ a: 2, b: [4, 6] });
    expect(tree.map((x: number) => x + 1, 5)).toBe(6);
    expect(tree.map((x: number) => x + 1, [new KeyedPoint(1, [2])])).toStrictEqual([
      new KeyedPoint(2, [3]),
    ]);
  });

  test('null and undefined nodes are kept and never passed to f', () => {
    const seen: unknown[] = [];
    const out = tree.map(
      (x: number) => {
        seen.push(x);
        return x * 10;
      },
      { a: null, b: undefined, c: 1, d: [null, 2] },
    );
    expect(out).toStrictEqual({ a: null, b: undefined, c: 10, d: [null, 20] });
    expect(seen).toEqual([1, 2]);
  });

  test('f is called once per leaf in flattening order', () => {
    const seen: unknown[] = [];
    tree.map((x: string) => seen.push(x), { b: ['b0', 'b1'], a: 'a', 10: 'ten', 9: 'nine' });
    expect(seen).toEqual(['ten', 'nine', 'a', 'b0', 'b1']);
  });

  test('f may return subtrees', () => {
    expect(tree.map((x: number) => [x, { y: x }], { a: 1 })).toStrictEqual({ a: [1, { y: 1 }] });
  });

  test('the input is not modified', () => {
    const t = { a: [1, 2] };
    tree.map((x: number) => x * 2, t);
    expect(t).toStrictEqual({ a: [1, 2] });
  });

  test('empty trees map to themselves', () => {
    const f = jest.fn();
    expect(tree.map(f, [])).toStrictEqual([]);
    expect(tree.map(f, {})).toStrictEqual({});
    expect(tree.map(f, null)).toBeNull();
    expect(tree.map(f, undefined)).toBeUndefined();
    expect(f).not.toHaveBeenCalled();
  });
});

describe('map over several trees', () => {
  test('matching leaves go to f together', () => {
    expect(tree.map((p: number, g: number) => p - 0.5 * g, [1, 2], [10, 20])).toStrictEqual([
      -4, -8,
    ]);
    expect(
      tree.map(
        (a: number, b: number, c: number) => a + b + c,
        [1, { x: 2 }],
        [10, { x: 20 }],
        [100, { x: 200 }],
      ),
    ).toStrictEqual([111, { x: 222 }]);
  });

  test('object keys are matched by name, not by insertion order', () => {
    expect(
      tree.map((a: string, b: string) => a + b, { x: 'a', y: 'b' }, { y: 'B', x: 'A' }),
    ).toStrictEqual({
      x: 'aA',
      y: 'bB',
    });
  });

  test('where the first tree has a leaf, f gets the whole subtree of the others', () => {
    const sub = [1, 2];
    const nested = { c: null };
    const out = tree.map<object, Record<string, unknown[]>>(
      (x: number, s: unknown) => [x, s],
      { a: 1, b: 2, c: 3 },
      { a: sub, b: nested, c: null },
    );
    expect(out).toStrictEqual({ a: [1, [1, 2]], b: [2, { c: null }], c: [3, null] });
    expect(out.a![1]).toBe(sub);
    expect(out.b![1]).toBe(nested);
  });

  test('null nodes must match null nodes', () => {
    expect(tree.map((a: number, b: number) => a + b, [null, 1], [null, 2])).toStrictEqual([
      null,
      3,
    ]);
  });
});

describe('map options', () => {
  const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';

  test('isLeaf as trailing options', () => {
    const pairs = [
      [1, 2],
      [3, 4],
    ];
    expect(
      tree.map((pair: number[]) => pair[0]! + pair[1]!, pairs, { isLeaf: isNumberList }),
    ).toStrictEqual([3, 7]);
  });

  test('isLeaf with several trees', () => {
    expect(
      tree.map((pair: number[], k: number) => pair.length * k, [[1, 2], [3]], [10, 100], {
        isLeaf: isNumberList,
      }),
    ).toStrictEqual([20, 100]);
  });

  test('isLeaf making null a leaf passes it to f', () => {
    expect(
      tree.map((x: number | null) => (x === null ? 'none' : x), [null, 1], {
        isLeaf: (x: unknown) => x === null,
      }),
    ).toStrictEqual(['none', 1]);
  });

  test('an empty object at the end is a tree, not options', () => {
    expect(tree.map((...args: unknown[]) => args.length, 1, {})).toBe(2);
  });

  test('an object with a key that is not an option name is a tree', () => {
    expect(tree.map((...args: unknown[]) => args.length, 1, { isLeaf: 1, other: 2 })).toBe(2);
  });

  test('an object whose keys are all option names is options', () => {
    expect(
      tree.map((...args: unknown[]) => args.length, [1], { isLeaf: () => false }),
    ).toStrictEqual([1]);
    expect(tree.map((...args: unknown[]) => args.length, [1], { isLeaf: undefined })).toStrictEqual(
      [1],
    );
  });

  test('a null-prototype object with option keys is options; a class instance is a tree', () => {
    const bare = Object.assign(Object.create(null) as object, { isLeaf: () => false });
    expect(tree.map((...args: unknown[]) => args.length, [1], bare)).toStrictEqual([1]);
    class Opts {
      isLeaf = () => true;
    }
    expect(tree.map((...args: unknown[]) => args.length, 1, new Opts())).toBe(2);
  });

  test('the first tree is never options', () => {
    expect(tree.map((x: number) => x + 1, { isLeaf: 5 })).toStrictEqual({ isLeaf: 6 });
  });

  test('a tree that looks like options is passed as a tree by adding options after it', () => {
    expect(
      tree.map(
        (a: number, b: { isLeaf: number }) => a + b.isLeaf,
        1,
        { isLeaf: 2 },
        { isLeaf: undefined },
      ),
    ).toBe(3);
  });
});

describe('map structure mismatches', () => {
  test('names the op, the path and both sides', () => {
    const e = catchError(() => tree.map((x: number, y: number) => x + y, { w: [1, 2] }, { w: 3 }));
    expect(e.message).toBe(
      'map: tree structures differ at .w: tree 0 has array of length 2, tree 1 has number 3',
    );
    expect(tree.keystr(e.path)).toBe('.w');
  });

  test('the side that differs is named by its position', () => {
    const f = (...xs: number[]) => xs[0];
    expect(() => tree.map(f, { a: [1] }, { a: [2] }, { a: [3, 4] })).toThrow(
      'map: tree structures differ at .a: tree 0 has array of length 1, tree 2 has array of length 2',
    );
  });

  test.each<[string, unknown, unknown, string]>([
    [
      'different keys',
      { a: 1 },
      { b: 1 },
      'at the root: tree 0 has object with keys {a}, tree 1 has object with keys {b}',
    ],
    [
      'an extra key',
      { a: 1 },
      { a: 1, b: 2 },
      'at the root: tree 0 has object with keys {a}, tree 1 has object with keys {a, b}',
    ],
    [
      'a longer array',
      [1],
      [1, 2],
      'at the root: tree 0 has array of length 1, tree 1 has array of length 2',
    ],
    ['null vs a leaf', { a: null }, { a: 1 }, 'at .a: tree 0 has null, tree 1 has number 1'],
    ['undefined vs null', [undefined], [null], 'at [0]: tree 0 has undefined, tree 1 has null'],
    ['an array vs null', [[1]], [null], 'at [0]: tree 0 has array of length 1, tree 1 has null'],
    [
      'an array vs an object',
      [[1]],
      [{ 0: 1 }],
      'at [0]: tree 0 has array of length 1, tree 1 has object with keys {0}',
    ],
    [
      'a class vs a plain object',
      [new KeyedPoint(1, 2)],
      [{ x: 1, y: 2 }],
      'at [0]: tree 0 has KeyedPoint, tree 1 has object with keys {x, y}',
    ],
    [
      'deep inside a registered class',
      { layers: [new KeyedPoint(1, [2])] },
      { layers: [new KeyedPoint(1, [2, 3])] },
      'at .layers[0].y: tree 0 has array of length 1, tree 1 has array of length 2',
    ],
    [
      'an odd key',
      { 'odd key': [1] },
      { 'odd key': 'x' },
      'at ["odd key"]: tree 0 has array of length 1, tree 1 has string "x"',
    ],
  ])('%s', (_name, a, b, message) => {
    const e = catchError(() => tree.map((x: unknown) => x, a, b));
    expect(e.message).toBe(`map: tree structures differ ${message}`);
  });
});

describe('map structure mismatches of registered nodes', () => {
  test('different static data: both sides show their static data', () => {
    const e = catchError(() =>
      tree.map((x: unknown) => x, [new Tagged('a', 1)], [new Tagged('b', 1)]),
    );
    expect(e.message).toBe(
      'map: tree structures differ at [0]: tree 0 has Tagged with static data "a", tree 1 has Tagged with static data "b"',
    );
  });

  test('a different class', () => {
    const e = catchError(() =>
      tree.map((x: unknown) => x, { p: new KeyedPoint(1, 2) }, { p: new Tagged('a', 1) }),
    );
    expect(e.message).toBe(
      'map: tree structures differ at .p: tree 0 has KeyedPoint, tree 1 has Tagged',
    );
  });
});

describe('mapWithPath', () => {
  test('f gets the path first', () => {
    expect(
      tree.mapWithPath((p, x: number) => `${tree.keystr(p)}=${x}`, {
        a: [1],
        'odd key': 2,
        p: new KeyedPoint(3, null),
      }),
    ).toStrictEqual({
      a: ['.a[0]=1'],
      'odd key': '["odd key"]=2',
      p: new KeyedPoint('.p.x=3', null),
    });
  });

  test('with several trees', () => {
    expect(
      tree.mapWithPath(
        (p, x: number, y: number) => `${tree.keystr(p)}:${x + y}`,
        { a: 1, b: [2] },
        { a: 10, b: [20] },
      ),
    ).toStrictEqual({ a: '.a:11', b: ['.b[0]:22'] });
  });

  test('isLeaf as trailing options', () => {
    expect(
      tree.mapWithPath(
        (p, x: number[]) => `${tree.keystr(p)}#${x.length}`,
        { a: [1, 2] },
        {
          isLeaf: (x: unknown) => Array.isArray(x),
        },
      ),
    ).toStrictEqual({ a: '.a#2' });
  });

  test('mismatch errors name mapWithPath', () => {
    expect(() => tree.mapWithPath((_p, x: unknown) => x, { a: [1] }, { a: [1, 2] })).toThrow(
      'mapWithPath: tree structures differ at .a: tree 0 has array of length 1, tree 1 has array of length 2',
    );
  });
});

describe('reduce', () => {
  test('folds left to right in flattening order', () => {
    expect(tree.reduce((acc: number, x: number) => acc + x, { a: 1, b: [2, 3] })).toBe(6);
    expect(
      tree.reduce((acc: string, x: string) => acc + x, { b: 'b', a: 'a', c: ['c', 'd'] }),
    ).toBe('abcd');
    expect(tree.reduce((acc: string, x: string) => acc + x, { b: 'b', a: 'a' }, '>')).toBe('>ab');
  });

  test('with an initializer, an empty tree gives the initializer', () => {
    expect(tree.reduce((acc: number, x: number) => acc + x, [], 0)).toBe(0);
    expect(tree.reduce((acc: number, x: number) => acc + x, { a: null }, 7)).toBe(7);
  });

  test('an explicit undefined initializer counts as given', () => {
    expect(tree.reduce((acc: unknown, x: unknown) => [acc, x], [1], undefined)).toEqual([
      undefined,
      1,
    ]);
    expect(tree.reduce((acc: unknown) => acc, [], undefined)).toBeUndefined();
  });

  test('a single leaf without initializer is the result', () => {
    expect(tree.reduce((acc: number, x: number) => acc * x, [[5]])).toBe(5);
  });

  test('an empty tree without initializer is an error', () => {
    expect(() => tree.reduce((acc: number, x: number) => acc + x, [])).toThrow(TypeError);
    expect(() => tree.reduce((acc: number, x: number) => acc + x, { a: null })).toThrow(
      'reduce: the tree has no leaves and no initializer was given',
    );
  });

  test('isLeaf option', () => {
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    expect(
      tree.reduce((acc: number, x: number[]) => acc + x.length, [[1, 2], [3]], 0, {
        isLeaf: isNumberList,
      }),
    ).toBe(3);
  });
});

describe('all', () => {
  test.each<[unknown, boolean]>([
    [{ a: true, b: [1, 'x'] }, true],
    [[true, 0], false],
    [[], true],
    [{ a: null, b: undefined }, true],
    [[''], false],
    [[NaN], false],
    [[1n, 0n], false],
    [[[[true]], { a: 1 }], true],
  ])('%p -> %p', (t, expected) => {
    expect(tree.all(t)).toBe(expected);
  });

  test('isLeaf option', () => {
    expect(tree.all([null], { isLeaf: (x) => x === null })).toBe(false);
    expect(tree.all([[0], [0]], { isLeaf: (x) => Array.isArray(x) && x.length === 1 })).toBe(true);
  });
});
