import * as tree from '../src/index.js';
import { thrown } from './fixtures.js';
import type { TreeDef } from '../src/index.js';
import { DictKey, SequenceKey, TreeStructureError } from '../src/index.js';

class Named {
  constructor(readonly v: unknown) {}
}

describe('TreeStructureError', () => {
  test('is an Error with a name, a message and a path', () => {
    const path = [new DictKey('a'), new SequenceKey(1)];
    const e = new TreeStructureError('op: something', path);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(TreeStructureError);
    expect(e.name).toBe('TreeStructureError');
    expect(e.message).toBe('op: something');
    expect(e.path).toBe(path);
    expect(tree.keystr(e.path)).toBe('.a[1]');
    expect(String(e)).toBe('TreeStructureError: op: something');
  });

  test.each<[string, () => unknown, string]>([
    ['map', () => tree.map((x: unknown) => x, { a: [1] }, { a: [1, 2] }), '.a'],
    ['mapWithPath', () => tree.mapWithPath((_p, x: unknown) => x, [[1]], [[1, 2]]), '[0]'],
    ['combine', () => tree.combine({ a: { b: [1] } }, { a: { b: 2 } }), '.a.b'],
    ['broadcast', () => tree.broadcast({ a: [1] }, { a: 1 }), '.a'],
    ['filter', () => tree.filter([1, [2]], [true, [true, false]]), '[1]'],
    ['partition', () => tree.partition({ x: 1 }, { y: true }), ''],
    ['transpose', () => tree.transpose(tree.structure([0, 0]), null, [{ a: 1 }, { b: 1 }]), '[1]'],
    [
      'flatten (cycle)',
      () => {
        const o: Record<string, unknown> = {};
        o.me = [o];
        return tree.flatten(o);
      },
      '.me[0]',
    ],
  ])('%s throws a TreeStructureError with the path', (op, f, path) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(TreeStructureError);
    const err = e as TreeStructureError;
    expect(err.message.startsWith(`${op.split(' ')[0]}: `)).toBe(true);
    expect(tree.keystr(err.path)).toBe(path);
    if (path !== '') expect(err.message).toContain(path);
    else expect(err.message).toContain('at the root');
  });
});

describe('values and nodes are described in messages', () => {
  const describeFound = (value: unknown) => {
    const e = thrown(() => tree.map((x: unknown) => x, { a: [1] }, { a: value }));
    const prefix = 'map: tree structures differ at .a: tree 0 has array of length 1, tree 1 has ';
    const message = (e as Error).message;
    expect(message.startsWith(prefix)).toBe(true);
    return message.slice(prefix.length);
  };

  function named() {
    return 0;
  }

  test.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', 2.5, 'number 2.5'],
    ['NaN', NaN, 'number NaN'],
    ['a boolean', true, 'boolean true'],
    ['a bigint', 5n, 'bigint 5'],
    ['a short string', 'abc', 'string "abc"'],
    ['a long string, shortened', 'a'.repeat(30), `string "${'a'.repeat(20)}…"`],
    ['a named function', named, 'function named'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
    ['an array', [1, 2, 3], 'array of length 3'],
    ['an object', { b: 1, a: 2 }, 'object with keys {a, b}'],
    ['an empty object', {}, 'object with keys {}'],
    [
      'an object with many keys',
      Object.fromEntries('abcdefghij'.split('').map((k) => [k, 0])),
      'object with keys {a, b, c, d, e, f, g, h, … (10 keys)}',
    ],
    ['a typed array', new Float32Array(2), 'Float32Array'],
    ['a Date', new Date(0), 'Date'],
    ['a class instance', new Named(1), 'Named'],
    [
      'a null-prototype object',
      Object.assign(Object.create(null) as object, { k: 1 }),
      'object with keys {k}',
    ],
  ])('%s', (_name, value, description) => {
    expect(describeFound(value)).toBe(description);
  });

  test('a node with many keys on the first side', () => {
    const big = Object.fromEntries('abcdefghij'.split('').map((k) => [k, 0]));
    expect(() => tree.map((x: unknown) => x, big, {})).toThrow(
      'map: tree structures differ at the root: tree 0 has object with keys {a, b, c, d, e, f, g, h, … (10 keys)}, tree 1 has object with keys {}',
    );
  });
});

describe('error types for bad arguments', () => {
  test('TypeError and RangeError where the argument is wrong, not the structure', () => {
    expect(thrown(() => tree.unflatten('x' as unknown as TreeDef, []))).toBeInstanceOf(TypeError);
    expect(thrown(() => tree.unflatten(tree.structure([1]), [1, 2]))).toBeInstanceOf(RangeError);
    expect(thrown(() => tree.reduce((a: number) => a, []))).toBeInstanceOf(TypeError);
    expect(thrown(() => tree.treeAt(() => 5, [1], 0))).toBeInstanceOf(TypeError);
    expect(thrown(() => tree.filter([1], [2]))).toBeInstanceOf(TypeError);
    expect(thrown(() => tree.transpose(tree.structure([]), null, []))).toBeInstanceOf(TypeError);
  });

  test('every message starts with the name of the operation', () => {
    const messages = [
      () => tree.unflatten('x' as unknown as TreeDef, []),
      () => tree.unflatten(tree.structure([1]), [1, 2]),
      () => tree.reduce((a: number) => a, []),
      () => tree.treeAt(() => 5, [1], 0),
      () => tree.filter([1], [2]),
      () => tree.partition([1], [2]),
      () => tree.transpose(tree.structure([]), null, []),
      () => tree.treeEqual(),
    ].map((f) => (thrown(f) as Error).message.split(':')[0]);
    expect(messages).toEqual([
      'unflatten',
      'unflatten',
      'reduce',
      'treeAt',
      'filter',
      'partition',
      'transpose',
      'treeEqual',
    ]);
  });
});

describe('bad options', () => {
  test('an isLeaf that is not a function is named in the error', () => {
    const bad = { isLeaf: 3 as unknown as tree.IsLeaf };
    expect(() => tree.flatten([1], bad)).toThrow(TypeError);
    expect(() => tree.flatten([1], bad)).toThrow(/^flatten: .*isLeaf/);
  });
});

describe('very deep trees', () => {
  test('a tree nested too deeply for the walk is a TreeStructureError, not a stack overflow', () => {
    let t: unknown = 1;
    for (let i = 0; i < 20000; i++) t = [t];
    const e = thrown(() => tree.flatten(t));
    expect(e).toBeInstanceOf(TreeStructureError);
    expect((e as Error).message).toMatch(/^flatten: /);
  });

  /** `depth` nested containers, alternating arrays and objects, around one leaf. */
  const deep = (depth: number, leaf: unknown) => {
    let t: unknown = leaf;
    for (let i = 0; i < depth; i++) t = i % 2 === 0 ? [t] : { v: t };
    return t;
  };

  test('a tree 1500 levels deep flattens, maps and splits', () => {
    const t = deep(1500, 1);
    const u = deep(1500, 2);
    expect(tree.leaves(tree.map((x: number, y: number) => x + y, t, u))).toEqual([3]);
    expect(tree.structure(t).numNodes).toBe(1501);
    const [a, b] = tree.partition(t, true);
    expect(tree.leaves(tree.combine(a, b))).toEqual([1]);
    expect(tree.leaves(tree.treeAt((m) => m, t, [5]))).toEqual([5]);
    expect(tree.leavesWithPath(t)[0]![0]).toHaveLength(1500);
  });

  test('a tree 1500 levels deep has a treedef key, and compares', () => {
    const t = deep(1500, 1);
    const u = deep(1500, 2);
    expect(typeof tree.structure(t).key).toBe('string');
    expect(tree.structure(t).equals(tree.structure(u))).toBe(true);
    expect(tree.structure(t).equals(tree.structure(deep(1499, 1)))).toBe(false);
    expect(tree.treeEqual(t, t)).toBe(true);
    expect(tree.treeEqual(t, u)).toBe(false);
  });
});
