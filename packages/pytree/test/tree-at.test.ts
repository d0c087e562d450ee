import * as tree from '../src/index.js';
import { KeyedPoint } from './fixtures.js';

class Activation {
  constructor(readonly name: string) {}
}
tree.registerStatic(Activation);

interface Layer {
  w: number;
  b: number | null;
}
interface Model {
  layers: Layer[];
  name: string;
}

const makeModel = (): Model => ({
  layers: [
    { w: 1, b: null },
    { w: 2, b: 3 },
  ],
  name: 'mlp',
});

describe('treeAt: selecting and replacing', () => {
  test('a single leaf', () => {
    expect(tree.treeAt((m) => m.layers[1]!.w, makeModel(), 20)).toStrictEqual({
      layers: [
        { w: 1, b: null },
        { w: 20, b: 3 },
      ],
      name: 'mlp',
    });
  });

  test('a null subtree', () => {
    expect(tree.treeAt((m) => m.layers[0]!.b, makeModel(), 5)).toStrictEqual({
      layers: [
        { w: 1, b: 5 },
        { w: 2, b: 3 },
      ],
      name: 'mlp',
    });
  });

  test('an undefined subtree', () => {
    const t: { a: number[] | undefined; b: number } = { a: undefined, b: 1 };
    expect(tree.treeAt((m) => m.a, t, [1, 2])).toStrictEqual({ a: [1, 2], b: 1 });
  });

  test('a leaf replaced by null or by a subtree', () => {
    expect(tree.treeAt((m) => m.name, makeModel(), null)).toStrictEqual({
      layers: [
        { w: 1, b: null },
        { w: 2, b: 3 },
      ],
      name: null,
    });
    expect(tree.treeAt((m: { a: unknown }) => m.a, { a: 1 }, { deep: [1] })).toStrictEqual({
      a: { deep: [1] },
    });
  });

  test('several nodes, with an array of replacements', () => {
    expect(
      tree.treeAt((m) => [m.layers[0]!.w, m.layers[1]!.b, m.name], makeModel(), [10, 30, 'net']),
    ).toStrictEqual({
      layers: [
        { w: 10, b: null },
        { w: 2, b: 30 },
      ],
      name: 'net',
    });
  });

  test('replacements follow the order of where, not of the tree', () => {
    expect(
      tree.treeAt((m) => [m.layers[1]!.w, m.layers[0]!.w], makeModel(), ['second', 'first']),
    ).toStrictEqual({
      layers: [
        { w: 'first', b: null },
        { w: 'second', b: 3 },
      ],
      name: 'mlp',
    });
  });

  test('replaceFn gets each selected node', () => {
    const seen: unknown[] = [];
    const out = tree.treeAt((m) => [m.layers[0]!.w, m.layers[1]!.w, m.layers[0]!.b], makeModel(), {
      replaceFn: (x: unknown) => {
        seen.push(x);
        return x === null ? 0 : (x as number) * 10;
      },
    });
    expect(out).toStrictEqual({
      layers: [
        { w: 10, b: 0 },
        { w: 20, b: 3 },
      ],
      name: 'mlp',
    });
    expect(seen).toEqual([1, 2, null]);
  });

  test('replaceFn with a single node gets the original subtree', () => {
    const model = makeModel();
    const out = tree.treeAt((m) => m.layers[1]!, model, {
      replaceFn: (layer: unknown) => {
        expect(layer).toBe(model.layers[1]);
        return { ...(layer as Layer), b: -1 };
      },
    });
    expect(out.layers[1]).toStrictEqual({ w: 2, b: -1 });
  });

  test('an internal subtree: an object, an array, the root', () => {
    expect(tree.treeAt((m) => m.layers[0]!, makeModel(), 'gone')).toStrictEqual({
      layers: ['gone', { w: 2, b: 3 }],
      name: 'mlp',
    });
    expect(tree.treeAt((m) => m.layers, makeModel(), [])).toStrictEqual({
      layers: [],
      name: 'mlp',
    });
    expect(tree.treeAt((m) => m.layers, makeModel(), ['x', 'y', 'z'])).toStrictEqual({
      layers: ['x', 'y', 'z'],
      name: 'mlp',
    });
    expect(tree.treeAt((m) => m, makeModel(), 0)).toBe(0);
    expect(tree.treeAt((x) => x, 5, 6)).toBe(6);
    expect(tree.treeAt((x) => x, null, 6)).toBe(6);
  });

  test('a registered node: inside it, and the whole node', () => {
    const t = { p: new KeyedPoint(1, [2, 3]), q: 4 };
    const inside = tree.treeAt((m) => (m.p.y as number[])[1], t, 30);
    expect(inside).toStrictEqual({ p: new KeyedPoint(1, [2, 30]), q: 4 });
    expect(inside.p).toBeInstanceOf(KeyedPoint);
    expect(tree.treeAt((m) => m.p, t, 'whole')).toStrictEqual({ p: 'whole', q: 4 });
    expect(tree.treeAt((m) => m.p.y, t, null)).toStrictEqual({ p: new KeyedPoint(1, null), q: 4 });
  });

  test('a static node', () => {
    const relu = new Activation('relu');
    const tanh = new Activation('tanh');
    const out = tree.treeAt((m) => m.act, { act: relu, w: 1 }, tanh);
    expect(out.act).toBe(tanh);
    expect(out.w).toBe(1);
  });

  test('a static instance at two places does not stop selecting other nodes', () => {
    const relu = new Activation('relu');
    const out = tree.treeAt((m) => m.w, { a: relu, b: relu, w: 1 }, 2);
    expect(out.a).toBe(relu);
    expect(out.b).toBe(relu);
    expect(out.w).toBe(2);
  });

  test('isLeaf option: selected nodes are the leaves isLeaf makes', () => {
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    const t = { a: [1, 2], b: 3 };
    const out = tree.treeAt(
      (m) => m.a,
      t,
      { replaceFn: (x: unknown) => (x as number[]).length },
      { isLeaf: isNumberList },
    );
    expect(out).toStrictEqual({ a: 2, b: 3 });
    // With [1, 2] a leaf, its elements are not nodes of the tree.
    expect(() => tree.treeAt((m) => m.a[0], t, 0, { isLeaf: isNumberList })).toThrow(
      'treeAt: `where` returned undefined, which is not a node of the tree',
    );
    expect(tree.treeAt((m) => m.a[0], t, 0)).toStrictEqual({ a: [0, 2], b: 3 });
  });

  test('where works on odd keys and "__proto__"', () => {
    const t = JSON.parse('{"__proto__": [1], "odd key": 2}') as Record<string, unknown>;
    const out = tree.treeAt((m) => (m['__proto__'] as unknown[])[0], t, 9);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual([9]);
    expect(out['odd key']).toBe(2);
    expect(tree.treeAt((m) => m['odd key'], t, 3)['odd key']).toBe(3);
  });
});

describe('treeAt is out of place', () => {
  test('the original is untouched', () => {
    const model = makeModel();
    tree.treeAt((m) => [m.layers[0]!.b, m.layers[1]!.w], model, [5, 6]);
    expect(model).toStrictEqual(makeModel());
  });

  test('untouched subtrees are shared by identity, touched ones are new', () => {
    const model = makeModel();
    const out = tree.treeAt((m) => m.layers[1]!.w, model, 20);
    expect(out).not.toBe(model);
    expect(out.layers).not.toBe(model.layers);
    expect(out.layers[1]).not.toBe(model.layers[1]);
    expect(out.layers[0]).toBe(model.layers[0]);
  });

  test('a shared object: only the selected place changes', () => {
    const shared = [1, 2];
    const t = { a: shared, b: shared };
    const out = tree.treeAt((m) => m.a[0], t, 9);
    expect(out).toStrictEqual({ a: [9, 2], b: [1, 2] });
    expect(out.b).toBe(shared);
    expect(shared).toEqual([1, 2]);
  });

  test('leaves keep their identity', () => {
    const big = new Float32Array(3);
    const out = tree.treeAt((m) => m.b, { a: big, b: 1 }, 2);
    expect(out.a).toBe(big);
  });
});

describe('treeAt errors', () => {
  test('where selecting nothing', () => {
    expect(() => tree.treeAt(() => [], makeModel(), [])).toThrow(TypeError);
    expect(() => tree.treeAt(() => [], makeModel(), [])).toThrow(
      'treeAt: `where` selected no nodes',
    );
  });

  test('where returning a computed value', () => {
    expect(() => tree.treeAt((m) => m.layers.length, makeModel(), 0)).toThrow(TypeError);
    expect(() => tree.treeAt((m) => m.layers.length, makeModel(), 0)).toThrow(
      'treeAt: `where` returned number 2, which is not a node of the tree',
    );
    expect(() => tree.treeAt((m) => ({ ...m.layers[0] }), makeModel(), 0)).toThrow(
      'treeAt: `where` returned object with keys {b, w}, which is not a node of the tree',
    );
    expect(() =>
      tree.treeAt((m) => (m as unknown as { nope: unknown }).nope, makeModel(), 0),
    ).toThrow('treeAt: `where` returned undefined, which is not a node of the tree');
  });

  test('where returning a node of a different tree', () => {
    const model = makeModel();
    expect(() => tree.treeAt(() => model.layers[0], model, 0)).toThrow(
      'which is not a node of the tree',
    );
  });

  test('an item of the returned array that is not a node', () => {
    expect(() => tree.treeAt((m) => [m.name, 3], makeModel(), [1, 2])).toThrow(
      'treeAt: item 1 returned by `where` is number 3, which is not a node of the tree',
    );
  });

  test('the same node twice', () => {
    expect(() => tree.treeAt((m) => [m.name, m.name], makeModel(), [1, 2])).toThrow(
      'treeAt: `where` selected the same node twice',
    );
  });

  test('a node and a node inside it, in either order', () => {
    expect(() => tree.treeAt((m) => [m.layers, m.layers[0]!.w], makeModel(), [1, 2])).toThrow(
      'treeAt: `where` selected a node and also a node inside it',
    );
    expect(() => tree.treeAt((m) => [m.layers[0]!, m.layers], makeModel(), [1, 2])).toThrow(
      'treeAt: `where` selected a node and also a node inside it',
    );
  });

  test('replace of the wrong length', () => {
    expect(() => tree.treeAt((m) => [m.name, m.layers[0]!.w], makeModel(), [1])).toThrow(
      'treeAt: `where` selected 2 nodes, so `replace` must be an array of 2 replacements, found array of length 1',
    );
    expect(() => tree.treeAt((m) => [m.name, m.layers[0]!.w], makeModel(), 5)).toThrow(
      'treeAt: `where` selected 2 nodes, so `replace` must be an array of 2 replacements, found number 5',
    );
  });

  test('where that is not a function', () => {
    expect(() => tree.treeAt('name' as unknown as (m: Model) => unknown, makeModel(), 0)).toThrow(
      'treeAt: `where` must be a function of the tree, found string "name"',
    );
  });
});
