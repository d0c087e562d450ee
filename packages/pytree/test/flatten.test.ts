import * as tree from '../src/index.js';
import { Point, thrown } from './fixtures.js';
import type { TreeDef } from '../src/index.js';
import { TreeStructureError } from '../src/index.js';

class Unregistered {
  constructor(readonly value: number) {}
}

describe('flatten: containers', () => {
  test('arrays flatten by index, nested arrays included', () => {
    const [leaves, def] = tree.flatten([1, [2, 3], [], [[4]]]);
    expect(leaves).toEqual([1, 2, 3, 4]);
    expect(String(def)).toBe('TreeDef([*, [*, *], [], [[*]]])');
    expect(tree.unflatten(def, ['a', 'b', 'c', 'd'])).toStrictEqual(['a', ['b', 'c'], [], [['d']]]);
  });

  test('plain objects flatten by sorted key, whatever the insertion order', () => {
    const [leaves, def] = tree.flatten({ c: { e: 3, d: 4 }, b: 1, a: 2 });
    expect(leaves).toEqual([2, 1, 4, 3]);
    expect(String(def)).toBe('TreeDef({a: *, b: *, c: {d: *, e: *}})');
    expect(tree.unflatten(def, [10, 20, 30, 40])).toStrictEqual({
      a: 10,
      b: 20,
      c: { d: 30, e: 40 },
    });
  });

  test('null-prototype objects are plain-object nodes', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.z = 1;
    bare.m = [2, 3];
    const [leaves, def] = tree.flatten({ bare });
    expect(leaves).toEqual([2, 3, 1]);
    expect(String(def)).toBe('TreeDef({bare: {m: [*, *], z: *}})');
    expect(def.children[0]!.kind).toBe('object');
    expect(tree.unflatten(def, [7, 8, 9])).toEqual({ bare: { m: [7, 8], z: 9 } });
    expect(def.equals(tree.structure({ bare: { z: 0, m: [0, 0] } }))).toBe(true);
  });

  test('null and undefined are nodes with no leaves', () => {
    const [leaves, def] = tree.flatten([null, undefined, 1]);
    expect(leaves).toEqual([1]);
    expect(String(def)).toBe('TreeDef([null, undefined, *])');
    expect(def.children.map((c) => c.kind)).toEqual(['null', 'undefined', 'leaf']);
    expect(tree.unflatten(def, [5])).toStrictEqual([null, undefined, 5]);
  });

  test('nested nulls survive a round trip', () => {
    const t = { a: null, b: [null, { c: null, u: undefined }], d: 1 };
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1]);
    expect(String(def)).toBe('TreeDef({a: null, b: [null, {c: null, u: undefined}], d: *})');
    expect(tree.unflatten(def, [2])).toStrictEqual({
      a: null,
      b: [null, { c: null, u: undefined }],
      d: 2,
    });
  });

  test('registered classes inside arrays, and arrays inside registered classes', () => {
    const t = [new Point(1, [2, 3]), 4, [new Point(new Point(5, 6), null)]];
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1, 2, 3, 4, 5, 6]);
    expect(String(def)).toBe('TreeDef([Point[*, [*, *]], *, [Point[Point[*, *], null]]])');
    const back = tree.unflatten<[Point, number, [Point]]>(def, [10, 20, 30, 40, 50, 60]);
    expect(back).toStrictEqual([new Point(10, [20, 30]), 40, [new Point(new Point(50, 60), null)]]);
    expect(back[0]).toBeInstanceOf(Point);
    expect(back[2][0].x).toBeInstanceOf(Point);
  });

  test('unflatten builds fresh containers', () => {
    const t = { a: [1, 2], b: { c: 3 } };
    const [leaves, def] = tree.flatten(t);
    const back = tree.unflatten<typeof t>(def, leaves);
    expect(back).toStrictEqual({ a: [1, 2], b: { c: 3 } });
    expect(back).not.toBe(t);
    expect(back.a).not.toBe(t.a);
    expect(back.b).not.toBe(t.b);
  });
});

describe('flatten: leaves', () => {
  const sym = Symbol('s');
  const fn = (x: number) => x + 1;
  const typed = new Float32Array([1, 2]);
  const map = new Map([['k', 1]]);
  const date = new Date(0);
  const instance = new Unregistered(3);
  const cases: [string, unknown][] = [
    ['a number', 1.5],
    ['zero', 0],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a string', 'hello'],
    ['an empty string', ''],
    ['true', true],
    ['false', false],
    ['a bigint', 12n],
    ['a symbol', sym],
    ['a function', fn],
    ['a class', Unregistered],
    ['a typed array', typed],
    ['a DataView', new DataView(new ArrayBuffer(2))],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['a Map', map],
    ['a Set', new Set([1, 2])],
    ['a Date', date],
    ['a RegExp', /x/],
    ['an Error', new Error('e')],
    ['a boxed number', Object(5) as object],
    ['an instance of an unregistered class', instance],
    ['an object whose prototype is a plain object', Object.create({ inherited: 1 }) as object],
  ];

  test.each(cases)('%s is a leaf', (_name, value) => {
    const [leaves, def] = tree.flatten(value);
    expect(leaves).toHaveLength(1);
    expect(leaves[0]).toBe(value);
    expect(def.kind).toBe('leaf');
    expect(def.isLeaf).toBe(true);
    expect(String(def)).toBe('TreeDef(*)');
    expect(tree.unflatten(def, [value])).toBe(value);
  });

  test('leaves inside containers are kept by identity', () => {
    const t = { a: [typed, map], b: date, c: instance, d: fn, e: sym };
    const leaves: unknown[] = tree.leaves(t);
    expect(leaves).toHaveLength(6);
    [typed, map, date, instance, fn, sym].forEach((value, i) => expect(leaves[i]).toBe(value));
  });
});

describe('flatten: key order', () => {
  test('numeric-like keys sort as strings: "10" before "9" before "a"', () => {
    const t = { a: 'A', 9: 'nine', 10: 'ten', b: 'B' };
    // JavaScript itself enumerates integer-like keys first, in numeric order.
    expect(Object.keys(t)).toEqual(['9', '10', 'a', 'b']);
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual(['ten', 'nine', 'A', 'B']);
    expect(def.keys).toEqual(['10', '9', 'a', 'b']);
    expect(String(def)).toBe('TreeDef({"10": *, "9": *, a: *, b: *})');
    expect(tree.unflatten(def, [1, 2, 3, 4])).toStrictEqual({ 10: 1, 9: 2, a: 3, b: 4 });
    expect(tree.leavesWithPath(t).map(([p]) => tree.keystr(p))).toEqual([
      '["10"]',
      '["9"]',
      '.a',
      '.b',
    ]);
  });

  test('keys sort by UTF-16 code units', () => {
    const t = { b: 1, B: 2, _: 3, $: 4, '': 5, é: 6, ab: 7 };
    expect(tree.structure(t).keys).toEqual(['', '$', 'B', '_', 'ab', 'b', 'é']);
    expect(tree.leaves(t)).toEqual([5, 4, 2, 3, 7, 1, 6]);
  });

  test('a "__proto__" key from JSON.parse round-trips as an own key', () => {
    const t = JSON.parse('{"__proto__": [1, 2], "a": 3}') as Record<string, unknown>;
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1, 2, 3]);
    expect(def.keys).toEqual(['__proto__', 'a']);
    const back = tree.unflatten<Record<string, unknown>>(def, [10, 20, 30]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual([10, 20]);
    expect(back).toStrictEqual(JSON.parse('{"__proto__": [10, 20], "a": 30}'));
    const mapped = tree.map((x: number) => x + 1, t);
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(mapped, '__proto__')?.value).toEqual([2, 3]);
  });

  test('keys named like Object.prototype members are ordinary keys', () => {
    const t = JSON.parse('{"constructor": 1, "toString": [2], "hasOwnProperty": 3}') as object;
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1, 3, 2]);
    expect(def.keys).toEqual(['constructor', 'hasOwnProperty', 'toString']);
    const back = tree.unflatten<Record<string, unknown>>(def, ['c', 'h', 't']);
    expect(Object.keys(back).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
    expect(back['constructor']).toBe('c');
    expect(Object.getOwnPropertyDescriptor(back, 'hasOwnProperty')?.value).toBe('h');
    expect(Object.getOwnPropertyDescriptor(back, 'toString')?.value).toEqual(['t']);
  });

  test('only own enumerable string keys are children', () => {
    const t: Record<string | symbol, unknown> = { a: 1 };
    t[Symbol('hidden')] = 2;
    Object.defineProperty(t, 'b', { value: 3, enumerable: false });
    expect(tree.leaves(t)).toEqual([1]);
    expect(String(tree.structure(t))).toBe('TreeDef({a: *})');
  });
});

describe('flatten: empty trees', () => {
  test.each([
    ['[]', [], 'TreeDef([])', 'array'],
    ['{}', {}, 'TreeDef({})', 'object'],
    ['null', null, 'TreeDef(null)', 'null'],
    ['undefined', undefined, 'TreeDef(undefined)', 'undefined'],
    ['[[], {}, [null]]', [[], {}, [null]], 'TreeDef([[], {}, [null]])', 'array'],
  ])('%s has no leaves', (_name, value, shown, kind) => {
    const [leaves, def] = tree.flatten(value);
    expect(leaves).toEqual([]);
    expect(def.numLeaves).toBe(0);
    expect(def.kind).toBe(kind);
    expect(String(def)).toBe(shown);
    expect(tree.unflatten(def, [])).toStrictEqual(value);
  });
});

describe('flatten: isLeaf', () => {
  test('isLeaf returning true for null makes nulls leaves', () => {
    const isNull = (x: unknown) => x === null;
    const t = { a: null, b: [null, 1], c: undefined };
    const [leaves, def] = tree.flatten(t, { isLeaf: isNull });
    expect(leaves).toEqual([null, null, 1]);
    expect(String(def)).toBe('TreeDef({a: *, b: [*, *], c: undefined})');
    expect(tree.unflatten(def, [1, 2, 3])).toStrictEqual({ a: 1, b: [2, 3], c: undefined });
  });

  test('isLeaf returning true for arrays stops flattening there', () => {
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    const a = [1, 2];
    const b = [3, 4];
    const [leaves, def] = tree.flatten({ p: a, q: [b] }, { isLeaf: isNumberList });
    expect(leaves).toHaveLength(2);
    expect(leaves[0]).toBe(a);
    expect(leaves[1]).toBe(b);
    expect(String(def)).toBe('TreeDef({p: *, q: [*]})');
  });

  test('isLeaf is asked about the root too, as in JAX', () => {
    const isPair = (x: unknown) => Array.isArray(x) && x.length === 2;
    const t = [
      [1, 2],
      [3, 4],
    ];
    const leaves: unknown[] = tree.leaves(t, { isLeaf: isPair });
    expect(leaves).toHaveLength(1);
    expect(leaves[0]).toBe(t);
    expect(tree.structure(t, { isLeaf: isPair }).isLeaf).toBe(true);
  });

  test('isLeaf is asked about every node in pre-order, leaves included', () => {
    const seen: unknown[] = [];
    const t = { b: [1], a: null };
    tree.flatten(t, {
      isLeaf: (x) => {
        seen.push(x);
        return false;
      },
    });
    expect(seen).toEqual([t, null, [1], 1]);
  });

  test('isLeaf and flatten functions are called once per node, deep trees included', () => {
    // 300 nested arrays around a Counted holding a Point with two leaves: 304 nodes.
    let flattened = 0;
    class Counted {
      constructor(readonly v: unknown) {}
    }
    tree.registerPytreeNode(
      Counted,
      (c) => {
        flattened++;
        return [[c.v], null];
      },
      (_aux, [v]) => new Counted(v),
    );
    let t: unknown = new Counted(new Point(1, 2));
    for (let i = 0; i < 300; i++) t = [t];
    let calls = 0;
    const leaves: unknown[] = tree.leaves(t, {
      isLeaf: () => {
        calls++;
        return false;
      },
    });
    expect(leaves).toEqual([1, 2]);
    expect(calls).toBe(304);
    expect(flattened).toBe(1);
  });

  test('isLeaf can make a registered node a leaf', () => {
    const p = new Point(1, 2);
    const leaves: unknown[] = tree.leaves([p, 3], { isLeaf: (x) => x instanceof Point });
    expect(leaves).toEqual([p, 3]);
    expect(leaves[0]).toBe(p);
  });
});

describe('flatten: shared references and cycles', () => {
  test('the same object at two paths is flattened twice', () => {
    const shared = [1, 2];
    const t = { a: shared, b: shared };
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1, 2, 1, 2]);
    expect(String(def)).toBe('TreeDef({a: [*, *], b: [*, *]})');
    const back = tree.unflatten<{ a: number[]; b: number[] }>(def, [5, 6, 7, 8]);
    expect(back).toStrictEqual({ a: [5, 6], b: [7, 8] });
    expect(back.a).not.toBe(back.b);
    expect(tree.leavesWithPath(t).map(([p]) => tree.keystr(p))).toEqual([
      '.a[0]',
      '.a[1]',
      '.b[0]',
      '.b[1]',
    ]);
  });

  test('a cycle through an array is rejected by flatten, naming the path', () => {
    const a: unknown[] = [1];
    a.push(a);
    const e = thrown(() => tree.flatten({ x: a }));
    expect(e).toBeInstanceOf(TreeStructureError);
    const err = e as TreeStructureError;
    expect(err.message).toBe(
      'flatten: the tree contains a cycle: .x[1] refers back to an enclosing array of length 2',
    );
    expect(tree.keystr(err.path)).toBe('.x[1]');
  });

  test('a cycle through an object is rejected by flattenWithPath, naming the path', () => {
    const o: Record<string, unknown> = { n: 1 };
    o.self = o;
    const e = thrown(() => tree.flattenWithPath([o]));
    expect(e).toBeInstanceOf(TreeStructureError);
    const err = e as TreeStructureError;
    expect(err.message).toBe(
      'flattenWithPath: the tree contains a cycle: [0].self refers back to an enclosing object with keys {n, self}',
    );
    expect(tree.keystr(err.path)).toBe('[0].self');
  });

  test('a cycle through a registered class is rejected', () => {
    const p = new Point(1, null);
    (p as { y: unknown }).y = [p];
    const e = thrown((): unknown[] => tree.leaves(p));
    expect(e).toBeInstanceOf(TreeStructureError);
    expect((e as Error).message).toBe(
      'leaves: the tree contains a cycle: [<flat index 1>][0] refers back to an enclosing Point',
    );
  });

  test('leaves, structure and map reject cycles too', () => {
    const a: unknown[] = [];
    a.push(a);
    expect((): unknown[] => tree.leaves(a)).toThrow(TreeStructureError);
    expect(() => tree.structure(a)).toThrow('structure: the tree contains a cycle: [0]');
    expect(() => tree.map((x: unknown) => x, { a })).toThrow(
      'map: the tree contains a cycle: .a[0] refers back',
    );
  });

  test('a cycle deep inside a tree is found and named', () => {
    const root: unknown[] = [];
    let node = root;
    for (let i = 0; i < 300; i++) {
      const child: unknown[] = [];
      node.push(child);
      node = child;
    }
    node.push(root);
    const e = thrown(() => tree.flatten(root));
    expect(e).toBeInstanceOf(TreeStructureError);
    expect((e as TreeStructureError).path).toHaveLength(301);
    expect(tree.keystr((e as TreeStructureError).path)).toBe('[0]'.repeat(301));
  });

  test('a deep tree without cycles flattens', () => {
    let t: unknown = 'bottom';
    for (let i = 0; i < 500; i++) t = { v: t };
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual(['bottom']);
    expect(def.numNodes).toBe(501);
    const pairs = tree.leavesWithPath(t);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]![0]).toHaveLength(500);
  });
});

describe('unflatten errors', () => {
  test('the wrong number of leaves names both counts', () => {
    const def = tree.structure([1, 2]);
    expect(() => tree.unflatten(def, [1, 2, 3])).toThrow(RangeError);
    expect(() => tree.unflatten(def, [1, 2, 3])).toThrow(
      'unflatten: the treedef has 2 leaves but 3 were given (TreeDef([*, *]))',
    );
    expect(() => tree.unflatten(def, [])).toThrow('the treedef has 2 leaves but 0 were given');
  });

  test('a first argument that is not a TreeDef', () => {
    expect(() => tree.unflatten({ numLeaves: 0 } as unknown as TreeDef, [])).toThrow(TypeError);
    expect(() => tree.unflatten({ numLeaves: 0 } as unknown as TreeDef, [])).toThrow(
      'unflatten: expected a TreeDef as the first argument, found object with keys {numLeaves}',
    );
    expect(() => tree.unflatten(null as unknown as TreeDef, [])).toThrow(
      'unflatten: expected a TreeDef as the first argument, found null',
    );
  });

  test('leaves that are not an array', () => {
    const def = tree.structure([1, 2]);
    expect(() => tree.unflatten(def, 'ab' as unknown as unknown[])).toThrow(TypeError);
    expect(() => tree.unflatten(def, 'ab' as unknown as unknown[])).toThrow(
      'unflatten: expected an array of leaves, found string "ab"',
    );
  });
});

describe('allLeaves', () => {
  test('true when every value is a leaf', () => {
    expect(tree.allLeaves([1, 'a', () => 0, new Float32Array(1), new Unregistered(1)])).toBe(true);
    expect(tree.allLeaves([])).toBe(true);
    expect(tree.allLeaves(new Set([1, 2]))).toBe(true);
  });

  test('false when a value is a node (null and undefined included)', () => {
    expect(tree.allLeaves([1, [2]])).toBe(false);
    expect(tree.allLeaves([1, {}])).toBe(false);
    expect(tree.allLeaves([null])).toBe(false);
    expect(tree.allLeaves([undefined])).toBe(false);
    expect(tree.allLeaves([new Point(1, 2)])).toBe(false);
  });

  test('isLeaf decides', () => {
    expect(tree.allLeaves([[1], [2]], { isLeaf: (x) => Array.isArray(x) })).toBe(true);
    expect(tree.allLeaves([null], { isLeaf: (x) => x === null })).toBe(true);
  });
});
