// The BatchNorm example: the data is what it claims, training threads the State and learns, the running
// statistics match the data's, and inference mode predicts one example alone as it does in a batch.
import { join } from 'node:path';
import { runCli } from '@equinox-ts/example-kit/run-cli';
import { TensorError, jnp, nn, random } from 'equinox-ts';
import { INPUT_OFFSET, INPUT_SCALE, makeRegression } from '../data.js';
import { type Trained, evaluate, predict, trainModel } from '../train.js';

const EXAMPLE = join(__dirname, '..');
const train = makeRegression(random.key(10), 2048);
const testSet = makeRegression(random.key(11), 512);
let trained: Trained;

beforeAll(async () => {
  trained = await trainModel(train, { epochs: 3 });
});

test('targets are sin(3 u0) cos(2 u1) of the inputs taken back to u', async () => {
  const { inputs, targets } = makeRegression(random.key(3), 200);
  const x = await inputs.data();
  const y = await targets.data();
  for (let i = 0; i < 200; i++) {
    const u0 = (x[2 * i]! - INPUT_OFFSET[0]) / INPUT_SCALE[0];
    const u1 = (x[2 * i + 1]! - INPUT_OFFSET[1]) / INPUT_SCALE[1];
    expect(Math.abs(u0)).toBeLessThanOrEqual(1 + 1e-5);
    expect(Math.abs(u1)).toBeLessThanOrEqual(1 + 1e-5);
    expect(y[i]).toBeCloseTo(Math.sin(3 * u0) * Math.cos(2 * u1), 4);
  }
});

test('training lowers the loss, and inference mode explains most of the variance', async () => {
  const losses = trained.epochLosses;
  expect(losses).toHaveLength(3);
  expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
  const { mse, variance } = await evaluate(trained.model, trained.state, testSet);
  expect(variance).toBeGreaterThan(0.1);
  // Predicting the mean scores `variance`; the model must do far better.
  expect(mse).toBeLessThan(0.1 * variance);
});

test("the input BatchNorm's running statistics in the State are the data's", async () => {
  const { model, state } = trained;
  expect(state.get(model.inputNorm.firstTimeIndex).tolist()).toBe(false);
  const [mean, variance] = state.get(model.inputNorm.stateIndex);
  const means = await mean.data();
  const stds = await jnp.sqrt(variance).data();
  // u is uniform on [-1, 1]: mean 0, standard deviation 1 / sqrt(3); the running values average
  // the last ~100 batches of 64, so they are within a few percent of the population's.
  expect(Math.abs(means[0]! - INPUT_OFFSET[0])).toBeLessThan(0.1 * INPUT_SCALE[0]);
  expect(Math.abs(means[1]! - INPUT_OFFSET[1])).toBeLessThan(0.1 * INPUT_SCALE[1]);
  INPUT_SCALE.forEach((scale, i) => {
    expect(stds[i]! / (scale / Math.sqrt(3))).toBeGreaterThan(0.9);
    expect(stds[i]! / (scale / Math.sqrt(3))).toBeLessThan(1.1);
  });
});

test('inference mode predicts one example alone as in a batch, and leaves the state alone', async () => {
  const { model, state } = trained;
  const batch = await predict(model, state, testSet.inputs.get('0:5')).data();
  const evaluating = nn.inferenceMode(model);
  for (let i = 0; i < 5; i++) {
    const [y, same] = evaluating.call(testSet.inputs.get(i), state);
    expect(same).toBe(state);
    expect((await y.data())[0]).toBeCloseTo(batch[i]!, 5);
  }
  // In training mode a lone example has no batch to take statistics over.
  expect(() => model.call(testSet.inputs.get(0), state)).toThrow(TensorError);
});

test('the command line trains, evaluates and refuses bad flags', async () => {
  const run = await runCli(EXAMPLE, ['--', '--epochs', '2', '--batch-size', '128']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/epoch +2 +mean squared error/);
  const r2 = Number(/R\^2 (-?[\d.]+)/.exec(run.stdout)![1]);
  expect(r2).toBeGreaterThan(0.5);
  const bad = await runCli(EXAMPLE, ['--batch-size', '1']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(
    '--batch-size: expected 2 to 2048 (batch statistics need 2 examples), found 1',
  );
  expect(bad.stderr).toContain('run with --help for the options');
});
