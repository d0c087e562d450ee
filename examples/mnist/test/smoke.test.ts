// The MNIST example in a few steps on a small subset: the loss falls, accuracy is reported, the
// checkpoint loads back into a fresh model that predicts as the trained one did; and the command line
// answers --help and refuses bad flags with a clear message and exit code 2.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as runProcess } from '@equinox-ts/example-kit/run-cli';
import { loadSafetensors, random, tree, type Tensor } from 'equinox-ts';
import { DEFAULTS } from '../args.js';
import { IMAGE_SIZE, loadDigits, splitDigits } from '../data.js';
import { CNN } from '../model.js';
import { SPLIT_SEED, type TrainResult, predict, toTensors, train } from '../train.js';
import { runCli } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-smoke-'));
const checkpoint = join(dir, 'cnn.safetensors');
const lines: string[] = [];
const progress: string[] = [];
let result: TrainResult;

beforeAll(async () => {
  // Two epochs of 12 steps: enough for the loss to fall, short enough for CI.
  const options = {
    ...DEFAULTS,
    epochs: 2,
    batchSize: 32,
    trainSize: 384,
    testSize: 200,
    checkpoint,
  };
  result = await train(options, {
    log: (line) => lines.push(line),
    progress: { write: (text) => progress.push(text), isTTY: false },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the training loss falls and the test accuracy is reported each epoch', () => {
  expect(result.losses).toHaveLength(2);
  expect(result.losses[1]).toBeLessThan(result.losses[0]!);
  expect(
    lines.filter((line) => /^epoch \d\/2: .*test accuracy \d+\.\d\d%/.test(line)),
  ).toHaveLength(2);
  // Better than the 10% of guessing, after 24 small steps.
  expect(result.accuracies.at(-1)).toBeGreaterThan(0.3);
  // Without a terminal the bar prints plain lines, the last one at the final step.
  expect(progress.at(-1)).toMatch(/step 24\/24 loss \d\.\d{4} \d+ ex\/s .*ETA 0:00\n$/);
});

test('the checkpoint loads into a fresh model that predicts as the trained one', async () => {
  expect(statSync(checkpoint).size).toBeGreaterThan(0);
  const fresh = new CNN(random.key(1234));
  const loaded = await loadSafetensors(checkpoint, fresh);
  const { test: testSet } = splitDigits(loadDigits(), 384, 200, SPLIT_SEED);
  const [images] = toTensors(
    testSet.images.subarray(0, 50 * IMAGE_SIZE),
    testSet.labels.subarray(0, 50),
  );
  const expected = Array.from(await predict(result.model, images).data());
  expect(Array.from(await predict(loaded, images).data())).toEqual(expected);
  // Every weight came from the file, not from the fresh initialisation.
  const trainedLeaves = tree.leaves(result.model) as Tensor[];
  const loadedLeaves = tree.leaves(loaded) as Tensor[];
  expect(loadedLeaves).toHaveLength(trainedLeaves.length);
  for (let i = 0; i < trainedLeaves.length; i++) {
    const [a, b] = await Promise.all([trainedLeaves[i]!.data(), loadedLeaves[i]!.data()]);
    expect(Array.from(b)).toEqual(Array.from(a));
  }
});

test('--help prints the usage and exits 0', async () => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const streams = {
    stdout: { write: (t: string) => stdout.push(t) },
    stderr: { write: (t: string) => stderr.push(t) },
  };
  expect(await runCli(['--help'], streams)).toBe(0);
  expect(stdout.join('')).toContain('Usage: pnpm start -- [flags]');
  expect(stdout.join('')).toContain('--batch-size');
  expect(stderr).toEqual([]);
});

test('a bad flag exits 2 with a message naming it, what it expects and what it found', async () => {
  const run = await runProcess(join(__dirname, '..'), ['--epochs', 'ten']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--epochs: expected an integer >= 1, found 'ten'");
  expect(run.stderr).not.toMatch(/^\s+at /m); // no stack trace
});
