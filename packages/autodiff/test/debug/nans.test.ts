// debug.checkNaN: stops at the first primitive that produced a NaN, forward or backward, under jit and vmap.
import { cpu, type Backend } from '@equinox-ts/kernels';
import {
  type Tensor,
  TensorError,
  debug,
  getDefaultBackend,
  grad,
  jit,
  numpy,
  setDefaultBackend,
  vmap,
} from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

/** Runs `run`, expects a NaNError, and returns it. */
function nanError(run: () => unknown): InstanceType<typeof debug.NaNError> {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(debug.NaNError);
    return e as InstanceType<typeof debug.NaNError>;
  }
  throw new Error('expected a NaNError, but nothing was thrown');
}

interface Params {
  w: Tensor;
  b: Tensor;
}

// A one-layer model whose loss takes the log of its outputs: negative outputs give NaN.
const predict = (p: Params, x: Tensor) => numpy.matmul(x, p.w).add(p.b);
const logLoss = (p: Params, x: Tensor) => numpy.sum(numpy.log(predict(p, x)));

describe.each(BACKENDS)('debug.checkNaN on $name', (entry) => {
  useBackend(entry);

  const params = (): Params => ({
    w: numpy.array([
      [1, -2],
      [0.5, 1],
    ]),
    b: numpy.array([0.5, 0.5]),
  });
  // x @ w + b = [1 + 0.5 + 0.5, -2 + 1 + 0.5] = [2, -0.5]: the second output is negative.
  const x = numpy.array([1, 1]);

  test('log of a negative model output: names log, its input, the element and the calling line', () => {
    const error = nanError(() => debug.checkNaN(logLoss)(params(), x));
    expect(error.primitive).toBe('log');
    expect(error.inputs).toEqual(['float32[2]']);
    expect(error.message).toMatch(
      /^checkNaN: log produced NaN at index \[1\] of its float32\[2\] output/,
    );
    expect(error.message).toContain('that held no NaN');
    expect(error.message).toContain('nans.test.ts'); // the user's frame, not a library frame
    expect(error.message).not.toContain('backward');
  });

  test('0 / 0 names div', () => {
    const f = (a: Tensor, b: Tensor) => a.div(b).add(1);
    const error = nanError(() => debug.checkNaN(f)(numpy.array([1, 0]), numpy.array([2, 0])));
    expect(error.primitive).toBe('div');
    expect(error.inputs).toEqual(['float32[2]', 'float32[2]']);
    expect(error.message).toContain('NaN at index [1]');
  });

  test('sqrt of a negative value inside a differentiated model names sqrt, in the forward pass', () => {
    const loss = (p: Params, xs: Tensor) => numpy.sum(numpy.sqrt(predict(p, xs).neg()));
    const error = nanError(() => debug.checkNaN(grad(loss))(params(), x));
    expect(error.primitive).toBe('sqrt');
    expect(error.message).toContain('NaN at index [0]'); // -2 is the negative input
    expect(error.message).not.toContain('backward');
  });

  test('a NaN made only by the backward pass (0 * d sqrt(x)/dx at 0) names the backward div', () => {
    const f = (v: Tensor) => numpy.sum(numpy.sqrt(v).mul(0));
    const v = numpy.array([0, 1]);
    // Independent of checkNaN: the forward value is clean and the unchecked gradient is NaN at 0.
    expect(f(v).item()).toBe(0);
    const unchecked = grad(f)(v).tolist() as number[];
    expect(Number.isNaN(unchecked[0])).toBe(true);
    expect(debug.checkNaN(f)(v).item()).toBe(0);

    const error = nanError(() => debug.checkNaN(grad(f))(v));
    // sqrt's VJP divides the cotangent (0) by 2 * sqrt(0) = 0.
    expect(error.primitive).toBe('div');
    expect(error.message).toContain(', in the backward pass of the grad/vjp called at ');
    expect(error.message).toContain('NaN at index [0]');
  });

  test('inside jit: jit runs inline, so the primitive is found', () => {
    const step = jit((p: Params, xs: Tensor) => grad(logLoss)(p, xs));
    const error = nanError(() => debug.checkNaN(step)(params(), x));
    expect(error.primitive).toBe('log');
  });

  test('inside vmap: names the primitive and the batched element', () => {
    const rows = numpy.array([
      [4, 9],
      [1, -1],
    ]);
    const error = nanError(() => debug.checkNaN(vmap((r: Tensor) => numpy.sqrt(r).sum()))(rows));
    expect(error.primitive).toBe('sqrt');
    expect(error.message).toContain('NaN at index [1, 1]');
  });

  test('a clean training step: no false positive, and the same result as without the check', () => {
    const data = numpy.array([
      [1, 2],
      [0.5, -1],
      [2, 0],
    ]);
    const targets = numpy.array([1, 0, 2]);
    const mse = (p: Params) => {
      const out = numpy.matmul(data, p.w).add(p.b).sum({ axis: 1 });
      return numpy.mean(numpy.square(out.sub(targets)));
    };
    const step = jit((p: Params) => {
      const g = grad(mse)(p);
      return { w: p.w.sub(g.w.mul(0.05)), b: p.b.sub(g.b.mul(0.05)) };
    });
    const checked = debug.checkNaN(step);
    let plain = params();
    let watched = params();
    for (let i = 0; i < 5; i++) {
      plain = step(plain);
      watched = checked(watched);
    }
    const plainW = plain.w.dataSync();
    watched.w.dataSync().forEach((value, i) => expect(value).toBeCloseTo(plainW[i]!, 5));
    expect(watched.b._trace).toBeNull(); // the outputs are plain tensors again
    expect(mse(watched).item()).toBeLessThan(mse(params()).item());
  });

  test('integer and boolean outputs are not checked, and NaN-free ints pass', () => {
    const f = (a: Tensor) => numpy.argmax(a).add(1);
    expect(
      debug
        .checkNaN(f)(numpy.array([1, 3, 2]))
        .item(),
    ).toBe(2);
  });

  test('a NaN in the arguments is reported as coming in through the inputs', () => {
    const error = nanError(() =>
      debug.checkNaN((p: Params) => p.w.add(1))({ w: numpy.array([1, NaN]), b: numpy.array([0]) }),
    );
    expect(error.primitive).toBeNull();
    expect(error.message).toContain('argument 0.w (float32[2]) holds NaN at index [1]');
    expect(error.message).toContain('came in through the inputs');
  });

  test('a NaN in a closed-over tensor is reported as coming from outside, not blamed on the primitive', () => {
    const outside = numpy.array([NaN, 1]);
    const error = nanError(() =>
      debug.checkNaN((a: Tensor) => a.mul(outside))(numpy.array([1, 2])),
    );
    expect(error.primitive).toBeNull();
    expect(error.message).toContain('input 1 of mul (float32[2]) already held NaN at index [0]');
    expect(error.message).toContain('closed-over');
  });

  test('checkInputs: false lets a NaN argument through until a primitive passes it on', () => {
    const f = debug.checkNaN((a: Tensor) => a.mul(2), { checkInputs: false });
    const error = nanError(() => f(numpy.array([NaN])));
    expect(error.primitive).toBeNull();
    expect(error.message).toContain('input 0 of mul');
  });

  test('without checkInf an infinity passes until it becomes NaN: exp(100) * 0 names mul', () => {
    const f = (a: Tensor) => numpy.exp(a).mul(0);
    const error = nanError(() => debug.checkNaN(f)(numpy.array([1, 100])));
    expect(error.primitive).toBe('mul'); // exp(100) overflows float32 to Infinity, Infinity * 0 is NaN
    expect(error.message).toContain('NaN at index [1]');
  });

  test('checkInf names exp for exp(100)', () => {
    const error = nanError(() =>
      debug.checkNaN((a: Tensor) => numpy.exp(a), { checkInf: true })(numpy.array([1, 100])),
    );
    expect(error.primitive).toBe('exp');
    expect(error.message).toContain('Infinity at index [1]');
  });

  test('the check is off again after the wrapped function returns or throws', () => {
    nanError(() => debug.checkNaN(logLoss)(params(), x));
    expect(Number.isNaN(logLoss(params(), x).item())).toBe(true); // no throw outside checkNaN
  });

  test('jit around checkNaN is refused with a clear error', () => {
    const f = jit(debug.checkNaN((a: Tensor) => a.add(1)));
    expect(() => f(numpy.ones([2]))).toThrow(
      'checkNaN: it cannot read values while jit traces (jit(checkNaN(f))); put jit inside instead',
    );
  });
});

describe('debug.checkNaN on a backend without synchronous reads', () => {
  let previous: Backend;
  beforeAll(() => (previous = getDefaultBackend()));
  afterAll(() => setDefaultBackend(previous));

  test('throws an error naming the backend and the fix', () => {
    const asyncOnly = Object.create(cpu, {
      name: { value: 'asyncOnly' },
      readSync: { value: undefined },
    }) as Backend;
    setDefaultBackend(asyncOnly);
    const run = () => debug.checkNaN(() => 1)();
    expect(run).toThrow(TensorError);
    expect(run).toThrow(
      'checkNaN: it reads every primitive output synchronously, and the asyncOnly backend reads only asynchronously',
    );
  });
});
