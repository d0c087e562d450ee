// No tape leak: the record of a grad call is garbage once the call returns, so memory stays flat over
// long loops. Checked by heap growth over a bounded loop (after forced collections), not by time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Tensor } from '../src/index.js';
import { filterGrad, grad, jit, numpy } from '../src/index.js';
import { traceDepth } from '../src/core/trace.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('10,000 grad calls keep the heap flat', () => {
  const w = numpy.array([
    [0.5, -0.25],
    [0.125, 1],
  ]);
  const x = numpy.array([[1, 2]]);
  const loss = (p: { w: Tensor }) => numpy.tanh(numpy.matmul(x, p.w)).square().sum();
  const step = () => grad(loss)({ w }).w;
  for (let i = 0; i < 500; i++) step(); // warm up caches and code
  const before = heapAfterCollection();
  let last: Tensor | undefined;
  for (let i = 0; i < 10_000; i++) last = step();
  const growth = heapAfterCollection() - before;
  expect(last!.shape).toEqual([2, 2]);
  // A leaked graph costs well over 1 KB per call (10+ tensors, nodes and closures): 10 MB for the loop.
  expect(growth).toBeLessThan(2_000_000);
});

test('5,000 jitted training steps keep the heap flat', () => {
  const x = numpy.array([
    [1, 2],
    [3, -1],
  ]);
  const y = numpy.array([[0.5], [-0.5]]);
  const loss = (w: Tensor) => numpy.mean(numpy.square(numpy.tanh(numpy.matmul(x, w)).sub(y)));
  const step = jit((w: Tensor) => w.sub(grad(loss)(w).mul(0.1)));
  let w = numpy.array([[0.1], [0.2]]);
  for (let i = 0; i < 500; i++) w = step(w);
  const before = heapAfterCollection();
  for (let i = 0; i < 5_000; i++) w = step(w);
  const growth = heapAfterCollection() - before;
  expect(loss(w).item()).toBeLessThan(loss(numpy.array([[0.1], [0.2]])).item());
  expect(growth).toBeLessThan(2_000_000);
});

test('a grad loop that throws inside the function leaves no trace behind', () => {
  const bad = filterGrad((m: { w: Tensor }) => {
    m.w.mul(2);
    throw new Error('boom');
  });
  for (let i = 0; i < 100; i++) expect(() => bad({ w: numpy.ones([2]) })).toThrow('boom');
  expect(traceDepth()).toBe(0);
});
