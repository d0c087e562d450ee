import { CpuBackend } from '@equinox-ts/kernels';
import * as tree from '@equinox-ts/pytree';
import {
  type Tensor,
  debug,
  filterJit,
  getDefaultBackend,
  grad,
  jit,
  nn,
  numpy,
  random,
  setDefaultBackend,
  valueAndGrad,
  vmap,
} from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { tensorErrorMessage } from '../helpers/errors.js';

describe.each(BACKENDS)('jit on $name', (entry) => {
  useBackend(entry);

  const mlp = (params: { w: Tensor; b: Tensor }[], x: Tensor) => {
    let h = x;
    params.forEach((layer, i) => {
      h = numpy.matmul(h, layer.w).add(layer.b);
      if (i < params.length - 1) h = nn.relu(h);
    });
    return h;
  };
  const makeParams = () => {
    const [k1, k2, k3] = random.split(random.key(1), 3);
    return {
      params: [
        { w: random.normal(k1!, [4, 8]), b: numpy.zeros([8]) },
        { w: random.normal(k2!, [8, 3]), b: numpy.ones([3]) },
      ],
      x: random.normal(k3!, [5, 4]),
    };
  };

  test('a jitted function gives what the eager one gives, and traces once per signature', () => {
    const { params, x } = makeParams();
    const traced = debug.assertMaxTraces(mlp, 2);
    const fast = jit(traced);
    const eager = mlp(params, x).dataSync();
    expect(fast(params, x).dataSync()).toEqual(eager);
    expect(fast(params, x).dataSync()).toEqual(eager);
    expect(debug.getNumTraces(traced)).toBe(1);
    // A new shape is a new signature.
    expect(fast(params, x.get('0:2')).shape).toEqual([2, 3]);
    expect(debug.getNumTraces(traced)).toBe(2);
    expect(() => fast(params, x.get('0:1'))).toThrow(
      /^assertMaxTraces: the function was traced 3 times, more than the 2 allowed/,
    );
  });

  test('jit(grad(f)) compiles the backward pass and matches eager gradients', () => {
    const { params, x } = makeParams();
    const loss = (p: typeof params, xs: Tensor) => numpy.mean(numpy.square(mlp(p, xs)));
    const eager = grad(loss)(params, x);
    const compiled = jit(grad(loss))(params, x);
    tree.leaves(compiled).forEach((g: Tensor, i) => {
      const want = (tree.leaves(eager)[i] as Tensor).dataSync();
      const got = g.dataSync();
      want.forEach((v, j) => expect(got[j]).toBeCloseTo(v, 5));
    });
  });

  test('grad(jit(f)), vmap(jit(f)) and jit(vmap(f)) agree with the plain versions', () => {
    const f = (x: Tensor) => numpy.sin(x).mul(x).sum();
    const x = numpy.array([0.5, 1, 2]);
    expect(grad(jit(f))(x).dataSync()).toEqual(grad(f)(x).dataSync());
    const xs = numpy.array([
      [1, 2],
      [3, 4],
    ]);
    expect(vmap(jit(f))(xs).dataSync()).toEqual(vmap(f)(xs).dataSync());
    expect(jit(vmap(f))(xs).dataSync()).toEqual(vmap(f)(xs).dataSync());
    const [value, g] = jit(valueAndGrad(f))(x);
    expect(value.item()).toBeCloseTo(f(x).item(), 6);
    expect(g.dataSync()).toEqual(grad(f)(x).dataSync());
  });

  test('static values are part of the signature; filterJit passes non-tensor leaves through', () => {
    let traces = 0;
    const scale = jit((x: Tensor, factor: number) => {
      traces++;
      return x.mul(factor);
    });
    expect(scale(numpy.ones([2]), 3).tolist()).toEqual([3, 3]);
    expect(scale(numpy.ones([2]), 3).tolist()).toEqual([3, 3]);
    expect(scale(numpy.ones([2]), 4).tolist()).toEqual([4, 4]);
    expect(traces).toBe(2);
    const model = { w: numpy.array([1, -1]), activation: nn.relu, name: 'layer' };
    const apply = filterJit((m: typeof model, x: Tensor) => ({
      y: m.activation(m.w.mul(x)),
      name: m.name,
    }));
    const out = apply(model, numpy.array([2, 2]));
    expect(out.y.tolist()).toEqual([2, 0]);
    expect(out.name).toBe('layer');
    expect(tensorErrorMessage(() => jit((m: typeof model) => m.w)(model))).toBe(
      'jit: argument 0.activation is a function; jit takes tensors, numbers, booleans and strings (use filterJit for trees that hold functions or other objects)',
    );
  });

  test('reading a traced value is a clear error', () => {
    const branchy = jit((x: Tensor) => (x.sum().item() > 0 ? x : x.neg()));
    expect(tensorErrorMessage(() => branchy(numpy.ones([2])))).toMatch(
      /^data: cannot read the values of a float32\[\] tensor inside jit: .*use numpy\.where instead of an if$/,
    );
    // Printing a traced tensor shows what is known: its shape and dtype.
    let printed = '';
    jit((x: Tensor) => {
      printed = x.toString();
      return x;
    })(numpy.ones([1]));
    expect(printed).toBe('Tensor(shape=[1], dtype=float32, traced by jit)');
  });

  test('constants created inside and closed-over tensors are captured', () => {
    const offset = numpy.array([10, 20]);
    const f = jit((x: Tensor) => x.add(offset).add(numpy.ones([2])));
    expect(f(numpy.array([1, 2])).tolist()).toEqual([12, 23]);
    expect(f(numpy.array([3, 4])).tolist()).toEqual([14, 25]);
    // A tensor traced by an enclosing grad, closed over, is an error with a fix.
    const message = tensorErrorMessage(() =>
      grad((w: Tensor) => {
        const g = jit((x: Tensor) => x.mul(w).sum());
        return g(numpy.ones([2]));
      })(numpy.ones([2])),
    );
    expect(message).toBe(
      'mul: jit: the function uses a tensor traced by an enclosing grad that is not one of its arguments (a closure); pass it as an argument instead',
    );
  });
});

describe.each(BACKENDS)('jit donation on $name', (entry) => {
  useBackend(entry);

  test('donated inputs are consumed, their memory reused, and results unchanged', () => {
    const update = (w: Tensor, g: Tensor) => w.sub(g.mul(0.5));
    const donating = jit(update, { donateArgnums: 0 });
    const plain = jit(update);
    let w1 = numpy.ones([64, 64]);
    let w2 = numpy.ones([64, 64]);
    const g = numpy.full([64, 64], 0.25);
    for (let i = 0; i < 4; i++) {
      const old = w1;
      w1 = donating(w1, g);
      w2 = plain(w2, g);
      expect(() => old.add(1)).toThrow(/released/);
    }
    expect(Array.from(w1.dataSync())).toEqual(Array.from(w2.dataSync()));
    // The undonated argument and the result stay usable.
    expect(g.sum().item()).toBe(0.25 * 64 * 64);
  });

  test('a donated tensor that is also returned, passed undonated, or captured is kept', () => {
    const captured = numpy.ones([2]);
    const f = jit((a: Tensor, b: Tensor) => ({ same: a, sum: a.add(b).add(captured) }), {
      donateArgnums: [0, 1],
    });
    const x = numpy.array([1, 2]);
    const out = f(x, x); // x donated twice and returned as is
    expect(out.same.tolist()).toEqual([1, 2]);
    expect(out.sum.tolist()).toEqual([3, 5]);
    const g = jit((a: Tensor, b: Tensor) => a.add(b), { donateArgnums: 0 });
    const y = numpy.array([5, 6]);
    expect(g(y, y).tolist()).toEqual([10, 12]); // y is also the undonated argument: kept
    expect(y.tolist()).toEqual([5, 6]);
    const h = jit((a: Tensor) => a.add(captured), { donateArgnums: 0 });
    expect(h(captured).tolist()).toEqual([2, 2]); // a graph constant: kept
    expect(captured.tolist()).toEqual([1, 1]);
  });
});

describe('jit across backends', () => {
  test('after a backend switch, a jitted function compiles again (its constants live on the first)', () => {
    const first = getDefaultBackend();
    const other = new CpuBackend();
    const f = jit((x: Tensor) => x.mul(2).add(numpy.array([1, 1])));
    expect(f(numpy.array([1, 2])).tolist()).toEqual([3, 5]);
    setDefaultBackend(other);
    try {
      const out = f(numpy.array([3, 4]));
      expect(out.backend).toBe(other);
      expect(out.tolist()).toEqual([7, 9]);
    } finally {
      setDefaultBackend(first);
    }
    expect(f(numpy.array([0, 1])).tolist()).toEqual([1, 3]);
  });
});
