// Backend.memory(): every backend counts its live arrays and their bytes, from creation until release
// or garbage collection, so a leak shows up as a count that keeps growing. In Node only (not in the
// browser conformance run): it forces garbage collection through V8's flags.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setArrayCounting, type Backend } from '../src/index.js';
import { forEachBackend } from './conformance/helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Collects garbage and lets the FinalizationRegistry callbacks run (they wait for a later task): 3
 * rounds, or with `until`, until it holds (at most 50 rounds: under load the callbacks can take several).
 */
async function collect(until: () => boolean = () => false): Promise<void> {
  for (let round = 0; round < 50 && (round < 3 || !until()); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, round < 3 ? 0 : 10));
  }
}

/** Makes `count` arrays of 8 float32 and drops them all. */
function makeAndDrop(be: Backend, count: number): void {
  for (let i = 0; i < count; i++) be.unary('neg', be.full([8], i, 'float32'));
}

beforeAll(() => setArrayCounting(true));
afterAll(() => setArrayCounting(false));

forEachBackend((ctx) => {
  describe('memory()', () => {
    it('counts an upload with its bytes until it is released', () => {
      const before = ctx.be.memory();
      // 8 float32 are 32 bytes, a size every backend stores without rounding up.
      const x = ctx.be.upload(new Float32Array(8), [8]);
      expect(ctx.be.memory().arrays - before.arrays).toBe(1);
      expect(ctx.be.memory().bytes - before.bytes).toBe(32);
      ctx.be.release(x);
      expect(ctx.be.memory().arrays).toBe(before.arrays);
      expect(ctx.be.memory().bytes).toBe(before.bytes);
    });

    it('counts kernel results, and a reshape as an array without bytes of its own', () => {
      const x = ctx.be.upload(new Float32Array(8), [8]);
      const before = ctx.be.memory();
      const y = ctx.be.unary('neg', x);
      const viewed = ctx.be.reshape(y, [2, 4]);
      expect(ctx.be.memory().arrays - before.arrays).toBe(2);
      expect(ctx.be.memory().bytes - before.bytes).toBe(32);
      ctx.be.release(viewed);
      ctx.be.release(y);
      ctx.be.release(x);
    });

    it('counts down arrays the program dropped once they are garbage-collected', async () => {
      await collect();
      const before = ctx.be.memory();
      makeAndDrop(ctx.be, 200);
      // Each step made 2 arrays; none is reachable any more.
      expect(ctx.be.memory().arrays - before.arrays).toBeGreaterThan(0);
      await collect(() => ctx.be.memory().arrays - before.arrays < 10);
      const after = ctx.be.memory();
      // Allow for a handful the collector has not reached yet; a leak would leave all 400.
      expect(after.arrays - before.arrays).toBeLessThan(10);
      expect(after.bytes - before.bytes).toBeLessThan(10 * 32);
    });

    it('counts nothing made while counting is off (except on WebGPU, which always counts)', () => {
      setArrayCounting(false);
      try {
        const before = ctx.be.memory().arrays;
        const x = ctx.be.full([8], 1, 'float32');
        expect(ctx.be.memory().arrays - before).toBe(ctx.be.name === 'webgpu' ? 1 : 0);
        ctx.be.release(x);
        expect(ctx.be.memory().arrays).toBe(before);
      } finally {
        setArrayCounting(true);
      }
    });

    it('reports only numbers', () => {
      for (const [key, value] of Object.entries(ctx.be.memory())) {
        expect([key, typeof value]).toEqual([key, 'number']);
      }
    });
  });
});
