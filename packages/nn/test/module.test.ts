// Module semantics: fields as children, static fields, immutability, checkInit, converters, bound
// methods, printing, and modules through transformations and tree functions.
import {
  type Tensor,
  applyUpdates,
  filterGrad,
  filterJit,
  filterVmap,
  grad,
  jit,
  numpy,
  random,
  vmap,
} from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { Module, field, isModule, treePformat } from '../src/index.js';
import { expectClose } from './helpers/layers.js';

class Affine extends Module {
  weight: Tensor;
  bias: Tensor;
  activation: (x: Tensor) => Tensor = field({ static: true });
  size: number = field({ static: true, converter: (n: number) => Math.trunc(n) });
  constructor(size: number, key: Tensor, activation: (x: Tensor) => Tensor = numpy.tanh) {
    super();
    this.weight = random.normal(key, [Math.trunc(size)]);
    this.bias = numpy.zeros([Math.trunc(size)]);
    this.activation = activation;
    this.size = size;
  }
  call(x: Tensor): Tensor {
    return this.activation(this.weight.mul(x).add(this.bias));
  }
  energy(x: Tensor): Tensor {
    return this.call(x).sum();
  }
}

describe('Module', () => {
  const model = new Affine(3.7, random.key(0));

  test('fields are children in constructor order; static fields are in the treedef', () => {
    const [leaves, def] = tree.flatten(model);
    expect(leaves).toEqual([model.weight, model.bias]);
    expect(model.size).toBe(3); // the converter ran
    const paths = tree.leavesWithPath(model).map(([p]) => tree.keystr(p));
    expect(paths).toEqual(['.weight', '.bias']);
    const other = new Affine(3, random.key(1), numpy.sin);
    expect(tree.structure(other).equals(def)).toBe(false); // a different static activation
    expect(tree.structure(new Affine(3, random.key(2))).equals(def)).toBe(true);
    const rebuilt = tree.unflatten<Affine>(def, [numpy.ones([3]), numpy.zeros([3])]);
    expect(rebuilt).toBeInstanceOf(Affine);
    expect(rebuilt.activation).toBe(numpy.tanh);
    expect(rebuilt.size).toBe(3);
    expect(rebuilt.call(numpy.zeros([3])).tolist()).toEqual([0, 0, 0]);
  });

  test('assigning, redefining or deleting a field throws and points to treeAt', () => {
    const m = new Affine(2, random.key(0));
    expect(() => {
      m.weight = numpy.ones([2]);
    }).toThrow(
      /Affine\.weight: is already set \(a field is set once, in the constructor\)\. Modules are immutable after construction, as in Equinox: make a changed copy with treeAt\(\(m\) => m\.weight, module, newValue\)/,
    );
    tree.leaves(m); // construction is over once the module is used
    expect(() => {
      (m as unknown as Record<string, unknown>).extra = 1;
    }).toThrow(/Affine\.extra: cannot be assigned/);
    expect(() => delete (m as unknown as Record<string, unknown>).bias).toThrow(
      /Affine\.bias: cannot be deleted/,
    );
    expect(() => Object.defineProperty(m, 'bias', { value: 1 })).toThrow(/Affine\.bias/);
    // Copies made by transformations are immutable too.
    const copy = tree.map((x: Tensor) => x.mul(2), m);
    expect(() => {
      copy.bias = numpy.ones([2]);
    }).toThrow(/Affine\.bias: cannot be assigned/);
    const replaced = tree.treeAt((x: Affine) => x.bias, m, numpy.ones([2]));
    expect(replaced.bias.tolist()).toEqual([1, 1]);
    expect(m.bias.tolist()).toEqual([0, 0]);
  });

  test('checkInit runs once construction is over; a field declared with field() must be set', () => {
    const calls: number[] = [];
    class Checked extends Module {
      scale: number;
      constructor(scale: number) {
        super();
        this.scale = scale;
      }
      override checkInit(): void {
        calls.push(this.scale);
        if (this.scale <= 0)
          throw new RangeError(`Checked: scale must be > 0, found ${this.scale}`);
      }
      double(): number {
        return this.scale * 2;
      }
    }
    const ok = new Checked(2);
    expect(ok.double()).toBe(4);
    expect(ok.double()).toBe(4);
    tree.leaves(ok);
    expect(calls).toEqual([2]);
    const bad = new Checked(-1);
    expect(() => {
      tree.leaves(bad);
    }).toThrow(/Checked: scale must be > 0, found -1/);
    expect(() => bad.double()).toThrow(/scale must be > 0/); // checked again: it never became valid
    class Forgot extends Module {
      name: string = field({ static: true });
    }
    expect(() => {
      tree.leaves(new Forgot());
    }).toThrow(/Forgot\.name is declared with field\(\) but its constructor never assigned it/);
    expect(() => field({ converter: 3 as never })).toThrow(/field: converter must be a function/);
  });

  test('methods come bound, so they can be passed to transformations', () => {
    const xs = numpy.ones([4, 3]);
    const expected = numpy.tanh(model.weight.add(model.bias)).tolist();
    const { call } = model;
    expect(call(numpy.ones([3])).tolist()).toEqual(expected);
    expect(vmap(model.call)(xs).tolist()).toEqual([expected, expected, expected, expected]);
    expect(filterJit(model.call)(numpy.ones([3])).tolist()).toEqual(expected);
    // d/dx sum(tanh(w x + b)) = w (1 - tanh(w x)^2) with b = 0, by hand.
    const dx = grad(model.energy)(numpy.ones([3]));
    const w = model.weight.tolist() as number[];
    (dx.tolist() as number[]).forEach((v, i) =>
      expect(v).toBeCloseTo(w[i]! * (1 - Math.tanh(w[i]!) ** 2), 5),
    );
    expect(model.call).toBe(model.call); // one bound function per instance and method
    expect(Affine.prototype.call).not.toBe(model.call); // the plain method on the prototype
  });

  test('gradients, filterVmap, filterJit, partition/combine and applyUpdates keep the class', () => {
    const x = numpy.array([0.5, -1, 2]);
    const loss = (m: Affine, v: Tensor) => m.call(v).square().sum();
    const g = filterGrad(loss)(model, x);
    expect(g).toBeInstanceOf(Affine);
    // d/dw tanh(w x + b)^2 = 2 tanh(u) (1 - tanh(u)^2) x, by hand.
    const w = model.weight.tolist() as number[];
    const expectedW = w.map((wi, i) => {
      const xi = [0.5, -1, 2][i]!;
      const t = Math.tanh(wi * xi);
      return 2 * t * (1 - t * t) * xi;
    });
    (g.weight.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(expectedW[i]!, 5));
    const batched = filterVmap((m: Affine, v: Tensor) => m.call(v), { inAxes: [null, 0] });
    expect(batched(model, numpy.stack([x, x])).shape).toEqual([2, 3]);
    const step = filterJit((m: Affine, v: Tensor) =>
      tree.map((p: Tensor, d: Tensor) => p.sub(d.mul(0.1)), m, filterGrad(loss)(m, v)),
    );
    const next = step(model, x);
    expect(next).toBeInstanceOf(Affine);
    expect(next.activation).toBe(numpy.tanh);
    const [params, statics] = tree.partition(
      model,
      (l: unknown) => l instanceof numpy.array([0]).constructor,
    );
    const back = tree.combine(params, statics);
    expect(back).toBeInstanceOf(Affine);
    expect(back.weight).toBe(model.weight);
    const updated = applyUpdates(
      model,
      tree.map((d: Tensor | null) => d && d.mul(-1), g),
    );
    expect(updated).toBeInstanceOf(Affine);
    expect(updated.activation).toBe(numpy.tanh);
    expectClose(updated.weight, model.weight.sub(g.weight).tolist());
    const jitted = jit((m: Affine) => m.weight.sum())(model);
    expect(jitted.item()).toBeCloseTo(
      (model.weight.tolist() as number[]).reduce((a, b) => a + b),
      5,
    );
  });

  test('nested modules, modules in arrays and objects, and treeAt replacing a layer', () => {
    const relu = (x: Tensor) => numpy.maximum(x, 0);
    class Stack extends Module {
      layers: Affine[];
      extras: { head: Affine; note: string };
      constructor() {
        super();
        const [a, b, c] = random.split(random.key(3), 3);
        this.layers = [new Affine(2, a!, relu), new Affine(2, b!, relu)];
        this.extras = { head: new Affine(2, c!, relu), note: 'n' };
      }
    }
    const s = new Stack();
    expect(tree.leaves(s)).toHaveLength(6 + 1); // three layers of two tensors, and the note
    expect(tree.leavesWithPath(s).map(([p]) => tree.keystr(p))).toEqual([
      '.layers[0].weight',
      '.layers[0].bias',
      '.layers[1].weight',
      '.layers[1].bias',
      '.extras.head.weight',
      '.extras.head.bias',
      '.extras.note',
    ]);
    const replacement = new Affine(2, random.key(9), numpy.sin);
    const swapped = tree.treeAt((m: Stack) => m.layers[1]!, s, replacement);
    expect(swapped.layers[1]).toBe(replacement);
    expect(swapped.layers[0]).toBe(s.layers[0]);
    expect(isModule(swapped)).toBe(true);
    expect(isModule({})).toBe(false);
    expect(String(s)).toBe(
      [
        'Stack(',
        '  layers=[',
        '    Affine(weight=f32[2], bias=f32[2], activation=<function relu>, size=2),',
        '    Affine(weight=f32[2], bias=f32[2], activation=<function relu>, size=2),',
        '  ],',
        '  extras={',
        '    head: Affine(',
        '      weight=f32[2],',
        '      bias=f32[2],',
        '      activation=<function relu>,',
        '      size=2,',
        '    ),',
        '    note: "n",',
        '  },',
        ')',
      ].join('\n'),
    );
    expect(treePformat([numpy.zeros([2], { dtype: 'int32' }), null, true])).toBe(
      '[i32[2], null, true]',
    );
  });
});
