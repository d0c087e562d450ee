// The command line: defaults, both flag spellings, and a clear UsageError for every kind of bad input.
import { UsageError } from '@equinox-ts/example-kit/cli';
import { DEFAULTS, parseArgs } from '../args.js';

test('no flags give the defaults; --help and -h ask for the usage', () => {
  expect(parseArgs([])).toEqual(DEFAULTS);
  expect(parseArgs(['--epochs', '3', '--help'])).toBe('help');
  expect(parseArgs(['-h'])).toBe('help');
});

test('flags take a value after them or after =, and a leading -- is ignored', () => {
  expect(
    parseArgs(['--', '--backend', 'webgpu', '--epochs=3', '--batch-size', '32', '--lr', '1e-3']),
  ).toEqual({ ...DEFAULTS, backend: 'webgpu', epochs: 3, batchSize: 32, lr: 1e-3 });
  expect(
    parseArgs(['--seed', '7', '--checkpoint', 'a/b.safetensors', '--train-size', '512']),
  ).toEqual({ ...DEFAULTS, seed: 7, checkpoint: 'a/b.safetensors', trainSize: 512 });
});

test.each([
  [['--epochs', '0'], "--epochs: expected an integer >= 1, found '0'"],
  [['--batch-size', '2.5'], "--batch-size: expected an integer >= 1, found '2.5'"],
  [['--lr', '-1'], "--lr: expected a number > 0, found '-1'"],
  [['--lr=abc'], "--lr: expected a number > 0, found 'abc'"],
  [['--seed', '-3'], "--seed: expected an integer >= 0, found '-3'"],
  [['--backend', 'tpu'], "--backend: expected one of cpu, webgpu, gpujs, auto; found 'tpu'"],
  [['--epochs'], '--epochs: expected a value after it, found nothing'],
  [['--epochs', '--lr', '1'], '--epochs: expected a value after it, found --lr'],
  [['--epoch', '3'], '--epoch: unknown flag; expected one of --backend, --epochs'],
  [['--checkpoint='], '--checkpoint: expected a file path, found an empty string'],
  [
    ['--batch-size', '100', '--train-size', '50'],
    "--batch-size: expected at most the training set's size (50), found 100",
  ],
  [
    ['--train-size', '9000', '--test-size', '2000'],
    'expected at most 10000 digits together, found 9000 + 2000',
  ],
])('%j is refused: %s', (argv, message) => {
  expect(() => parseArgs(argv)).toThrow(UsageError);
  expect(() => parseArgs(argv)).toThrow(message);
});
