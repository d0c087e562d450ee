// The predict example: it loads a checkpoint the toy classifier just trained (briefly, to a temporary
// path), predicts what the trained model predicts, and says how to make a missing checkpoint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@equinox-ts/example-kit/cli';
import { runCli } from '@equinox-ts/example-kit/run-cli';
import { jnp, saveSafetensors } from 'equinox-ts';
import { type Classifier, classProbabilities } from '../../toy-classifier/model.js';
import { trainClassifier } from '../../toy-classifier/train.js';
import { TRAIN_COMMAND, loadClassifier } from '../checkpoint.js';
import { parsePoint } from '../points.js';

const EXAMPLE = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'predict-'));
const checkpoint = join(dir, 'spirals.safetensors');
let trained: Classifier;

beforeAll(async () => {
  ({ model: trained } = await trainClassifier({ steps: 100, perClass: 64 }));
  await saveSafetensors(checkpoint, trained);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const POINTS: [number, number][] = [
  [0.5, -0.2],
  [-0.3, 0.1],
  [0.9, 0.9],
];

test('the loaded model predicts exactly what the trained one does', async () => {
  const loaded = await loadClassifier(checkpoint);
  const points = jnp.array(POINTS);
  const expected = Array.from(await classProbabilities(trained, points).data());
  expect(Array.from(await classProbabilities(loaded, points).data())).toEqual(expected);
});

test('the command line prints the class and probability of each point', async () => {
  const expected = await classProbabilities(trained, jnp.array(POINTS)).data();
  // Both spellings; a point may start with '-' (the second) either way.
  const args = POINTS.flatMap(([x, y], i) =>
    i % 2 === 0 ? [`--point=${x},${y}`] : ['--point', `${x},${y}`],
  );
  const run = await runCli(EXAMPLE, ['--', '--checkpoint', checkpoint, ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n').filter((line) => line.includes('->'));
  expect(lines).toHaveLength(POINTS.length);
  lines.forEach((line, i) => {
    const [, label, probability] = /class (\d) \(probability ([\d.]+)\)/.exec(line)!;
    const p1 = expected[2 * i + 1]!;
    expect(Number(label)).toBe(p1 > 0.5 ? 1 : 0);
    expect(Number(probability)).toBeCloseTo(Math.max(p1, 1 - p1), 3);
  });
  expect(run.stdout).not.toContain('+---'); // no grid unless asked for
});

test('--grid draws the decision boundary', async () => {
  const run = await runCli(EXAMPLE, ['--checkpoint', checkpoint, '--grid']);
  expect(run.code).toBe(0);
  const frame = run.stdout.split('\n').filter((line) => line.startsWith('|'));
  expect(frame).toHaveLength(28);
  // The class at the plot's centre cell is the one the model predicts there.
  const row = frame[14]!;
  const [, p1] = await classProbabilities(
    trained,
    jnp.array([[(0.5 / 64) * 2.5, -(0.5 / 28) * 2.5]]),
  ).data();
  expect(row[1 + 32]).toBe(p1! > 0.5 ? '.' : ' ');
});

test('a missing checkpoint is an error that names the command that creates it', async () => {
  const missing = join(dir, 'nothing-here.safetensors');
  await expect(loadClassifier(missing)).rejects.toThrow(TRAIN_COMMAND);
  const run = await runCli(EXAMPLE, ['--checkpoint', missing, '--point', '0,0']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`no checkpoint at ${missing}`);
  expect(run.stderr).toContain(TRAIN_COMMAND);
});

test('points are read as two numbers, and anything else is refused', async () => {
  expect(parsePoint('0.5,-0.2')).toEqual([0.5, -0.2]);
  expect(parsePoint(' 1 , 2 ')).toEqual([1, 2]);
  for (const bad of ['1', '1,2,3', 'a,b', '1,', ',1']) {
    expect(() => parsePoint(bad)).toThrow(UsageError);
    expect(() => parsePoint(bad)).toThrow(`'${bad}'`);
  }
  // A bad point is a bad command line: exit code 2, before any checkpoint is read.
  const run = await runCli(EXAMPLE, ['--checkpoint', join(dir, 'none'), '--point', '1;2']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    "--point: expected two numbers separated by a comma, like 0.5,-0.2; found '1;2'",
  );
  expect(run.stderr).not.toContain('no checkpoint');
});
