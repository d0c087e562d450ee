// debug.memory counts live tensors (made, not disposed nor collected) and the backend's arrays;
// debug.trackTensors finds which tensors made since a point are still alive, and what made them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CpuBackend } from '@equinox-ts/kernels';
import { debug, jit, numpy, type Tensor } from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Full collections take a while on a loaded machine (a CI run timed out at jest's default 5 s).
jest.setTimeout(60_000);

/**
 * Collects garbage and lets finalisation callbacks run, for 3 rounds or, with `until`, until it holds
 * (at most 50 rounds: under load the callbacks can take several).
 */
async function collect(until: () => boolean = () => false): Promise<void> {
  for (let round = 0; round < 50 && (round < 3 || !until()); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, round < 3 ? 0 : 10));
  }
}

// Counting is a debug mode; memory() turns it on at its first call.
afterAll(() => debug.countMemory(false));

describe('debug.memory', () => {
  test('counts a tensor and its bytes until dispose; a second dispose throws and counts nothing', () => {
    const before = debug.memory();
    const x = numpy.zeros([3, 5]);
    expect(debug.memory().tensors - before.tensors).toBe(1);
    expect(debug.memory().arrays - before.arrays).toBe(1);
    expect(debug.memory().bytes - before.bytes).toBe(3 * 5 * 4);
    x.dispose();
    expect(debug.memory().tensors).toBe(before.tensors);
    expect(debug.memory().arrays).toBe(before.arrays);
    expect(() => x.dispose()).toThrow(/release/);
    expect(debug.memory().tensors).toBe(before.tensors);
  });

  test('counts per backend', () => {
    const other = new CpuBackend();
    const kept = numpy.ones([2], { backend: other });
    expect(debug.memory(other)).toMatchObject({ tensors: 1, arrays: 1, bytes: 8 });
    expect(kept.shape).toEqual([2]);
  });

  test('dropped tensors count down after garbage collection', async () => {
    const backend = new CpuBackend();
    let sum = 0;
    for (let i = 0; i < 100; i++) sum += numpy.full([4], i, { backend }).mul(2).sum().item();
    expect(sum).toBe(2 * 4 * ((99 * 100) / 2));
    await collect(() => debug.memory(backend).tensors < 5 && debug.memory(backend).arrays < 5);
    expect(debug.memory(backend).tensors).toBeLessThan(5);
    expect(debug.memory(backend).arrays).toBeLessThan(5);
  });
});

test('debug.countMemory(false) stops counting new tensors; those counted stay right', () => {
  const before = debug.memory().tensors;
  const counted = numpy.ones([2]);
  debug.countMemory(false);
  const uncounted = numpy.ones([2]);
  expect(debug.memory().tensors - before).toBe(1); // memory() turned counting back on
  uncounted.dispose();
  counted.dispose();
  expect(debug.memory().tensors).toBe(before);
});

describe('debug.trackTensors', () => {
  test('lists the tensors made while tracking that are still alive, with shape, dtype and primitive', async () => {
    const kept: Tensor[] = [];
    const tracker = debug.trackTensors();
    for (let step = 0; step < 4; step++) {
      const x = numpy.arange(6).reshape([2, 3]).astype('float32');
      kept.push(numpy.exp(x)); // kept: the leak to find
      numpy.log(x.add(1)).sum(); // dropped
    }
    tracker.stop();
    const afterStop = numpy.exp(numpy.ones([1]));
    await collect();
    const live = tracker.live();
    const exps = live.filter((t) => t.primitive === 'exp');
    expect(exps.map((t) => t.tensor)).toEqual(kept);
    expect(exps[0]).toMatchObject({ shape: [2, 3], dtype: 'float32', backend: 'cpu' });
    // The stack leads to this file, past the library's frames.
    expect(exps[0]!.stack.split('\n')[0]).toMatch(/at /);
    expect(exps[0]!.stack).toContain('debug-memory.test');
    expect(live.some((t) => t.primitive === 'log')).toBe(false);
    expect(live.some((t) => t.tensor === afterStop)).toBe(false);
  });

  test('a disposed tensor is no longer live', () => {
    const tracker = debug.trackTensors();
    const x = numpy.ones([3]).neg();
    tracker.stop();
    expect(tracker.live().some((t) => t.tensor === x)).toBe(true);
    x.dispose();
    expect(tracker.live().some((t) => t.tensor === x)).toBe(false);
  });

  test('jit outputs are tracked without a primitive name', () => {
    const f = jit((a: Tensor) => a.mul(2).add(1));
    const a = numpy.ones([2]);
    f(a); // trace outside the tracker
    const tracker = debug.trackTensors();
    const y = f(a);
    tracker.stop();
    const entry = tracker.live().find((t) => t.tensor === y);
    expect(entry).toMatchObject({ primitive: null, shape: [2] });
    expect(Array.from(y.dataSync())).toEqual([3, 3]);
  });

  test('nested trackers both record, and stopping restores nothing twice', () => {
    const outer = debug.trackTensors();
    const inner = debug.trackTensors();
    const a = numpy.ones([1]).add(1);
    inner.stop();
    const b = numpy.ones([1]).add(2);
    outer.stop();
    outer.stop();
    const c = numpy.ones([1]).add(3);
    expect(inner.live().map((t) => t.tensor)).toContain(a);
    expect(inner.live().map((t) => t.tensor)).not.toContain(b);
    expect(outer.live().map((t) => t.tensor)).toEqual(expect.arrayContaining([a, b]));
    expect(outer.live().map((t) => t.tensor)).not.toContain(c);
  });
});
