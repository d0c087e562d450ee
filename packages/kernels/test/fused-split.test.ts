// Splitting fused programs for backends whose kernels read few arrays: the parts fit the limit, are few,
// and compute what the whole program computes (the CPU backend's one-kernel fused is the reference).
import { type BackendArray, type FusedProgram, cpu } from '../src/index.js';
import { fusedWithinLimit } from '../src/fused-split.js';
import { prng, randomFloats } from './reference/random.js';

/** The CPU backend's kernels, counting the fused kernels and the most inputs one of them read. */
function countingKernels() {
  const seen = { kernels: 0, widest: 0 };
  const kernels = {
    fusedKernel: (program: FusedProgram, inputs: readonly BackendArray[]) => {
      seen.kernels++;
      seen.widest = Math.max(seen.widest, inputs.length);
      return cpu.fused(program, inputs);
    },
    broadcastTo: (x: BackendArray, shape: readonly number[]) => cpu.broadcastTo(x, shape),
    release: (x: BackendArray) => cpu.release(x),
  };
  return { seen, kernels };
}

const rng = prng(11);
const upload = (shape: number[]): BackendArray =>
  cpu.upload(Float32Array.from(randomFloats(rng, shape).data), shape);

test('a chain of 18 additions over 19 inputs takes three kernels of at most 8 inputs', () => {
  const inputs = Array.from({ length: 19 }, () => upload([5]));
  const steps: FusedProgram['steps'][number][] = [{ op: 'add', args: [0, 1] }];
  for (let k = 2; k < 19; k++) steps.push({ op: 'add', args: [19 + k - 2, k] });
  const program = { steps };
  const { seen, kernels } = countingKernels();
  const got = fusedWithinLimit(kernels, program, inputs, 8);
  expect(seen).toEqual({ kernels: 3, widest: 8 });
  expect(Array.from(cpu.readSync(got))).toEqual(
    Array.from(cpu.readSync(cpu.fused(program, inputs))),
  );
});

test('a step whose operands each read many inputs makes its operands first', () => {
  // (x0 + ... + x5) * (x6 + ... + x11): each factor reads 6 inputs, the product 12.
  const inputs = Array.from({ length: 12 }, () => upload([2, 3]));
  const steps: FusedProgram['steps'][number][] = [{ op: 'add', args: [0, 1] }];
  for (let k = 2; k < 6; k++) steps.push({ op: 'add', args: [12 + k - 2, k] });
  steps.push({ op: 'add', args: [6, 7] });
  for (let k = 8; k < 12; k++) steps.push({ op: 'add', args: [12 + steps.length - 1, k] });
  steps.push({ op: 'mul', args: [16, 12 + steps.length - 1] });
  const program = { steps };
  const { seen, kernels } = countingKernels();
  const got = fusedWithinLimit(kernels, program, inputs, 8);
  expect(seen.widest).toBeLessThanOrEqual(8);
  expect(seen.kernels).toBe(2);
  expect(Array.from(cpu.readSync(got))).toEqual(
    Array.from(cpu.readSync(cpu.fused(program, inputs))),
  );
});

test('programs within the limit run as they are, in one kernel', () => {
  const inputs = [upload([3]), upload([3])];
  const program: FusedProgram = { steps: [{ op: 'sub', args: [0, 1] }] };
  const { seen, kernels } = countingKernels();
  fusedWithinLimit(kernels, program, inputs, 8);
  expect(seen).toEqual({ kernels: 1, widest: 2 });
});

test('a value made for a later step is read as made by the earlier steps built on it', () => {
  // Reads: v8 = x0 + x1, v9 = v8 + x2, v10 = x3 + x4; v11 = v8 * v10 makes v8 (4 reads > 3); then
  // v12 = v9 + x5 must make v9 on top of the made v8, not from x0 and x1 again.
  const inputs = Array.from({ length: 8 }, () => upload([4]));
  const program: FusedProgram = {
    steps: [
      { op: 'add', args: [0, 1] },
      { op: 'add', args: [8, 2] },
      { op: 'add', args: [3, 4] },
      { op: 'mul', args: [8, 10] },
      { op: 'add', args: [9, 5] },
      { op: 'sub', args: [12, 11] },
      { op: 'mul', args: [13, 6] },
      { op: 'add', args: [14, 7] },
    ],
  };
  const { seen, kernels } = countingKernels();
  const got = fusedWithinLimit(kernels, program, inputs, 3);
  expect(seen.widest).toBeLessThanOrEqual(3);
  expect(Array.from(cpu.readSync(got))).toEqual(
    Array.from(cpu.readSync(cpu.fused(program, inputs))),
  );
});

test('random programs: every part fits, and the result is bit for bit the whole program result', () => {
  const pick = prng(29);
  const ops = ['add', 'sub', 'mul', 'max'] as const;
  for (let trial = 0; trial < 200; trial++) {
    const count = 4 + Math.floor(pick() * 16);
    const inputs = Array.from({ length: count }, () => upload([3]));
    const steps: FusedProgram['steps'][number][] = [];
    const length = 1 + Math.floor(pick() * 24);
    for (let i = 0; i < length; i++) {
      // Any earlier value, so that programs are trees and DAGs, not only chains.
      const arg = (): number => Math.floor(pick() * (count + i));
      steps.push({ op: ops[Math.floor(pick() * ops.length)]!, args: [arg(), arg()] });
    }
    const program = { steps };
    const limit = 3 + Math.floor(pick() * 6);
    const { seen, kernels } = countingKernels();
    const got = fusedWithinLimit(kernels, program, inputs, limit);
    const want = cpu.fused(program, inputs);
    expect({ trial, widest: Math.min(seen.widest, limit) }).toEqual({ trial, widest: seen.widest });
    expect({ trial, got: Array.from(cpu.readSync(got)) }).toEqual({
      trial,
      got: Array.from(cpu.readSync(want)),
    });
  }
});
