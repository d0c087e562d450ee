// An Equinox-style `Module`: one registration of an abstract base class with `{ subclasses: true }` makes
// every model class a pytree node, with its own fields as children.
import * as tree from '../src/index.js';
import { GetAttrKey, TreeStructureError, type Constructor, type KeyPath } from '../src/index.js';

interface ModuleAux {
  type: Constructor;
  fields: string[];
  statics: [string, unknown][];
}

abstract class Module {
  /** Fields that are configuration, not children: they go into the treedef. */
  static readonly staticFields: readonly string[] = [];
}

tree.registerPytreeWithKeys(
  Module,
  (m) => {
    const type = m.constructor as typeof Module;
    const record = m as unknown as Record<string, unknown>;
    const fields = Object.keys(m).filter((k) => !type.staticFields.includes(k));
    const aux: ModuleAux = {
      type: type,
      fields,
      statics: type.staticFields.map((k) => [k, record[k]]),
    };
    return [fields.map((k) => [new GetAttrKey(k), record[k]] as const), aux];
  },
  (aux, children, type) => {
    const { fields, statics } = aux as ModuleAux;
    const node = Object.create(type.prototype as object) as Record<string, unknown>;
    fields.forEach((k, i) => (node[k] = children[i]));
    statics.forEach(([k, v]) => (node[k] = v));
    return Object.freeze(node);
  },
  { subclasses: true },
);

let constructed = 0;

class Linear extends Module {
  constructor(
    readonly weight: number[],
    readonly bias: number[],
  ) {
    super();
    constructed++;
  }

  apply(x: number): number {
    return this.weight.reduce((acc, w) => acc + w * x, 0) + this.bias.reduce((a, b) => a + b, 0);
  }
}

class MLP extends Module {
  static override readonly staticFields = ['depth'];
  constructor(
    readonly layers: Linear[],
    readonly depth: number,
  ) {
    super();
    constructed++;
  }
}

const makeMlp = () => new MLP([new Linear([1, 2], [3]), new Linear([4], [5, 6])], 2);

describe('a Module-like base class registered once', () => {
  test('subclasses are nodes without registering them', () => {
    const lin = new Linear([1, 2], [3]);
    const [leaves, def] = tree.flatten(lin);
    expect(leaves).toEqual([1, 2, 3]);
    expect(def.kind).toBe('custom');
    expect(def.type).toBe(Linear);
    expect(def.numLeaves).toBe(3);
  });

  test('paths use the field names', () => {
    expect(
      tree.leavesWithPath(makeMlp()).map(([p, x]: [KeyPath, unknown]) => [tree.keystr(p), x]),
    ).toEqual([
      ['.layers[0].weight[0]', 1],
      ['.layers[0].weight[1]', 2],
      ['.layers[0].bias[0]', 3],
      ['.layers[1].weight[0]', 4],
      ['.layers[1].bias[0]', 5],
      ['.layers[1].bias[1]', 6],
    ]);
  });

  test('map produces instances of the right classes, frozen, without calling constructors', () => {
    const mlp = makeMlp();
    const before = constructed;
    const doubled = tree.map((x: number) => x * 2, mlp);
    expect(constructed).toBe(before);
    expect(doubled).toBeInstanceOf(MLP);
    expect(doubled.layers[0]).toBeInstanceOf(Linear);
    expect(doubled.layers[1]).toBeInstanceOf(Linear);
    expect(Object.isFrozen(doubled)).toBe(true);
    expect(doubled.depth).toBe(2);
    expect(doubled.layers[0]!.weight).toEqual([2, 4]);
    expect(doubled.layers[1]!.bias).toEqual([10, 12]);
    expect(doubled.layers[0]!.apply(1)).toBe(2 + 4 + 6);
  });

  test('static fields are in the treedef, not the leaves', () => {
    const a = makeMlp();
    const b = new MLP([new Linear([0, 0], [0]), new Linear([0], [0, 0])], 2);
    const c = new MLP([new Linear([0, 0], [0]), new Linear([0], [0, 0])], 3);
    expect(tree.leaves(a)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tree.structure(a).equals(tree.structure(b))).toBe(true);
    expect(tree.structure(a).key).toBe(tree.structure(b).key);
    expect(tree.structure(a).equals(tree.structure(c))).toBe(false);
    expect(tree.structure(a).key).not.toBe(tree.structure(c).key);
    expect(tree.unflatten<MLP>(tree.structure(c), tree.leaves(a)).depth).toBe(3);
  });

  test('two subclasses with identical fields have different treedefs', () => {
    class A extends Module {
      constructor(readonly x: number) {
        super();
      }
    }
    class B extends Module {
      constructor(readonly x: number) {
        super();
      }
    }
    const da = tree.structure(new A(1));
    const db = tree.structure(new B(1));
    expect(da.equals(db)).toBe(false);
    expect(da.key).not.toBe(db.key);
    expect(da.equals(tree.structure(new A(2)))).toBe(true);
    expect(() => tree.map((x: number, y: number) => x + y, new A(1), new B(1))).toThrow(
      TreeStructureError,
    );
    expect(() => tree.map((x: number, y: number) => x + y, new A(1), new B(1))).toThrow(
      /^map: tree structures differ at the root: tree 0 has A.*, tree 1 has B$/,
    );
    expect(tree.map((x: number, y: number) => x + y, new A(1), new A(2))).toBeInstanceOf(A);
  });

  test('a subclass of a subclass is covered too', () => {
    class Scaled extends Linear {
      constructor(
        weight: number[],
        bias: number[],
        readonly scale: number,
      ) {
        super(weight, bias);
      }
    }
    const s = new Scaled([1], [2], 3);
    expect(tree.leaves(s)).toEqual([1, 2, 3]);
    const out = tree.map((x: number) => -x, s);
    expect(out).toBeInstanceOf(Scaled);
    expect(out.scale).toBe(-3);
  });

  test('treeAt replaces a field out of place and keeps the classes', () => {
    const mlp = makeMlp();
    const out = tree.treeAt((m) => m.layers[1]!.bias, mlp, [0]);
    expect(out).toBeInstanceOf(MLP);
    expect(out.layers[1]).toBeInstanceOf(Linear);
    expect(out.layers[1]!.bias).toEqual([0]);
    expect(out.layers[1]!.weight).toEqual([4]);
    expect(out.depth).toBe(2);
    expect(out.layers[0]).toBe(mlp.layers[0]);
    expect(mlp.layers[1]!.bias).toEqual([5, 6]);
  });

  test('treeAt replaces a whole submodule', () => {
    const replacement = new Linear([9], [9]);
    const out = tree.treeAt((m) => m.layers[0]!, makeMlp(), replacement);
    expect(out.layers[0]).toBe(replacement);
    expect(tree.leaves(out)).toEqual([9, 9, 4, 5, 6]);
  });

  test('partition and combine', () => {
    const mlp = makeMlp();
    const [big, small] = tree.partition(mlp, (x: number) => x > 3);
    expect(big).toBeInstanceOf(MLP);
    expect(small.layers[0]).toBeInstanceOf(Linear);
    expect(tree.leaves(big)).toEqual([4, 5, 6]);
    expect(tree.leaves(small)).toEqual([1, 2, 3]);
    expect(big.layers[0]!.weight).toEqual([null, null]);
    expect(small.layers[1]!.bias).toEqual([null, null]);
    const back = tree.combine(big, small);
    expect(back).toBeInstanceOf(MLP);
    expect(back.layers[1]).toBeInstanceOf(Linear);
    expect(tree.treeEqual(back, mlp)).toBe(true);
    expect(back.depth).toBe(2);
  });

  test('filter with a per-field spec', () => {
    const lin = new Linear([1, 2], [3]);
    const spec = tree.treeAt(
      (l) => l.bias,
      tree.map(() => true, lin),
      false,
    );
    const weightsOnly = tree.filter(lin, spec);
    expect(weightsOnly).toBeInstanceOf(Linear);
    expect(weightsOnly.weight).toEqual([1, 2]);
    expect(weightsOnly.bias).toEqual([null]);
  });

  test('treeEqual and mapWithPath', () => {
    expect(tree.treeEqual(makeMlp(), makeMlp())).toBe(true);
    expect(
      tree.treeEqual(
        makeMlp(),
        tree.map((x: number) => x + 1, makeMlp()),
      ),
    ).toBe(false);
    const named = tree.mapWithPath((p) => tree.keystr(p), new Linear([0], [0]));
    expect(named).toBeInstanceOf(Linear);
    expect(named.weight).toEqual(['.weight[0]']);
    expect(named.bias).toEqual(['.bias[0]']);
  });
});
