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
