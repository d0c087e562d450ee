// vmap and filterVmap as functions of pytrees: inAxes/outAxes, axisSize, nesting, composition and errors.
import { type Tensor, filterVmap, grad, jit, numpy, vmap } from '../../src/index.js';
import { primitives } from '../../src/core/primitive.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { tensorErrorMessage } from '../helpers/errors.js';

describe.each(BACKENDS)('vmap on $name', (entry) => {
  useBackend(entry);
  const xs = numpy.array([
    [1, 2, 3],
    [4, 5, 6],
  ]); // two examples of 3, or three of 2 along axis 1

  test('pytree inputs and outputs, with per-argument and per-leaf inAxes', () => {
    const f = (p: { w: Tensor; b: Tensor }, x: Tensor) => ({
      y: p.w.mul(x).add(p.b),
      total: x.sum(),
    });
    const params = { w: numpy.array([1, 10, 100]), b: numpy.array([0.5, 0.5]) };
    // Map w not at all, b over axis 0, x over axis 0.
    const out = vmap(f, { inAxes: [{ w: null, b: 0 }, 0] })(params, xs);
    expect(out.y.tolist()).toEqual([
      [1.5, 20.5, 300.5],
      [4.5, 50.5, 600.5],
    ]);
    expect(out.total.tolist()).toEqual([6, 15]);
    // A tree of outAxes: y with the batch last.
    const moved = vmap(f, { inAxes: [{ w: null, b: 0 }, 0], outAxes: { y: -1, total: 0 } })(
      params,
      xs,
    );
    expect(moved.y.shape).toEqual([3, 2]);
  });

  test('inAxes 1 and -1 map over other axes; outputs that do not depend on the batch are broadcast', () => {
    expect(vmap((c: Tensor) => c.sum(), { inAxes: 1 })(xs).tolist()).toEqual([5, 7, 9]);
    expect(vmap((c: Tensor) => c.max(), { inAxes: -1 })(xs).tolist()).toEqual([4, 5, 6]);
    const constant = vmap((_x: Tensor) => numpy.array([7, 8]))(xs);
    expect(constant.tolist()).toEqual([
      [7, 8],
      [7, 8],
    ]);
    expect(vmap(() => numpy.ones([2]), { inAxes: [], axisSize: 3 })().shape).toEqual([3, 2]);
  });

  test('nested vmap is an outer product of maps', () => {
    const outer = vmap(
      vmap((a: Tensor, b: Tensor) => a.mul(b), { inAxes: [null, 0] }),
      { inAxes: [0, null] },
    );
    expect(outer(numpy.array([1, 2]), numpy.array([10, 20, 30])).tolist()).toEqual([
      [10, 20, 30],
      [20, 40, 60],
    ]);
  });

  test('per-example gradients, gradients of a vmapped loss, and jit around vmap', () => {
    const loss = (w: Tensor, x: Tensor) => w.mul(x).square().sum();
    const w = numpy.array([1, -1, 2]);
    const perExample = vmap(grad(loss), { inAxes: [null, 0] })(w, xs);
    // d/dw (w.x)^2 summed elementwise = 2 w x^2.
    expect(perExample.tolist()).toEqual([
      [2, -8, 36],
      [32, -50, 144],
    ]);
    const total = grad((v: Tensor) => vmap(loss, { inAxes: [null, 0] })(v, xs).sum())(w);
    expect(total.tolist()).toEqual([34, -58, 180]);
    expect(jit(vmap(grad(loss), { inAxes: [null, 0] }))(w, xs).tolist()).toEqual(
      perExample.tolist(),
    );
  });

  test('filterVmap maps tensor leaves and passes everything else through', () => {
    const model = {
      scale: numpy.array([
        [1, 2, 3],
        [10, 20, 30],
      ]),
      name: 'scaler',
      fn: numpy.square,
      k: 2,
    };
    const apply = (m: typeof model, x: Tensor) => ({
      y: m.fn(m.scale.mul(x)).mul(m.k),
      name: m.name,
    });
    const out = filterVmap(apply)(model, xs);
    expect(out.y.tolist()).toEqual([
      [2, 32, 162],
      [3200, 20000, 64800],
    ]);
    expect(out.name).toBe('scaler');
    // A shared model: inAxes null for it.
    const shared = filterVmap(apply, { inAxes: [null, 0] })(model, numpy.array([[1, 1, 1]]));
    expect(shared.y.shape).toEqual([1, 2, 3]);
  });

  test('bad axes and mismatched sizes are clear errors', () => {
    expect(
      tensorErrorMessage(() => vmap((a: Tensor, b: Tensor) => a.add(b))(xs, numpy.ones([3, 3]))),
    ).toBe(
      'vmap: mapped axes must all have the same length: argument 0 has 2 along axis 0, argument 1 has 3 along axis 0',
    );
    expect(tensorErrorMessage(() => vmap((a: Tensor) => a, { inAxes: 2 })(xs))).toBe(
      'vmap: axis 2 of argument 0 (float32[2, 3]) is out of range for its rank 2',
    );
    expect(tensorErrorMessage(() => vmap((a: Tensor, n: number) => a.mul(n))(xs, 3))).toBe(
      'vmap: cannot map over axis 0 of argument 1, the number 3: only tensors can be mapped (use null in inAxes, or filterVmap)',
    );
    expect(tensorErrorMessage(() => vmap(() => numpy.ones([1]), { inAxes: [] })())).toBe(
      'vmap: no argument is mapped (all inAxes are null): give axisSize',
    );
    expect(tensorErrorMessage(() => vmap((a: Tensor) => a, { outAxes: null })(xs))).toBe(
      'vmap: output 0 varies over the batch, so its outAxes entry cannot be null',
    );
    expect(tensorErrorMessage(() => vmap((a: Tensor) => a.sum().item())(xs))).toMatch(
      /^data: cannot read the values of a float32\[\] tensor traced by vmap/,
    );
  });

  test('every primitive has a batching rule', () => {
    const missing = [...primitives()].filter(([, p]) => !p.batch).map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
