// A character-level language model: an Embedding, a GRU cell (nn.GRUCell) run along the text and a Linear
// head learn to predict each next character of text.txt (original prose written for this repository).
// It prints the loss falling, then writes new text from a seeded key. Run it with
// `pnpm --filter @equinox-ts/example-char-rnn start` (add `-- --help` for the flags).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlagValues, numberFlag, runMain } from '@equinox-ts/example-kit/cli';
import { random } from 'equinox-ts';
import { readCorpus, unigramEntropy } from './corpus.js';
import { sampleText } from './sample.js';
import { trainCharRnn } from './train.js';

const TEXT = join(dirname(fileURLToPath(import.meta.url)), 'text.txt');

const USAGE = `Trains a character-level GRU language model on text.txt, then writes new text.

Options:
  --steps N          optimiser steps (default 300)
  --batch-size N     windows of 32 characters per step (default 16)
  --hidden N         size of the GRU's hidden state (default 64)
  --lr X             Adam's learning rate (default 0.01)
  --seed N           seeds the initial weights, the windows and the sampling (default 0)
  --length N         characters to write (default 300)
  --temperature X    sampling temperature: lower is more cautious (default 0.8)
  --prompt TEXT      what the written text starts with (default 'The ')
  --help             show this help`;

/** The flags USAGE describes, as `parseArgs` options: numbers come as text and are checked below. */
const FLAGS = {
  steps: { type: 'string' },
  'batch-size': { type: 'string' },
  hidden: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  length: { type: 'string' },
  temperature: { type: 'string' },
  prompt: { type: 'string' },
} as const;

async function main(values: FlagValues<typeof FLAGS>): Promise<void> {
  const steps = numberFlag('steps', values.steps, 300);
  const batchSize = numberFlag('batch-size', values['batch-size'], 16);
  const hiddenSize = numberFlag('hidden', values.hidden, 64);
  const learningRate = numberFlag('lr', values.lr, 0.01, 'positive number');
  const seed = numberFlag('seed', values.seed, 0, 'non-negative integer');
  const length = numberFlag('length', values.length, 300);
  const temperature = numberFlag('temperature', values.temperature, 0.8, 'positive number');
  const prompt = values.prompt ?? 'The ';

  const [trainKey, sampleKey] = random.split(random.key(seed));
  const corpus = readCorpus(TEXT);
  console.log(`text.txt: ${corpus.ids.length} characters, ${corpus.vocabulary.length} distinct`);
  console.log(
    `Knowing only how often each character occurs scores ${unigramEntropy(corpus).toFixed(3)} nats per ` +
      'character; the model learns to do better from the characters before.',
  );
  console.log(`Training for ${steps} steps, ${batchSize} windows of 32 characters each`);
  const started = performance.now();
  const { model } = await trainCharRnn(corpus, {
    steps,
    batchSize,
    hiddenSize,
    learningRate,
    key: trainKey!,
    onLog: (step, loss) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `  step ${String(step).padStart(5)}  loss ${loss.toFixed(3)} nats/char  (${seconds} s)`,
      );
    },
  });

  console.log(`\nSampled at temperature ${temperature}:\n`);
  console.log(
    await sampleText(model, corpus.vocabulary, { key: sampleKey!, prompt, length, temperature }),
  );
}

await runMain(USAGE, FLAGS, main);
