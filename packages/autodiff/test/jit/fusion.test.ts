// jit fuses elementwise chains into one kernel call, and the results stay bit for bit the eager ones.
import { type Backend, cpu } from '@equinox-ts/kernels';
import { type Tensor, grad, jit, nn, numpy, random, setDefaultBackend } from '../../src/index.js';

/** The CPU backend, counting the calls of each kernel. */
function countingBackend(counts: Record<string, number>): Backend {
  return new Proxy(cpu, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts[property] = (counts[property] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(receiver, args);
      };
    },
  });
}

afterEach(() => setDefaultBackend(cpu));

const same = (a: Tensor, b: Tensor): void => {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
};

test('an SGD update is one fused kernel call', () => {
  const counts: Record<string, number> = {};
  setDefaultBackend(countingBackend(counts));
  const update = jit((w: Tensor, g: Tensor) => w.sub(g.mul(0.01)));
  const w = numpy.ones([4, 3]);
  const g = numpy.full([4, 3], 2);
  const expected = w.sub(g.mul(0.01));
  update(w, g); // traces (and fuses)
  for (const key of Object.keys(counts)) delete counts[key];
  same(update(w, g), expected);
  expect(counts.fused).toBe(1);
  expect(counts.binary ?? 0).toBe(0);
});

test('values read twice or returned stay arrays; results match eager code exactly', () => {
  const f = (x: Tensor, y: Tensor) => {
    const shared = numpy.tanh(x.mul(y)); // read by two later ops: not fused into either
    const a = shared.add(1).mul(shared.sub(2));
    const mask = x.gt(0);
    const b = numpy.where(mask, a, a.neg()).astype('int32').astype('float32');
    return { a, b: b.div(y.add(3)), mask };
  };
  const [kx, ky] = random.split(random.key(3));
  const x = random.normal(kx!, [5, 4]);
  const y = random.uniform(ky!, [4]);
  const eager = f(x, y);
  const compiled = jit(f)(x, y);
  same(compiled.a, eager.a);
  same(compiled.b, eager.b);
  same(compiled.mask, eager.mask);
});

test('a whole training step: fused, and equal to the eager step', () => {
  const counts: Record<string, number> = {};
  setDefaultBackend(countingBackend(counts));
  const [k1, k2] = random.split(random.key(0));
  const params = { w: random.normal(k1!, [6, 4]), b: numpy.zeros([4]) };
  const x = random.normal(k2!, [8, 6]);
  const labels = nn.oneHot(numpy.arange(8).astype('float32').mul(3).astype('int32'), 4);
  const loss = (p: typeof params) =>
    numpy
      .mean(
        numpy.sum(nn.logSoftmax(nn.relu(numpy.matmul(x, p.w).add(p.b))).mul(labels), { axis: -1 }),
      )
      .neg();
  const step = (p: typeof params) => {
    const g = grad(loss)(p);
    return { w: p.w.sub(g.w.mul(0.1)), b: p.b.sub(g.b.mul(0.1)) };
  };
  const compiled = jit(step);
  const first = compiled(params);
  expect(counts.fused).toBeGreaterThan(0);
  const eager = step(params);
  same(first.w, eager.w);
  same(first.b, eager.b);
});

test('a replay releases its intermediate arrays, never its inputs, constants or outputs', () => {
  const counts: Record<string, number> = {};
  setDefaultBackend(countingBackend(counts));
  const scale = numpy.full([64, 64], 3); // a constant of the graph
  const f = jit((x: Tensor) => {
    const h = numpy.matmul(x, scale); // intermediate, read twice below
    return numpy.matmul(h, h).add(x);
  });
  const x = numpy.eye(64);
  const first = f(x);
  for (const key of Object.keys(counts)) delete counts[key];
  for (let i = 0; i < 5; i++) {
    const again = f(x);
    expect(Array.from(again.dataSync())).toEqual(Array.from(first.dataSync()));
  }
  expect(counts.release).toBeGreaterThanOrEqual(5);
  // Inputs, constants and earlier outputs are still usable.
  expect(x.sum().item()).toBe(64);
  expect(scale.sum().item()).toBe(3 * 64 * 64);
  expect(first.shape).toEqual([64, 64]);
});
