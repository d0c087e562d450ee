// fused: a chain of elementwise steps in one kernel equals the same steps run one kernel at a time.
import {
  KernelError,
  type Backend,
  type BackendArray,
  type FusedProgram,
} from '../../src/index.js';
import { prng, randomFloats, randomInts } from '../reference/random.js';
import { LAYOUTS, forEachBackend, put, testSimdLaunches } from './helpers.js';

/** Runs `program` step by step with the ordinary kernels: the oracle. */
function stepByStep(
  be: Backend,
  program: FusedProgram,
  inputs: readonly BackendArray[],
): BackendArray {
  const values = [...inputs];
  for (const step of program.steps) {
    const args = step.args.map((v) => values[v]!);
    if (step.op === 'where') values.push(be.where(args[0]!, args[1]!, args[2]!));
    else if (step.op === 'cast') values.push(be.cast(args[0]!, step.dtype!));
    else if (args.length === 1) values.push(be.unary(step.op as never, args[0]!));
    else values.push(be.binary(step.op as never, args[0]!, args[1]!));
  }
  return values[values.length - 1]!;
}

async function expectSameAsSteps(
  be: Backend,
  program: FusedProgram,
  inputs: readonly BackendArray[],
): Promise<void> {
  const got = be.fused(program, inputs);
  const want = stepByStep(be, program, inputs);
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  // Bit for bit: each fused step rounds as its own kernel does.
  expect(Array.from(await be.read(got))).toEqual(Array.from(await be.read(want)));
}

forEachBackend((ctx) => {
  describe('fused', () => {
    const rng = prng(5);

    it('an SGD update with a broadcast scalar, in every layout', async () => {
      const program: FusedProgram = {
        steps: [
          { op: 'mul', args: [2, 1] },
          { op: 'sub', args: [0, 3] },
        ],
      };
      for (const layout of LAYOUTS) {
        const w = put(ctx.be, randomFloats(rng, [4, 6]), layout);
        const g = put(ctx.be, randomFloats(rng, [4, 6]), layout);
        const lr = ctx.be.full([], 0.01, 'float32');
        await expectSameAsSteps(ctx.be, program, [w, g, lr]);
      }
    });

    it('more inputs than one kernel reads (WebGPU and WebGL split the program), with broadcasting and an unused input', async () => {
      // 19 inputs: more than SwiftShader's WebGPU kernels (8) or WebGL2's (16) read. A chain of adds
      // over inputs 0..9, then a tree over 10..17; input 18 is never read but still shapes the result.
      const shapes = [[3, 4], [4], [], [3, 1], [3, 4], [4], [3, 4], [], [1, 4], [3, 4]];
      const treeShapes = [[3, 4], [4], [3, 4], [], [3, 4], [3, 4], [4], [3, 1]];
      const inputs = [...shapes, ...treeShapes, [2, 3, 4]].map((shape) =>
        put(ctx.be, randomFloats(rng, shape), 'contiguous'),
      );
      const steps: FusedProgram['steps'][number][] = [{ op: 'add', args: [0, 1] }];
      for (let k = 2; k < 10; k++) steps.push({ op: 'add', args: [19 + steps.length - 1, k] });
      const chain = 19 + steps.length - 1;
      const next = (step: FusedProgram['steps'][number]): number => steps.push(step) + 18;
      const p = next({ op: 'mul', args: [10, 11] });
      const q = next({ op: 'sub', args: [12, 13] });
      const r = next({ op: 'max', args: [p, q] });
      const t = next({ op: 'gt', args: [14, 15] });
      const u = next({ op: 'where', args: [t, r, 16] });
      const w = next({ op: 'add', args: [chain, u] });
      next({ op: 'mul', args: [w, 17] });
      const program: FusedProgram = { steps };
      const got = ctx.be.fused(program, inputs);
      const want = ctx.be.broadcastTo(stepByStep(ctx.be, program, inputs), [2, 3, 4]);
      expect(got.shape).toEqual([2, 3, 4]);
      expect(Array.from(await ctx.be.read(got))).toEqual(Array.from(await ctx.be.read(want)));
    });

    it("ReLU's backward pass: a comparison feeding where, with broadcasting", async () => {
      const x = put(ctx.be, randomFloats(rng, [3, 5]));
      const ct = put(ctx.be, randomFloats(rng, [5]));
      const zero = ctx.be.full([], 0, 'float32');
      const program: FusedProgram = {
        steps: [
          { op: 'gt', args: [0, 2] },
          { op: 'where', args: [3, 1, 2] },
        ],
      };
      await expectSameAsSteps(ctx.be, program, [x, ct, zero]);
    });

    it('transcendental chains, casts both ways and int32 wrap-around', async () => {
      const x = put(ctx.be, randomFloats(rng, [2, 3, 4], -3, 3));
      const floatChain: FusedProgram = {
        steps: [
          { op: 'tanh', args: [0] },
          { op: 'exp', args: [1] },
          { op: 'sigmoid', args: [2] },
          { op: 'erf', args: [3] },
          { op: 'mul', args: [4, 0] },
        ],
      };
      await expectSameAsSteps(ctx.be, floatChain, [x]);
      const big = ctx.be.full([], 3e9, 'float32');
      const casts: FusedProgram = {
        steps: [
          { op: 'mul', args: [0, 1] },
          { op: 'cast', args: [2], dtype: 'int32' },
          { op: 'add', args: [3, 3] },
          { op: 'cast', args: [4], dtype: 'float32' },
          { op: 'cast', args: [5], dtype: 'bool' },
        ],
      };
      await expectSameAsSteps(ctx.be, casts, [x, big]);
      const ints = put(ctx.be, randomInts(rng, [7], -2e9, 2e9));
      const wrap: FusedProgram = {
        steps: [
          { op: 'mul', args: [0, 0] },
          { op: 'add', args: [1, 0] },
          { op: 'shiftRightLogical', args: [2, 0] },
        ],
      };
      await expectSameAsSteps(ctx.be, wrap, [ints]);
    });

    it('more than three inputs, each used several times', async () => {
      const inputs = [0, 1, 2, 3, 4].map(() => put(ctx.be, randomFloats(rng, [3, 2])));
      const program: FusedProgram = {
        steps: [
          { op: 'add', args: [0, 4] },
          { op: 'mul', args: [5, 3] },
          { op: 'max', args: [6, 2] },
          { op: 'sub', args: [7, 1] },
          { op: 'div', args: [8, 4] },
        ],
      };
      await expectSameAsSteps(ctx.be, program, inputs);
    });

    it('refuses programs that do not make sense', () => {
      const x = ctx.be.full([2], 1, 'float32');
      const i = ctx.be.full([2], 1, 'int32');
      const run =
        (program: unknown, inputs: BackendArray[] = [x]) =>
        () =>
          ctx.be.fused(program as FusedProgram, inputs);
      expect(run({ steps: [] })).toThrow(
        'fused: `program.steps` must be a non-empty list, found []',
      );
      expect(run({ steps: [{ op: 'neg', args: [1] }] })).toThrow(
        'fused: step 0: `args` must name earlier values (0 to 0), found [1]',
      );
      expect(run({ steps: [{ op: 'add', args: [0, 1] }] }, [x, i])).toThrow(
        'fused: step 0: add needs operands of one dtype, found float32 and int32',
      );
      expect(run({ steps: [{ op: 'exp', args: [0] }] }, [i])).toThrow(
        'fused: step 0: exp does not take int32 (it takes float32)',
      );
      expect(run({ steps: [{ op: 'frobnicate', args: [0] }] })).toThrow(KernelError);
      expect(run({ steps: [{ op: 'add', args: [0] }] })).toThrow(
        'fused: step 0: add takes 2 arguments, found 1',
      );
      expect(run({ steps: [{ op: 'neg', args: [0] }] }, [])).toThrow(KernelError);
    });
  });

  testSimdLaunches(ctx);
});
