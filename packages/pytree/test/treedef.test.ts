import * as tree from '../src/index.js';
import { TreeDef } from '../src/index.js';
import { Point } from './fixtures.js';

class OtherPt {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
tree.registerPytreeNode(
  OtherPt,
  (p) => [[p.x, p.y], null],
  (_aux, [x, y]) => new OtherPt(x, y),
);

/** A node whose auxiliary data is anything we like. */
class Tagged {
  constructor(
    readonly tag: unknown,
    readonly value: unknown,
  ) {}
}
tree.registerPytreeNode(
  Tagged,
  (t) => [[t.value], t.tag],
  (tag, [value]) => new Tagged(tag, value),
);

describe('TreeDef counts and parts', () => {
  test('numLeaves and numNodes, null counted as a node as in JAX', () => {
    const def = tree.structure({ a: null, b: [1, 2] });
    expect(def.numLeaves).toBe(2);
    // root, null, array, two leaves
    expect(def.numNodes).toBe(5);
  });

  test.each([
    ['a leaf', 5, 1, 1],
    ['null', null, 0, 1],
    ['undefined', undefined, 0, 1],
    ['[]', [], 0, 1],
    ['{}', {}, 0, 1],
    ['[null, undefined]', [null, undefined], 0, 3],
    ['a registered node', new Point(1, [2, null]), 2, 5],
    ['nested', { a: [{ b: 1 }, [2, [3]]] }, 3, 8],
  ])('%s', (_name, value, numLeaves, numNodes) => {
    const def = tree.structure(value);
    expect(def.numLeaves).toBe(numLeaves);
    expect(def.numNodes).toBe(numNodes);
  });

  test('kind, children, keys, aux, type and isLeaf', () => {
    const def = tree.structure([1, { b: null, a: undefined }, new Tagged('t', 2)]);
    expect(def.kind).toBe('array');
    expect(def.isLeaf).toBe(false);
    expect(def.children).toHaveLength(3);
    const [leaf, object, custom] = def.children;
    expect(leaf!.kind).toBe('leaf');
    expect(leaf!.isLeaf).toBe(true);
    expect(leaf!.children).toEqual([]);
    expect(object!.kind).toBe('object');
    expect(object!.keys).toEqual(['a', 'b']);
    expect(object!.children.map((c) => c.kind)).toEqual(['undefined', 'null']);
    expect(object!.children.map((c) => c.isLeaf)).toEqual([false, false]);
    expect(custom!.kind).toBe('custom');
    expect(custom!.type).toBe(Tagged);
    expect(custom!.aux).toBe('t');
    expect(custom!.children.map((c) => c.kind)).toEqual(['leaf']);
  });

  test('the static treedefs', () => {
    expect(TreeDef.leaf.kind).toBe('leaf');
    expect(TreeDef.leaf.isLeaf).toBe(true);
    expect(TreeDef.leaf.numLeaves).toBe(1);
    expect(TreeDef.null.kind).toBe('null');
    expect(TreeDef.null.numLeaves).toBe(0);
    expect(TreeDef.null.numNodes).toBe(1);
    expect(TreeDef.undefined.kind).toBe('undefined');
    expect(TreeDef.undefined.numLeaves).toBe(0);
    expect(tree.structure(7).equals(TreeDef.leaf)).toBe(true);
    expect(tree.structure(null).equals(TreeDef.null)).toBe(true);
    expect(tree.structure(undefined).equals(TreeDef.undefined)).toBe(true);
  });
});

describe('TreeDef equality and key', () => {
  /** Asserts `equals` both ways, and that `key` agrees with it. */
  function expectSame(a: unknown, b: unknown, same: boolean): void {
    const da = tree.structure(a);
    const db = tree.structure(b);
    expect(da.equals(db)).toBe(same);
    expect(db.equals(da)).toBe(same);
    expect(da.key === db.key).toBe(same);
    expect(typeof da.key).toBe('string');
  }

  test('same structure, different leaves', () => {
    expectSame([1, { a: 2 }], ['x', { a: 'y' }], true);
    expectSame({ a: 1, b: 2 }, { b: 3, a: 4 }, true);
    expectSame(new Point(1, 2), new Point('a', 'b'), true);
    expectSame(null, null, true);
  });

  test('object keys differ', () => {
    expectSame({ a: 1 }, { b: 1 }, false);
    expectSame({ a: 1 }, { a: 1, b: 2 }, false);
    expectSame({ a: 1, b: null }, { a: 1 }, false);
    expectSame({ '1': 1 }, { '01': 1 }, false);
  });

  test('array lengths differ', () => {
    expectSame([1, 2], [1, 2, 3], false);
    expectSame([], [null], false);
    expectSame([[1, 2]], [[1], [2]], false);
  });

  test('null vs undefined vs leaf vs empty containers', () => {
    expectSame(null, undefined, false);
    expectSame([null], [undefined], false);
    expectSame({ a: null }, { a: 1 }, false);
    expectSame([], {}, false);
    expectSame([1], { 0: 1 }, false);
    expectSame([], null, false);
  });

  test('classes differ', () => {
    expectSame(new Point(1, 2), new OtherPt(1, 2), false);
    expectSame(new Point(1, 2), [1, 2], false);
    expectSame(new Point(1, 2), { x: 1, y: 2 }, false);
  });

  test('auxiliary data is compared by value when it is plain data', () => {
    expectSame(new Tagged('a', 1), new Tagged('a', 2), true);
    expectSame(new Tagged('a', 1), new Tagged('b', 1), false);
    expectSame(new Tagged(1, 0), new Tagged('1', 0), false);
    expectSame(new Tagged(null, 0), new Tagged(undefined, 0), false);
    expectSame(new Tagged(1n, 0), new Tagged(1, 0), false);
    expectSame(new Tagged(true, 0), new Tagged('true', 0), false);
    expectSame(new Tagged([1, 'a'], 0), new Tagged([1, 'a'], 0), true);
    expectSame(new Tagged([1, 'a'], 0), new Tagged([1, 'b'], 0), false);
    expectSame(new Tagged({ n: 1, s: ['x'] }, 0), new Tagged({ s: ['x'], n: 1 }, 0), true);
    expectSame(new Tagged({ n: 1 }, 0), new Tagged({ n: 2 }, 0), false);
    expectSame(new Tagged({ n: 1 }, 0), new Tagged({ m: 1 }, 0), false);
    expectSame(new Tagged({ a: undefined }, 0), new Tagged({}, 0), false);
  });

  test('auxiliary data that is not plain data is compared by identity', () => {
    const date = new Date(0);
    expectSame(new Tagged(date, 0), new Tagged(date, 1), true);
    expectSame(new Tagged(date, 0), new Tagged(new Date(0), 0), false);
    const f = () => 1;
    expectSame(new Tagged(f, 0), new Tagged(f, 0), true);
    expectSame(new Tagged(f, 0), new Tagged(() => 1, 0), false);
    const s = Symbol('s');
    expectSame(new Tagged(s, 0), new Tagged(s, 0), true);
    expectSame(new Tagged(s, 0), new Tagged(Symbol('s'), 0), false);
    expectSame(new Tagged([date], 0), new Tagged([new Date(0)], 0), false);
  });

  test('NaN auxiliary data: a treedef equals another made from the same kind of value', () => {
    expectSame(new Tagged(NaN, 0), new Tagged(NaN, 1), true);
    expectSame(new Tagged([NaN], 0), new Tagged([NaN], 1), true);
    expectSame(new Tagged(NaN, 0), new Tagged(0, 1), false);
    const def = tree.structure(new Tagged(NaN, 0));
    expect(def.equals(def)).toBe(true);
  });

  test('-0 and 0 auxiliary data: key agrees with equals, each equals itself', () => {
    const zero = tree.structure(new Tagged(0, 1));
    const negZero = tree.structure(new Tagged(-0, 1));
    expect(zero.equals(negZero)).toBe(zero.key === negZero.key);
    expect(negZero.equals(tree.structure(new Tagged(-0, 2)))).toBe(true);
    expect(zero.equals(tree.structure(new Tagged(0, 2)))).toBe(true);
  });

  test('multi-tree functions accept two trees exactly when their treedefs are equal', () => {
    const accepts = (a: unknown, b: unknown) => {
      try {
        tree.map((x: unknown) => x, a, b);
        return true;
      } catch {
        return false;
      }
    };
    const cases: [unknown, unknown][] = [
      [new Tagged(0, 1), new Tagged(-0, 1)],
      [new Tagged(NaN, 1), new Tagged(NaN, 1)],
      [new Tagged([0], 1), new Tagged([-0], 1)],
      [new Tagged({ k: 'a' }, 1), new Tagged({ k: 'a' }, 1)],
      [new Tagged('a', 1), new Tagged('b', 1)],
    ];
    for (const [a, b] of cases) {
      expect([a, b, accepts(a, b)]).toEqual([a, b, tree.structure(a).equals(tree.structure(b))]);
    }
  });

  test('key works as a Map key for caching per structure', () => {
    const cache = new Map<string, string>();
    cache.set(tree.structure({ a: [1, 2], b: null }).key, 'first');
    cache.set(tree.structure([1]).key, 'second');
    expect(cache.get(tree.structure({ b: null, a: [5, 6] }).key)).toBe('first');
    expect(cache.get(tree.structure(['z']).key)).toBe('second');
    expect(cache.get(tree.structure({ a: [1, 2], b: undefined }).key)).toBeUndefined();
  });
});

describe('TreeDef.toString', () => {
  test.each([
    [1, 'TreeDef(*)'],
    [null, 'TreeDef(null)'],
    [undefined, 'TreeDef(undefined)'],
    [[], 'TreeDef([])'],
    [{}, 'TreeDef({})'],
    [{ layers: [1, 2], bias: null }, 'TreeDef({bias: null, layers: [*, *]})'],
    [{ 'odd key': 1, a: [2, null] }, 'TreeDef({a: [*, null], "odd key": *})'],
    [{ '0': 1, $ok: 2 }, 'TreeDef({$ok: *, "0": *})'],
    [[new Point(1, 2)], 'TreeDef([Point[*, *]])'],
    [new Tagged('relu', [1]), 'TreeDef(Tagged<"relu">[[*]])'],
    [new Tagged({ n: 2 }, 1), 'TreeDef(Tagged<{"n":2}>[*])'],
  ])('%p', (value, shown) => {
    expect(tree.structure(value).toString()).toBe(shown);
    expect(String(tree.structure(value))).toBe(shown);
  });
});

describe('TreeDef constructed by hand', () => {
  test("new TreeDef('array', [leaf, leaf]) is the structure of [x, y]", () => {
    const def = new TreeDef('array', [TreeDef.leaf, TreeDef.leaf]);
    expect(def.numLeaves).toBe(2);
    expect(def.numNodes).toBe(3);
    expect(def.equals(tree.structure([1, 2]))).toBe(true);
    expect(def.key).toBe(tree.structure(['a', 'b']).key);
    expect(def.equals(tree.structure([1, 2, 3]))).toBe(false);
    expect(String(def)).toBe('TreeDef([*, *])');
    expect(tree.unflatten(def, ['x', 'y'])).toStrictEqual(['x', 'y']);
  });

  test('an object treedef with its sorted keys', () => {
    const def = new TreeDef('object', [TreeDef.leaf, TreeDef.null], ['a', 'b']);
    expect(def.equals(tree.structure({ b: null, a: 1 }))).toBe(true);
    expect(tree.unflatten(def, [7])).toStrictEqual({ a: 7, b: null });
  });

  test('nested hand-built treedefs', () => {
    const inner = new TreeDef('array', [TreeDef.leaf, TreeDef.undefined]);
    const def = new TreeDef('array', [inner, TreeDef.leaf]);
    expect(def.numLeaves).toBe(2);
    expect(def.numNodes).toBe(5);
    expect(def.equals(tree.structure([[0, undefined], 0]))).toBe(true);
    expect(tree.unflatten(def, [1, 2])).toStrictEqual([[1, undefined], 2]);
  });
});
