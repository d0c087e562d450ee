// A small stateful model: an MLP with nn.BatchNorm layers, built with nn.makeWithState, learns a synthetic
// regression whose inputs come in very different units. The State (the running statistics) is threaded
// through a jitted training step; evaluation then runs in inference mode (nn.inferenceMode), one example
// at a time if need be. Run it with `pnpm --filter @equinox-ts/example-batchnorm start` (`-- --help` for
// the flags).
import { type FlagValues, UsageError, numberFlag, runMain } from '@equinox-ts/example-kit/cli';
import { jnp, random } from 'equinox-ts';
import { INPUT_OFFSET, INPUT_SCALE, makeRegression } from './data.js';
import { evaluate, predict, trainModel } from './train.js';

const USAGE = `Trains an MLP with BatchNorm layers on a synthetic regression, then evaluates it in inference mode.

Options:
  --epochs N       passes over the 2048 training examples (default 15)
  --batch-size N   examples per step, over which BatchNorm takes its statistics (default 64)
  --lr X           Adam's learning rate (default 0.003)
  --seed N         seeds the data, the initial weights and the shuffling (default 0)
  --help           show this help`;

/** The flags USAGE describes, as `parseArgs` options: numbers come as text and are checked below. */
const FLAGS = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
} as const;

const TRAIN_SIZE = 2048;
const TEST_SIZE = 1024;

async function main(values: FlagValues<typeof FLAGS>): Promise<void> {
  const epochs = numberFlag('epochs', values.epochs, 15);
  const batchSize = numberFlag('batch-size', values['batch-size'], 64);
  const learningRate = numberFlag('lr', values.lr, 0.003, 'positive number');
  const seed = numberFlag('seed', values.seed, 0, 'non-negative integer');
  if (batchSize < 2 || batchSize > TRAIN_SIZE) {
    throw new UsageError(
      `--batch-size: expected 2 to ${TRAIN_SIZE} (batch statistics need 2 examples), found ${batchSize}`,
    );
  }

  const [trainDataKey, testDataKey, trainKey] = random.split(random.key(seed), 3);
  const train = makeRegression(trainDataKey!, TRAIN_SIZE);
  const test = makeRegression(testDataKey!, TEST_SIZE);
  console.log(
    `Target: sin(3 u0) cos(2 u1); inputs: 300 + 40 u0 and 0.05 u1, u uniform in [-1, 1]^2`,
  );
  console.log(`Training on ${TRAIN_SIZE} examples for ${epochs} epochs, batches of ${batchSize}`);
  const started = performance.now();
  const { model, state } = await trainModel(train, {
    epochs,
    batchSize,
    learningRate,
    key: trainKey!,
    onEpoch: (epoch, loss) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `  epoch ${String(epoch).padStart(3)}  mean squared error ${loss.toFixed(4)}  (${seconds} s)`,
      );
    },
  });

  // The first BatchNorm has learnt the inputs' units: its running statistics live in the State.
  const [mean, variance] = state.get(model.inputNorm.stateIndex);
  const means = await mean.data();
  const stds = await jnp.sqrt(variance).data();
  console.log(`\ninput BatchNorm's running statistics (from the State), and the data's own:`);
  const describe = (m: number[], s: number[]) =>
    `mean ${m[0]!.toFixed(2)}, ${m[1]!.toFixed(4)}   std ${s[0]!.toFixed(2)}, ${s[1]!.toFixed(4)}`;
  console.log(`  learnt  ${describe(Array.from(means), Array.from(stds))}`);
  // A uniform variable on [-1, 1] has mean 0 and standard deviation 1 / sqrt(3).
  console.log(
    `  data    ${describe(
      [...INPUT_OFFSET],
      INPUT_SCALE.map((s) => s / Math.sqrt(3)),
    )}`,
  );

  console.log(`\nEvaluating in inference mode on ${TEST_SIZE} fresh examples:`);
  const { mse, variance: spread } = await evaluate(model, state, test);
  console.log(
    `  mean squared error ${mse.toFixed(4)}; predicting the mean would give ${spread.toFixed(4)}`,
  );
  console.log(`  R^2 ${(1 - mse / spread).toFixed(3)}`);

  const shown = test.inputs.get('0:3');
  const predictions = await predict(model, state, shown).data();
  const targets = await test.targets.get('0:3').data();
  const inputs = await shown.data();
  predictions.forEach((p, i) => {
    const input = `(${inputs[2 * i]!.toFixed(1)}, ${inputs[2 * i + 1]!.toFixed(4)})`;
    console.log(`  input ${input} -> predicted ${p.toFixed(3)}, true ${targets[i]!.toFixed(3)}`);
  });
}

await runMain(USAGE, FLAGS, main);
