// A 2D toy classifier: an MLP (nn.MLP) learns two interleaved spirals with a jitted Adam step, prints its
// accuracy, draws the decision boundary it learnt in the terminal, and saves its weights as safetensors.
// Run it with `pnpm --filter @equinox-ts/example-toy-classifier start` (add `-- --help` for the flags).
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlagValues, numberFlag, runMain } from '@equinox-ts/example-kit/cli';
import { random, saveSafetensors } from 'equinox-ts';
import { LEGEND, drawDecisionBoundary } from './boundary.js';
import { accuracy } from './model.js';
import { trainClassifier } from './train.js';

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), 'out', 'spirals-mlp.safetensors');

const USAGE = `Trains an MLP on two interleaved spirals and saves its weights.

Options:
  --steps N      optimiser steps on the whole training set (default 400)
  --lr X         Adam's learning rate (default 0.01)
  --points N     training points per class (default 256)
  --seed N       seeds the data and the initial weights (default 0)
  --out PATH     where to save the weights (default out/spirals-mlp.safetensors in this
                 example's folder)
  --no-plot      skip the ASCII plot of the decision boundary
  --help         show this help`;

/** The flags USAGE describes, as `parseArgs` options: numbers come as text and are checked below. */
const FLAGS = {
  steps: { type: 'string' },
  lr: { type: 'string' },
  points: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'no-plot': { type: 'boolean' },
} as const;

async function main(values: FlagValues<typeof FLAGS>): Promise<void> {
  const steps = numberFlag('steps', values.steps, 400);
  const learningRate = numberFlag('lr', values.lr, 0.01, 'positive number');
  const perClass = numberFlag('points', values.points, 256);
  const seed = numberFlag('seed', values.seed, 0, 'non-negative integer');
  const out = values.out ?? DEFAULT_OUT;

  console.log(
    `Training an MLP on ${2 * perClass} spiral points for ${steps} steps (Adam, lr ${learningRate})`,
  );
  const started = performance.now();
  const { model, train, test } = await trainClassifier({
    steps,
    learningRate,
    key: random.key(seed),
    perClass,
    onLog: (step, loss) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`  step ${String(step).padStart(5)}  loss ${loss.toFixed(4)}  (${seconds} s)`);
    },
  });

  const trainAccuracy = await accuracy(model, train.points, train.labels);
  const testAccuracy = await accuracy(model, test.points, test.labels);
  console.log(`train accuracy ${(100 * trainAccuracy).toFixed(1)}%`);
  console.log(`test accuracy  ${(100 * testAccuracy).toFixed(1)}% (512 points not trained on)`);

  if (!values['no-plot']) {
    console.log(`\n${await drawDecisionBoundary(model, { data: train })}`);
    console.log(LEGEND);
  }

  await mkdir(dirname(out), { recursive: true });
  await saveSafetensors(out, model);
  console.log(`\nsaved the weights to ${out}`);
}

await runMain(USAGE, FLAGS, main);
