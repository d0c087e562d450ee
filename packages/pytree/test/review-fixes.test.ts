// Behaviour added after review: each test pins one case that was once wrong.
import { runInNewContext } from 'node:vm';
import * as tree from '../src/index.js';
import { GetAttrKey, TreeStructureError } from '../src/index.js';

describe('registration along the prototype chain', () => {
  test("an exact registration in between does not hide a base's registration for subclasses", () => {
    abstract class Base {
      constructor(readonly x: number) {}
    }
    tree.registerPytreeWithKeys(
      Base,
      (b) => [[[new GetAttrKey('x'), b.x]], null],
      (_aux, [x], type) => {
        const node = Object.create(type.prototype as object) as { x: unknown };
        node.x = x;
        return node as Base;
      },
      { subclasses: true },
    );
    class Middle extends Base {}
    tree.registerPytreeNode(
      Middle,
      (m) => [[m.x], 'middle'],
      (_aux, [x]) => new Middle(x as number),
    );
    class Leafward extends Middle {}
    expect(tree.leaves(new Leafward(7))).toStrictEqual([7]);
    expect(tree.structure(new Leafward(7)).type).toBe(Leafward);
    expect(tree.structure(new Middle(7)).aux).toBe('middle');
  });
});

describe('registerDataclass field check', () => {
  test('a field in neither list is an error naming the class and the field, not a silent loss', () => {
    class Linear {
      weight = [1, 2];
      bias = [0];
      inFeatures = 2;
    }
    tree.registerDataclass(Linear, { dataFields: ['weight', 'bias'] });
    expect(() => tree.map((x: number) => x, new Linear())).toThrow(
      'registerDataclass: Linear has a field "inFeatures" that is in neither dataFields nor metaFields',
    );
  });

  test('a subclass with an extra field is caught the same way', () => {
    class Base {
      w = 1;
    }
    tree.registerDataclass(Base, { dataFields: ['w'] }, { subclasses: true });
    class Extra extends Base {
      extra = 2;
    }
    expect((): unknown[] => tree.leaves(new Extra())).toThrow('Extra has a field "extra"');
    expect(tree.leaves(new Base())).toStrictEqual([1]);
  });
});

describe('objects from another realm', () => {
  test('a vm-context object literal and array are nodes, and round-trip', () => {
    const foreign = runInNewContext('({ b: [2, 3], a: 1 })') as { a: number; b: number[] };
    expect(String(tree.structure(foreign))).toBe('TreeDef({a: *, b: [*, *]})');
    expect(tree.map((x: number) => x * 10, foreign)).toStrictEqual({ a: 10, b: [20, 30] });
  });
});

describe('objects with many keys', () => {
  test('keys are sorted as strings whatever their number, and flattening stays fast', () => {
    const big: Record<string, number> = {};
    for (let i = 19999; i >= 0; i--) big[`k${i}`] = i;
    const start = Date.now();
    const leaves = tree.leaves(big) as number[];
    // Not a speed assertion: quadratic sorting of 20,000 keys took seconds; this only keeps it linear-ish
    // with a bound two orders of magnitude above the expected time.
    expect(Date.now() - start).toBeLessThan(5000);
    expect(leaves.slice(0, 4)).toStrictEqual([0, 1, 10, 100]);
    expect(leaves).toHaveLength(20000);
  });

  test('13 numeric-like keys come in string order', () => {
    const o = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [String(i), i]));
    expect(tree.leaves(o)).toStrictEqual([0, 1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('static data that contains itself', () => {
  class Tagged {
    constructor(
      readonly v: number,
      readonly tag: unknown,
    ) {}
  }
  tree.registerPytreeNode(
    Tagged,
    (t) => [[t.v], t.tag],
    (tag, [v]) => new Tagged(v as number, tag),
  );

  test('equals and key agree: by identity for the cyclic part', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const a = tree.structure(new Tagged(1, cyclic));
    const b = tree.structure(new Tagged(2, cyclic));
    expect(a.equals(b)).toBe(true);
    expect(a.key).toBe(b.key);
    const other: Record<string, unknown> = { name: 'c' };
    other.self = other;
    const c = tree.structure(new Tagged(1, other));
    expect(a.equals(c)).toBe(false);
    expect(a.key === c.key).toBe(false);
    expect(String(a)).toContain('Tagged<');
  });
});

describe('treeAt with many selections', () => {
  test('selecting every other leaf of a long list replaces exactly those', () => {
    const list = Array.from({ length: 2000 }, (_, i) => ({ w: i, b: -i }));
    const out = tree.treeAt((t) => t.map((layer) => layer.w), list, {
      replaceFn: (w: number) => w + 0.5,
    });
    expect(out[0]).toStrictEqual({ w: 0.5, b: -0 });
    expect(out[1999]).toStrictEqual({ w: 1999.5, b: -1999 });
    expect(list[5]).toStrictEqual({ w: 5, b: -5 });
  });

  test('a node and one inside it, far apart in the list of selections, are rejected', () => {
    const t = { a: { b: [1, 2, 3] }, c: 4 };
    expect(() => tree.treeAt((x) => [x.c, x.a.b[2], x.a], t, [0, 0, 0])).toThrow(
      'treeAt: `where` selected a node and also a node inside it',
    );
  });
});

describe('error messages stay short', () => {
  test('unflatten with the wrong number of leaves clips the treedef', () => {
    const def = tree.structure(Array.from({ length: 5000 }, (_, i) => i));
    const message = (() => {
      try {
        tree.unflatten(def, [1]);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(
      /^unflatten: the treedef has 5000 leaves but 1 were given \(TreeDef\(\[\*/,
    );
    expect(message.length).toBeLessThan(300);
  });

  test('a tree nested too deeply is reported with a clipped path', () => {
    let t: unknown = 1;
    for (let i = 0; i < 2100; i++) t = [t];
    try {
      tree.leaves(t);
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(TreeStructureError);
      const err = e as TreeStructureError;
      expect(err.message).toMatch(
        /^leaves: the tree is nested more than 2000 levels deep at \[0\]/,
      );
      expect(err.message.length).toBeLessThan(300);
      expect(err.path).toHaveLength(2000);
    }
  });
});

describe('options of multi-tree functions', () => {
  test('an option value of the wrong type makes the last argument a tree', () => {
    expect(tree.map((a: number, b: number) => a + b, { isLeaf: 1 }, { isLeaf: 2 })).toStrictEqual({
      isLeaf: 3,
    });
  });

  test('a last argument shaped like the first tree and valid as options is ambiguous', () => {
    const f = () => false;
    expect(() => tree.map((x: unknown) => x, { isLeaf: f }, { isLeaf: f })).toThrow(
      'map: the last argument (object with keys {isLeaf}) could be options or a tree shaped like the first one',
    );
    expect(tree.combine({ isLeaf: null }, { isLeaf: f }, { isLeaf: undefined })).toStrictEqual({
      isLeaf: f,
    });
  });

  test('map and reduce name a non-function f', () => {
    expect(() => tree.map(5 as never, [1])).toThrow('map: `f` must be a function, found number 5');
    expect(() => tree.reduce(null as never, [1])).toThrow(
      'reduce: `f` must be a function, found null',
    );
  });
});

describe('flattenUpTo', () => {
  test('returns the subtrees under the leaves of a treedef', () => {
    const def = tree.structure({ a: 0, b: 0 });
    expect(tree.flattenUpTo(def, { a: [1, 2], b: { c: 3 } })).toStrictEqual([[1, 2], { c: 3 }]);
  });

  test('names the path of a mismatch and rejects a non-treedef', () => {
    const def = tree.structure({ a: [0, 0] });
    expect(() => tree.flattenUpTo(def, { a: [1] })).toThrow(
      'flattenUpTo: tree structures differ at .a: the treedef has array of length 2, the tree has array of length 1',
    );
    expect(() => tree.flattenUpTo({} as never, 1)).toThrow(
      'flattenUpTo: expected a TreeDef as treedef, found object with keys {}',
    );
  });
});

describe('TreeDef.equals with something that is not a TreeDef', () => {
  test('is false rather than an error', () => {
    const lookalike = { kind: 'leaf', children: [], numLeaves: 1, numNodes: 1 };
    expect(tree.structure(1).equals(lookalike as never)).toBe(false);
  });
});
