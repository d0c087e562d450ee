import * as tree from '../src/index.js';
import {
  DictKey,
  FlattenedIndexKey,
  GetAttrKey,
  SequenceKey,
  keystr,
  type KeyPath,
} from '../src/index.js';

class Layer {
  constructor(
    readonly weight: unknown,
    readonly bias: unknown,
  ) {}
}
tree.registerPytreeWithKeys(
  Layer,
  (l) => [
    [
      [new GetAttrKey('weight'), l.weight],
      [new GetAttrKey('bias'), l.bias],
    ],
    null,
  ],
  (_aux, [weight, bias]) => new Layer(weight, bias),
);

class Positional {
  constructor(readonly items: unknown[]) {}
}
tree.registerPytreeNode(
  Positional,
  (p) => [p.items, null],
  (_aux, items) => new Positional(items),
);

const pathStrings = (t: unknown, options?: tree.IsLeafOptions) =>
  tree.leavesWithPath(t, options).map(([p, x]) => [keystr(p), x] as const);

describe('flattenWithPath', () => {
  test('leaves come with their paths, in flattening order', () => {
    const t = { b: [5, { c: 6 }], a: 7 };
    const [pairs, def] = tree.flattenWithPath(t);
    expect(pairs.map(([p, x]: [KeyPath, unknown]) => [keystr(p), x])).toEqual([
      ['.a', 7],
      ['.b[0]', 5],
      ['.b[1].c', 6],
    ]);
    expect(def.equals(tree.structure(t))).toBe(true);
    expect(String(def)).toBe('TreeDef({a: *, b: [*, {c: *}]})');
  });

  test('path entries are key objects', () => {
    const first: [KeyPath, unknown] = tree.flattenWithPath({ layers: [new Layer(3, null)] })[0][0]!;
    const [path, leaf] = first;
    expect(leaf).toBe(3);
    expect(path).toHaveLength(3);
    expect(path[0]).toBeInstanceOf(DictKey);
    expect((path[0] as DictKey).key).toBe('layers');
    expect(path[1]).toBeInstanceOf(SequenceKey);
    expect((path[1] as SequenceKey).idx).toBe(0);
    expect(path[2]).toBeInstanceOf(GetAttrKey);
    expect((path[2] as GetAttrKey).name).toBe('weight');
  });

  test('odd and numeric-like keys are bracketed, identifiers are dotted', () => {
    const t = { 'odd key': 1, '10': 2, '': 3, 'a-b': 4, $x: 5, _y: 6, 'say "hi"': 7 };
    expect(pathStrings(t)).toEqual([
      ['[""]', 3],
      ['.$x', 5],
      ['["10"]', 2],
      ['._y', 6],
      ['["a-b"]', 4],
      ['["odd key"]', 1],
      ['["say \\"hi\\""]', 7],
    ]);
  });

  test('registered classes: attribute keys, or flat index keys without keys', () => {
    expect(pathStrings({ l: new Layer([1, 2], 3) })).toEqual([
      ['.l.weight[0]', 1],
      ['.l.weight[1]', 2],
      ['.l.bias', 3],
    ]);
    expect(pathStrings([new Positional(['a', ['b']])])).toEqual([
      ['[0][<flat index 0>]', 'a'],
      ['[0][<flat index 1>][0]', 'b'],
    ]);
  });

  test('a leaf at the root has the empty path', () => {
    expect(tree.leavesWithPath(5)).toEqual([[[], 5]]);
    expect(keystr([])).toBe('');
  });

  test('empty nodes have no paths', () => {
    expect(tree.leavesWithPath({ a: null, b: [undefined, []] })).toEqual([]);
    const [pairs, def] = tree.flattenWithPath(null);
    expect(pairs).toEqual([]);
    expect(def.kind).toBe('null');
  });

  test('isLeaf option', () => {
    const isNumberList = (x: unknown) => Array.isArray(x) && typeof x[0] === 'number';
    expect(pathStrings({ a: [1, 2], b: [[3]] }, { isLeaf: isNumberList })).toEqual([
      ['.a', [1, 2]],
      ['.b[0]', [3]],
    ]);
    expect(pathStrings([null, 1], { isLeaf: (x) => x === null })).toEqual([
      ['[0]', null],
      ['[1]', 1],
    ]);
  });

  test('each leaf has its own path array', () => {
    const [first, second] = tree.leavesWithPath([1, 2]);
    const p0 = first![0];
    const p1 = second![0];
    expect(p0).not.toBe(p1);
    expect(keystr(p0)).toBe('[0]');
    expect(keystr(p1)).toBe('[1]');
  });
});

describe('keystr', () => {
  const path: KeyPath = [new DictKey('layers'), new SequenceKey(2), new GetAttrKey('bias')];

  test('default form', () => {
    expect(keystr(path)).toBe('.layers[2].bias');
    expect(keystr([new DictKey('a'), new SequenceKey(0), new DictKey('odd key')])).toBe(
      '.a[0]["odd key"]',
    );
  });

  test('simple form with the default separator', () => {
    expect(keystr(path, { simple: true })).toBe('layers.2.bias');
  });

  test('simple form with a separator', () => {
    expect(keystr(path, { simple: true, separator: '/' })).toBe('layers/2/bias');
    expect(
      keystr([new DictKey('odd key'), new FlattenedIndexKey(1)], { simple: true, separator: '|' }),
    ).toBe('odd key|1');
  });

  test('the separator only matters in simple form', () => {
    expect(keystr(path, { separator: '/' })).toBe('.layers[2].bias');
  });

  test('an empty path', () => {
    expect(keystr([], { simple: true })).toBe('');
  });
});

describe('key classes', () => {
  test.each<[string, tree.KeyEntry, string]>([
    ['DictKey identifier', new DictKey('bias'), '.bias'],
    ['DictKey with a space', new DictKey('my key'), '["my key"]'],
    ['DictKey numeric', new DictKey('0'), '["0"]'],
    ['DictKey empty', new DictKey(''), '[""]'],
    ['DictKey $', new DictKey('$x1'), '.$x1'],
    ['DictKey with a quote', new DictKey('a"b'), '["a\\"b"]'],
    ['SequenceKey', new SequenceKey(2), '[2]'],
    ['GetAttrKey', new GetAttrKey('weight'), '.weight'],
    ['FlattenedIndexKey', new FlattenedIndexKey(1), '[<flat index 1>]'],
  ])('%s', (_name, key, shown) => {
    expect(key.toString()).toBe(shown);
    expect(`${String(key)}`).toBe(shown);
  });

  test('fields', () => {
    expect(new DictKey('k').key).toBe('k');
    expect(new SequenceKey(3).idx).toBe(3);
    expect(new GetAttrKey('n').name).toBe('n');
    expect(new FlattenedIndexKey(4).key).toBe(4);
  });
});
