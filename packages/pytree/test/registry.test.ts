// Registration is global and permanent, so every test declares its own classes.
import * as tree from '../src/index.js';
import { GetAttrKey, type Constructor } from '../src/index.js';

const paths = (t: unknown) => tree.leavesWithPath(t).map(([p]) => tree.keystr(p));

describe('registerPytreeNode', () => {
  test('instances flatten through the flatten function and unflatten through the unflatten function', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    tree.registerPytreeNode(
      Point,
      (p) => [[p.x, p.y], null],
      (_aux, [x, y]) => new Point(x as number, y as number),
    );
    const [leaves, def] = tree.flatten([new Point(1, 2), new Point(3, 4)]);
    expect(leaves).toEqual([1, 2, 3, 4]);
    expect(String(def)).toBe('TreeDef([Point[*, *], Point[*, *]])');
    const back = tree.unflatten<Point[]>(def, [5, 6, 7, 8]);
    expect(back).toStrictEqual([new Point(5, 6), new Point(7, 8)]);
    expect(back[0]).toBeInstanceOf(Point);
  });

  test('children have FlattenedIndexKey paths', () => {
    class Pair {
      constructor(
        readonly a: unknown,
        readonly b: unknown,
      ) {}
    }
    tree.registerPytreeNode(
      Pair,
      (p) => [[p.a, p.b], null],
      (_aux, [a, b]) => new Pair(a, b),
    );
    expect(paths({ p: new Pair(1, [2]) })).toEqual(['.p[<flat index 0>]', '.p[<flat index 1>][0]']);
    const [path] = tree.leavesWithPath(new Pair(1, null))[0]!;
    expect(path[0]).toBeInstanceOf(tree.FlattenedIndexKey);
    expect((path[0] as tree.FlattenedIndexKey).key).toBe(0);
  });

  test('auxiliary data goes into the treedef and back to unflatten', () => {
    class Scaled {
      constructor(
        readonly value: unknown,
        readonly label: string,
      ) {}
    }
    const auxSeen: unknown[] = [];
    tree.registerPytreeNode(
      Scaled,
      (s) => [[s.value], s.label],
      (aux, [value]) => {
        auxSeen.push(aux);
        return new Scaled(value, aux as string);
      },
    );
    const [leaves, def] = tree.flatten(new Scaled([1, 2], 'relu'));
    expect(leaves).toEqual([1, 2]);
    expect(def.aux).toBe('relu');
    expect(tree.unflatten(def, [3, 4])).toStrictEqual(new Scaled([3, 4], 'relu'));
    expect(auxSeen).toEqual(['relu']);
    expect(def.equals(tree.structure(new Scaled([0, 0], 'tanh')))).toBe(false);
  });

  test('a node with no children has no leaves', () => {
    class Empty {}
    tree.registerPytreeNode(
      Empty,
      () => [[], 'e'],
      () => new Empty(),
    );
    const [leaves, def] = tree.flatten({ e: new Empty() });
    expect(leaves).toEqual([]);
    expect(def.numNodes).toBe(2);
    expect(tree.unflatten<{ e: Empty }>(def, []).e).toBeInstanceOf(Empty);
  });

  test('registration after an instance was seen as a leaf takes effect', () => {
    class Late {
      constructor(readonly v: number) {}
    }
    const late = new Late(4);
    expect(tree.leaves([late])).toEqual([late]);
    tree.registerPytreeNode(
      Late,
      (l) => [[l.v], null],
      (_aux, [v]) => new Late(v as number),
    );
    expect(tree.leaves([late])).toEqual([4]);
  });
});

describe('registered subclasses of built-in nodes', () => {
  test('a registered subclass of Array uses its registration, not the array rule', () => {
    class Stack extends Array<unknown> {}
    tree.registerPytreeNode(
      Stack,
      (s) => [[...s], 'stack'],
      (_aux, children) => Stack.from(children),
    );
    const s = Stack.from([1, 2]);
    const def = tree.structure(s);
    expect(def.kind).toBe('custom');
    expect(def.type).toBe(Stack);
    expect(def.aux).toBe('stack');
    expect(tree.map((x: number) => x * 2, s)).toBeInstanceOf(Stack);
  });
});

describe('registerPytreeWithKeys', () => {
  test('children have the keys the flatten function gives', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    tree.registerPytreeWithKeys(
      Point,
      (p) => [
        [
          [new GetAttrKey('x'), p.x],
          [new GetAttrKey('y'), p.y],
        ],
        null,
      ],
      (_aux, [x, y]) => new Point(x as number, y as number),
    );
    expect(paths(new Point(1, 2))).toEqual(['.x', '.y']);
    expect(paths({ pts: [new Point(1, 2)] })).toEqual(['.pts[0].x', '.pts[0].y']);
    expect(tree.leaves(new Point(1, 2))).toEqual([1, 2]);
    expect(tree.map((v: number) => v * 10, new Point(1, 2))).toStrictEqual(new Point(10, 20));
  });

  test('the optional flatten gives the same split without keys', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    let keyed = 0;
    let plain = 0;
    tree.registerPytreeWithKeys(
      Point,
      (p) => {
        keyed++;
        return [
          [
            [new GetAttrKey('x'), p.x],
            [new GetAttrKey('y'), p.y],
          ],
          'aux',
        ];
      },
      (_aux, [x, y]) => new Point(x as number, y as number),
      {
        flatten: (p) => {
          plain++;
          return [[p.x, p.y], 'aux'];
        },
      },
    );
    const p = new Point(1, 2);
    expect(tree.leaves(p)).toEqual([1, 2]);
    expect(paths(p)).toEqual(['.x', '.y']);
    expect(tree.structure(p).equals(tree.flattenWithPath(p)[1])).toBe(true);
    expect(plain).toBeGreaterThan(0);
    expect(keyed).toBeGreaterThan(0);
  });
});

describe('registerDataclass', () => {
  test('data fields are children with attribute paths, meta fields are static', () => {
    class Scaled {
      constructor(
        readonly value: number[],
        readonly label: string,
        readonly scale: number,
      ) {}
    }
    tree.registerDataclass(Scaled, { dataFields: ['value', 'scale'], metaFields: ['label'] });
    const s = new Scaled([1, 2], 'a', 3);
    const [leaves, def] = tree.flatten(s);
    expect(leaves).toEqual([1, 2, 3]);
    expect(paths(s)).toEqual(['.value[0]', '.value[1]', '.scale']);
    expect(String(def)).toBe('TreeDef(Scaled<["a"]>[[*, *], *])');
    expect(def.equals(tree.structure(new Scaled([5, 6], 'a', 7)))).toBe(true);
    expect(def.equals(tree.structure(new Scaled([5, 6], 'b', 7)))).toBe(false);
    const back = tree.unflatten<Scaled>(def, [10, 20, 30]);
    expect(back).toBeInstanceOf(Scaled);
    expect(back.value).toEqual([10, 20]);
    expect(back.scale).toBe(30);
    expect(back.label).toBe('a');
  });

  test('unflatten does not call the constructor', () => {
    let constructed = 0;
    class Counted {
      readonly w: number;
      readonly name: string;
      constructor(w: number, name: string) {
        constructed++;
        this.w = w;
        this.name = name;
      }
    }
    tree.registerDataclass(Counted, { dataFields: ['w'], metaFields: ['name'] });
    const c = new Counted(1, 'n');
    expect(constructed).toBe(1);
    const doubled = tree.map((x: number) => x * 2, c);
    expect(constructed).toBe(1);
    expect(doubled).toBeInstanceOf(Counted);
    expect(doubled.w).toBe(2);
    expect(doubled.name).toBe('n');
  });

  test('without meta fields', () => {
    class Vec {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    tree.registerDataclass(Vec, { dataFields: ['x', 'y'] });
    expect(tree.leaves([new Vec(1, 2)])).toEqual([1, 2]);
    expect(tree.map((v: number) => -v, new Vec(1, 2))).toStrictEqual(new Vec(-1, -2));
  });
});

describe('registerStatic', () => {
  test('instances are nodes without leaves, kept by identity', () => {
    class Activation {
      constructor(readonly name: string) {}
    }
    tree.registerStatic(Activation);
    const relu = new Activation('relu');
    const t = { act: relu, scale: 2 };
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([2]);
    expect(def.numLeaves).toBe(1);
    expect(def.children[0]!.kind).toBe('custom');
    expect(def.children[0]!.numNodes).toBe(1);
    const mapped = tree.map((x: number) => x + 1, t);
    expect(mapped.act).toBe(relu);
    expect(mapped.scale).toBe(3);
  });

  test('treedefs compare static instances by identity', () => {
    class Config {
      constructor(readonly n: number) {}
    }
    tree.registerStatic(Config);
    const c = new Config(1);
    expect(tree.structure({ c }).equals(tree.structure({ c }))).toBe(true);
    expect(tree.structure({ c }).equals(tree.structure({ c: new Config(1) }))).toBe(false);
    expect(tree.structure({ c }).key === tree.structure({ c: new Config(1) }).key).toBe(false);
  });
});

describe('{ subclasses: true }', () => {
  test('a base class registered once covers subclasses, and unflatten gets the concrete class', () => {
    abstract class Base {
      abstract readonly kind: string;
      constructor(readonly v: unknown) {}
    }
    class SubA extends Base {
      readonly kind = 'a';
    }
    class SubB extends SubA {
      readonly extra = 1;
    }
    const types: unknown[] = [];
    tree.registerPytreeNode(
      Base,
      (b) => [[b.v], null],
      (_aux, [v], type) => {
        types.push(type);
        const node = Object.create(type.prototype as object) as { v: unknown };
        node.v = v;
        return node as Base;
      },
      { subclasses: true },
    );
    const t = [new SubA(1), new SubB(2)];
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1, 2]);
    expect(String(def)).toBe('TreeDef([SubA[*], SubB[*]])');
    expect(def.children[0]!.type).toBe(SubA);
    expect(def.children[1]!.type).toBe(SubB);
    const back = tree.unflatten<Base[]>(def, [3, 4]);
    expect(types).toEqual([SubA, SubB]);
    expect(back[0]).toBeInstanceOf(SubA);
    expect(back[1]).toBeInstanceOf(SubB);
    expect(back[0]!.v).toBe(3);
    expect(back[1]!.v).toBe(4);
  });

  test('different subclasses make different treedefs', () => {
    class Base {
      constructor(readonly v: unknown) {}
    }
    class Left extends Base {}
    class Right extends Base {}
    tree.registerPytreeNode(
      Base,
      (b) => [[b.v], null],
      (_aux, [v], type) => new (type as unknown as typeof Base)(v),
      { subclasses: true },
    );
    expect(tree.structure(new Left(1)).equals(tree.structure(new Left(2)))).toBe(true);
    expect(tree.structure(new Left(1)).equals(tree.structure(new Right(1)))).toBe(false);
    expect(tree.structure(new Left(1)).equals(tree.structure(new Base(1)))).toBe(false);
    expect(tree.map((x: number) => x + 1, new Right(1))).toStrictEqual(new Right(2));
  });

  test('by default only the exact class is a node: a subclass instance is a leaf', () => {
    class Base {
      constructor(readonly v: unknown) {}
    }
    class Sub extends Base {}
    tree.registerPytreeNode(
      Base,
      (b) => [[b.v], null],
      (_aux, [v]) => new Base(v),
    );
    const sub = new Sub([1, 2]);
    const leaves: unknown[] = tree.leaves([new Base(1), sub]);
    expect(leaves).toHaveLength(2);
    expect(leaves[0]).toBe(1);
    expect(leaves[1]).toBe(sub);
  });

  test("a subclass's own registration takes precedence over its base's", () => {
    class Base {
      constructor(readonly v: unknown) {}
    }
    class Special extends Base {}
    tree.registerPytreeNode(
      Base,
      (b) => [[b.v], 'base'],
      (_aux, [v], type) => new (type as unknown as typeof Base)(v),
      { subclasses: true },
    );
    tree.registerPytreeNode(
      Special,
      (s) => [[s.v, s.v], 'special'],
      (_aux, [v]) => new Special(v),
    );
    expect(tree.leaves(new Special(7))).toEqual([7, 7]);
    expect(tree.structure(new Special(7)).aux).toBe('special');
    expect(tree.structure(new Base(7)).aux).toBe('base');
  });
});

describe('registration errors', () => {
  test('registering a class twice', () => {
    class Dup {}
    tree.registerPytreeNode(
      Dup,
      () => [[], null],
      () => new Dup(),
    );
    expect(() =>
      tree.registerPytreeNode(
        Dup,
        () => [[], null],
        () => new Dup(),
      ),
    ).toThrow('registerPytreeNode: Dup is already registered as a pytree node');
    expect(() => tree.registerStatic(Dup)).toThrow(
      'registerStatic: Dup is already registered as a pytree node',
    );
    expect(() =>
      tree.registerPytreeWithKeys(
        Dup,
        () => [[], null],
        () => new Dup(),
      ),
    ).toThrow('registerPytreeWithKeys: Dup is already registered as a pytree node');
  });

  test('registerDataclass errors name registerDataclass', () => {
    class DupData {
      constructor(readonly x: number) {}
    }
    tree.registerDataclass(DupData, { dataFields: ['x'] });
    expect(() => tree.registerDataclass(DupData, { dataFields: ['x'] })).toThrow(
      'registerDataclass: DupData is already registered as a pytree node',
    );
    expect(() => tree.registerDataclass(Array, { dataFields: [] })).toThrow(
      'registerDataclass: Array is a built-in pytree node and cannot be registered',
    );
  });

  test('a failed second registration keeps the first', () => {
    class Kept {
      constructor(readonly v: number) {}
    }
    tree.registerPytreeNode(
      Kept,
      (k) => [[k.v], null],
      (_aux, [v]) => new Kept(v as number),
    );
    expect(() => tree.registerStatic(Kept)).toThrow('already registered');
    expect(tree.leaves(new Kept(3))).toEqual([3]);
  });

  test('Array and Object are built in and cannot be registered', () => {
    expect(() =>
      tree.registerPytreeNode(
        Array,
        () => [[], null],
        () => [],
      ),
    ).toThrow(TypeError);
    expect(() =>
      tree.registerPytreeNode(
        Array,
        () => [[], null],
        () => [],
      ),
    ).toThrow('registerPytreeNode: Array is a built-in pytree node and cannot be registered');
    expect(() => tree.registerStatic(Object)).toThrow(
      'registerStatic: Object is a built-in pytree node and cannot be registered',
    );
    expect(tree.leaves([[1], { a: 2 }])).toEqual([1, 2]);
  });

  test('a first argument that is not a class', () => {
    const notClass = 42 as unknown as Constructor;
    expect(() =>
      tree.registerPytreeNode(
        notClass,
        () => [[], null],
        () => ({}),
      ),
    ).toThrow(TypeError);
    expect(() =>
      tree.registerPytreeNode(
        notClass,
        () => [[], null],
        () => ({}),
      ),
    ).toThrow('registerPytreeNode: expected a class as the first argument, found number');
    const arrow = (() => 1) as unknown as Constructor;
    expect(() => tree.registerStatic(arrow)).toThrow(
      'registerStatic: expected a class as the first argument, found function',
    );
    expect(() => tree.registerStatic(null as unknown as Constructor)).toThrow(
      'registerStatic: expected a class as the first argument',
    );
  });

  test('arguments of the wrong kind are named at registration', () => {
    class Bad {
      x = 1;
    }
    const messageOf = (run: () => void): string => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
        return (e as Error).message;
      }
      throw new Error('expected a TypeError');
    };
    expect(messageOf(() => tree.registerDataclass(Bad, undefined as never))).toBe(
      'registerDataclass: `fields` must be an object { dataFields, metaFields? }, found undefined',
    );
    expect(messageOf(() => tree.registerDataclass(Bad, { dataFields: 'x' as never }))).toBe(
      'registerDataclass: `fields.dataFields` must be an array of field names, found string "x"',
    );
    expect(messageOf(() => tree.registerDataclass(Bad, { dataFields: [1 as never] }))).toBe(
      'registerDataclass: `fields.dataFields` must hold field names (strings), found number 1 at index 0',
    );
    expect(
      messageOf(() => tree.registerDataclass(Bad, { dataFields: ['x'], metaFields: ['x'] })),
    ).toBe(
      'registerDataclass: the field "x" is listed twice in `fields`; expected each field in dataFields or metaFields, once',
    );
    expect(
      messageOf(() =>
        tree.registerDataclass(Bad, { dataFields: ['x'] }, { subclasses: 1 as never }),
      ),
    ).toBe('registerDataclass: `options.subclasses` must be a boolean, found number 1');
    expect(messageOf(() => tree.registerPytreeNode(Bad, null as never, () => new Bad()))).toBe(
      'registerPytreeNode: `flatten` must be a function, found null',
    );
    expect(messageOf(() => tree.registerPytreeWithKeys(Bad, () => [[], null], 'u' as never))).toBe(
      'registerPytreeWithKeys: `unflatten` must be a function, found string "u"',
    );
    expect(messageOf(() => tree.registerStatic(Bad, 'all' as never))).toBe(
      'registerStatic: `options` must be an object, found string "all"',
    );
    // None of these registered Bad: its instances are still leaves.
    expect(tree.leaves(new Bad())).toHaveLength(1);
  });
});
