import fc from 'fast-check';
import * as tree from '../src/index.js';
import { DictKey, GetAttrKey, SequenceKey, type KeyPath } from '../src/index.js';

/** A registered class with two children and a string of static data. */
class Pair {
  constructor(
    readonly left: unknown,
    readonly right: unknown,
    readonly tag: string,
  ) {}
}
tree.registerPytreeWithKeys(
  Pair,
  (p) => [
    [
      [new GetAttrKey('left'), p.left],
      [new GetAttrKey('right'), p.right],
    ],
    p.tag,
  ],
  (tag, [left, right]) => new Pair(left, right, tag as string),
);

const sym = Symbol('leaf');
const fn = (x: number) => x;
const typed = new Float32Array([1, 2]);
const date = new Date(0);

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.bigInt({ min: -100n, max: 100n }),
  fc.constantFrom<unknown>(sym, fn, typed, date, new Map<number, number>()),
);

const keyArb = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'z',
    '10',
    '9',
    '0',
    '',
    'odd key',
    '__proto__',
    'toString',
    '$x',
    'a.b',
    '"q"',
  ),
  fc.string({ maxLength: 3 }),
);

/** An object from entries; `Object.fromEntries` makes "__proto__" an own key, as JSON.parse does. */
const objectOf = (value: fc.Arbitrary<unknown>) =>
  fc
    .array(fc.tuple(keyArb, value), { maxLength: 4 })
    .map((entries) => Object.fromEntries(entries) as unknown);

function treeArbitrary(leaf: fc.Arbitrary<unknown>, maxDepth: number): fc.Arbitrary<unknown> {
  const { node } = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { maxDepth, depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie('node'), { maxLength: 4 }),
      objectOf(tie('node')),
      fc
        .tuple(tie('node'), tie('node'), fc.constantFrom('p', 'q'))
        .map(([l, r, tag]): unknown => new Pair(l, r, tag)),
    ),
  }));
  return node;
}

const treeArb = treeArbitrary(leafArb, 4);

/** Follows a path from the root by hand. */
function follow(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const key of path) {
    if (key instanceof DictKey) {
      expect(Object.prototype.hasOwnProperty.call(node, key.key)).toBe(true);
      node = (node as Record<string, unknown>)[key.key];
    } else if (key instanceof SequenceKey) {
      expect(Array.isArray(node)).toBe(true);
      node = (node as unknown[])[key.idx];
    } else if (key instanceof GetAttrKey) {
      expect(node).toBeInstanceOf(Pair);
      node = (node as Record<string, unknown>)[key.name];
    } else {
      throw new Error(`unexpected key ${String(key)}`);
    }
  }
  return node;
}

/** A structural fingerprint written independently of TreeDef. */
function shape(t: unknown): string {
  if (t === null) return 'N';
  if (t === undefined) return 'U';
  if (Array.isArray(t)) return `[${t.map(shape).join(',')}]`;
  if (t instanceof Pair) return `P${t.tag}(${shape(t.left)},${shape(t.right)})`;
  if (typeof t === 'object' && Object.getPrototypeOf(t) === Object.prototype) {
    const record = t as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${shape(record[k])}`).join(',')}}`;
  }
  return '*';
}

/** Not registered, so a leaf. */
class Wrapped {
  constructor(readonly inner: unknown) {}
}

const touch = (x: unknown): unknown => {
  switch (typeof x) {
    case 'number':
      return x * 2;
    case 'string':
      return `${x}!`;
    case 'boolean':
      return !x;
    case 'bigint':
      return x + 1n;
    default:
      return new Wrapped(x);
  }
};

describe('properties', () => {
  test('unflatten(structure(t), leaves(t)) reproduces t', () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        expect(tree.unflatten(tree.structure(t), tree.leaves(t))).toStrictEqual(t);
        const [leaves, def] = tree.flatten(t);
        expect(def.numLeaves).toBe(leaves.length);
        expect(tree.unflatten(def, leaves)).toStrictEqual(t);
      }),
    );
  });

  test('map with the identity reproduces t', () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        expect(tree.map((x: unknown) => x, t)).toStrictEqual(t);
      }),
    );
  });

  test('map applies f leafwise', () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const mapped = tree.map(touch, t);
        const [leaves, def] = tree.flatten(t);
        const [newLeaves, newDef] = tree.flatten(mapped);
        expect(newLeaves).toStrictEqual(leaves.map(touch));
        expect(newDef.equals(def)).toBe(true);
        expect(tree.mapWithPath((_p, x: unknown) => touch(x), t)).toStrictEqual(mapped);
        expect(tree.unflatten(def, leaves.map(touch))).toStrictEqual(mapped);
      }),
    );
  });

  test('partition then combine is the identity', () => {
    const specArb = fc.constantFrom<tree.FilterSpec>(
      true,
      false,
      (x) => typeof x === 'number',
      (x) => typeof x === 'string',
      (x) => typeof x === 'bigint' || typeof x === 'symbol',
      (x) => typeof x === 'object',
    );
    fc.assert(
      fc.property(treeArb, specArb, (t, spec) => {
        const [kept, rest] = tree.partition(t, spec);
        expect(tree.combine(kept, rest)).toStrictEqual(t);
        expect(tree.combine(rest, kept)).toStrictEqual(t);
        const keptLeaves: unknown[] = tree.leaves(kept);
        const restLeaves: unknown[] = tree.leaves(rest);
        expect(keptLeaves.length + restLeaves.length).toBe(tree.leaves(t).length);
      }),
    );
  });

  test('treedef key is equal exactly when equals says so, and both match an independent shape', () => {
    const smallLeaf = fc.constantFrom<unknown>(1, 'x');
    const smallTree = treeArbitrary(smallLeaf, 2);
    const smallObject = fc
      .array(fc.tuple(fc.constantFrom('a', 'b'), smallTree), { maxLength: 2 })
      .map((e) => Object.fromEntries(e) as unknown);
    const pairArb = fc.oneof(
      smallTree,
      smallObject,
      fc.constantFrom<unknown>(null, undefined, 1, [], {}),
    );
    fc.assert(
      fc.property(pairArb, pairArb, (a, b) => {
        const da = tree.structure(a);
        const db = tree.structure(b);
        const same = shape(a) === shape(b);
        expect(da.equals(db)).toBe(same);
        expect(db.equals(da)).toBe(same);
        expect(da.key === db.key).toBe(same);
      }),
      { numRuns: 300 },
    );
  });

  test('a tree and its image under map have equal treedefs', () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const d = tree.structure(t);
        const m = tree.structure(tree.map(() => 0, t));
        expect(d.equals(m)).toBe(true);
        expect(d.key).toBe(m.key);
      }),
    );
  });

  test('leavesWithPath agrees with leaves, and each path leads to its leaf', () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const pairs = tree.leavesWithPath(t);
        const leaves: unknown[] = tree.leaves(t);
        expect(pairs).toHaveLength(leaves.length);
        pairs.forEach(([path, leaf]: [KeyPath, unknown], i) => {
          expect(leaf).toBe(leaves[i]);
          expect(follow(t, path)).toBe(leaf);
        });
        const keys = pairs.map(([p]) => tree.keystr(p));
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  test('treeAt at one leaf path changes exactly that leaf', () => {
    const withLeaves = treeArb.filter((t) => tree.leaves(t).length > 0);
    fc.assert(
      fc.property(withLeaves, fc.nat(), (t, n) => {
        const pairs = tree.leavesWithPath(t);
        const i = n % pairs.length;
        const [path] = pairs[i]!;
        const marker = Symbol('replaced');
        const out = tree.treeAt((s) => follow(s, path), t, marker);
        const expected: unknown[] = tree.leaves(t);
        expected[i] = marker;
        expect(tree.leaves(out)).toStrictEqual(expected);
        expect(tree.structure(out).equals(tree.structure(t))).toBe(true);
        expect(follow(out, path)).toBe(marker);
      }),
    );
  });
});
