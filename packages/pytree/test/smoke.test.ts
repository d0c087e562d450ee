import * as tree from '../src/index.js';

test('smoke', () => {
  const [l, d] = tree.flatten({ b: [1, 2], a: 3, c: null });
  expect(l).toEqual([3, 1, 2]);
  expect(String(d)).toBe('TreeDef({a: *, b: [*, *], c: null})');
  expect(tree.unflatten(d, [4, 5, 6])).toStrictEqual({ a: 4, b: [5, 6], c: null });
  expect(tree.map((x: number, y: number) => x + y, [1, 2], [10, 20])).toEqual([11, 22]);
  expect(() => tree.map((x: number, y: number) => x + y, { w: [1, 2] }, { w: 3 })).toThrow(
    'map: tree structures differ at .w: tree 0 has array of length 2, tree 1 has number 3',
  );
  const model = { layers: [{ w: 1, b: null }, { w: 2, b: 3 }] };
  expect(tree.treeAt((m) => m.layers[0]!.b, model, 5)).toStrictEqual({ layers: [{ w: 1, b: 5 }, { w: 2, b: 3 }] });
  const [p, s] = tree.partition({ weight: [1, 2], activation: 'relu' }, (x) => typeof x === 'number');
  expect(p).toStrictEqual({ activation: null, weight: [1, 2] });
  expect(tree.combine(p, s)).toStrictEqual({ activation: 'relu', weight: [1, 2] });
  const a: unknown[] = [1];
  a.push(a);
  expect(() => tree.flatten({ x: a })).toThrow('cycle');
});
