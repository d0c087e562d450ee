import * as tree from '../src/index.js';
import { Point } from './fixtures.js';
import { TreeDef, TreeStructureError } from '../src/index.js';

describe('broadcast', () => {
  test('each prefix leaf is repeated over the subtree at its place', () => {
    expect(tree.broadcast({ a: 1, b: 2 }, { a: [0, 0], b: { c: 0 } })).toStrictEqual({
      a: [1, 1],
      b: { c: 2 },
    });
  });

  test('a leaf prefix covers the whole tree; empty nodes stay', () => {
    expect(tree.broadcast(7, { a: [0, 0], b: null, c: undefined })).toStrictEqual({
      a: [7, 7],
      b: null,
      c: undefined,
    });
    expect(tree.broadcast({ a: 5 }, { a: null })).toStrictEqual({ a: null });
  });

  test('a prefix with the full structure is returned as is', () => {
    expect(tree.broadcast([1, [2]], [0, [0]])).toStrictEqual([1, [2]]);
  });

  test('spreads over registered classes, keeping the class', () => {
    const out = tree.broadcast({ p: 1, q: 2 }, { p: new Point(0, [0]), q: 0 });
    expect(out).toStrictEqual({ p: new Point(1, [1]), q: 2 });
    expect(out.p).toBeInstanceOf(Point);
  });

  test('prefix leaves are shared, not copied', () => {
    const t = new Float32Array(2);
    const out = tree.broadcast({ a: t }, { a: [0, 0] });
    expect(out.a[0]).toBe(t);
    expect(out.a[1]).toBe(t);
  });

  test('isLeaf option', () => {
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    expect(tree.broadcast({ a: 1 }, { a: [[0, 0], [0]] }, { isLeaf: isNumberList })).toStrictEqual({
      a: [1, 1],
    });
  });

  test('a prefix that does not fit names the path and both sides', () => {
    expect(() => tree.broadcast({ a: [1, 2] }, { a: 0 })).toThrow(TreeStructureError);
    expect(() => tree.broadcast({ a: [1, 2] }, { a: 0 })).toThrow(
      'broadcast: tree structures differ at .a: the prefix tree has array of length 2, the full tree has number 0',
    );
    expect(() => tree.broadcast({ a: 1, b: 2 }, { a: 0 })).toThrow(
      'broadcast: tree structures differ at the root: the prefix tree has object with keys {a, b}, the full tree has object with keys {a}',
    );
    expect(() => tree.broadcast([null], [1])).toThrow(
      'broadcast: tree structures differ at [0]: the prefix tree has null, the full tree has number 1',
    );
  });
});

describe('transpose', () => {
  const perExample = [
    { x: 1, y: 2 },
    { x: 3, y: 4 },
  ];

  test('swaps outer and inner levels', () => {
    expect(
      tree.transpose(tree.structure([0, 0]), tree.structure({ x: 0, y: 0 }), perExample),
    ).toStrictEqual({ x: [1, 3], y: [2, 4] });
  });

  test('inner null is taken from the first inner tree', () => {
    expect(tree.transpose(tree.structure([0, 0]), null, perExample)).toStrictEqual({
      x: [1, 3],
      y: [2, 4],
    });
  });

  test('transposing back gives the original', () => {
    expect(
      tree.transpose(tree.structure({ x: 0, y: 0 }), tree.structure([0, 0]), {
        x: [1, 3],
        y: [2, 4],
      }),
    ).toStrictEqual(perExample);
  });

  test('nested outer structure with a registered class, inner with null', () => {
    const outer = tree.structure({ a: 0, b: new Point(0, 0) });
    const inner = tree.structure({ v: 0, n: null });
    const t = {
      a: { v: 1, n: null },
      b: new Point({ v: 2, n: null }, { v: 3, n: null }),
    };
    const out = tree.transpose<{ v: unknown; n: null }>(outer, inner, t);
    expect(out).toStrictEqual({
      n: null,
      v: { a: 1, b: new Point(2, 3) },
    });
  });

  test('a leaf inner structure', () => {
    expect(tree.transpose(tree.structure([0, 0]), TreeDef.leaf, [1, 2])).toStrictEqual([1, 2]);
  });

  test('mismatched inner trees: the error names where', () => {
    const e = (() => {
      try {
        tree.transpose(tree.structure({ a: 0, b: 0 }), null, { a: { x: 1, y: 2 }, b: { x: 3 } });
      } catch (err) {
        return err as TreeStructureError;
      }
      throw new Error('expected an error');
    })();
    expect(e).toBeInstanceOf(TreeStructureError);
    expect(e.message).toBe(
      'transpose: the inner tree at .b is TreeDef({x: *}), expected TreeDef({x: *, y: *})',
    );
    expect(tree.keystr(e.path)).toBe('.b');
    expect(() => tree.transpose(tree.structure([0]), tree.structure([0, 0]), [[1]])).toThrow(
      'transpose: the inner tree at [0] is TreeDef([*]), expected TreeDef([*, *])',
    );
  });

  test('an inner tree with more structure than inner is a mismatch', () => {
    expect(() =>
      tree.transpose(tree.structure([0, 0]), tree.structure([0]), [[[1, 2]], [[3, 4]]]),
    ).toThrow('transpose: the inner tree at [0] is TreeDef([[*, *]]), expected TreeDef([*])');
  });

  test('a tree that does not have the outer structure', () => {
    expect(() => tree.transpose(tree.structure([0, 0]), null, [1, 2, 3])).toThrow(
      'transpose: tree structures differ at the root: outer has array of length 2, the tree has array of length 3',
    );
  });

  test('an outer structure without leaves needs inner', () => {
    expect(() => tree.transpose(tree.structure([]), null, [])).toThrow(TypeError);
    expect(() => tree.transpose(tree.structure({ a: null }), null, { a: null })).toThrow(
      'transpose: the outer structure has no leaves, so `inner` must be given',
    );
    expect(tree.transpose(tree.structure([]), tree.structure({ x: 0, y: 0 }), [])).toStrictEqual({
      x: [],
      y: [],
    });
    expect(
      tree.transpose(tree.structure({ a: null }), tree.structure([0]), { a: null }),
    ).toStrictEqual([{ a: null }]);
  });

  test('arguments that are not treedefs', () => {
    expect(() => tree.transpose([] as unknown as TreeDef, null, [])).toThrow(
      'transpose: expected a TreeDef as outer, found array of length 0',
    );
    expect(() => tree.transpose(tree.structure([0]), 5 as unknown as TreeDef, [1])).toThrow(
      'transpose: expected a TreeDef as inner, found number 5',
    );
  });
});
