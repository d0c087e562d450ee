// The toy classifier: the spirals have the shape they claim, a short run of the command line learns them
// and saves weights that load back, and the plot shows the model's predictions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliRun, runCli } from '@equinox-ts/example-kit/run-cli';
import { jnp, loadSafetensors, nn, random, treeAt } from 'equinox-ts';
import { drawDecisionBoundary } from '../boundary.js';
import { accuracy, makeClassifier } from '../model.js';
import { TURNS, makeSpirals } from '../spirals.js';

const EXAMPLE = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'toy-classifier-'));
const checkpoint = join(dir, 'nested', 'spirals.safetensors');
let run: CliRun;

// Training runs through the command line (tsx), where the CPU kernels run several times faster than
// inside jest.
beforeAll(async () => {
  run = await runCli(EXAMPLE, ['--', '--steps', '150', '--points', '128', '--out', checkpoint]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('each spiral point lies on its arm: angle = 2 pi TURNS radius (+ pi for class 1)', async () => {
  const { points, labels } = makeSpirals(random.key(5), { perClass: 50, noise: 0 });
  expect(points.shape).toEqual([100, 2]);
  const xy = await points.data();
  const classes = await labels.data();
  expect(Array.from(classes).filter((c) => c === 1)).toHaveLength(50);
  for (let i = 0; i < 100; i++) {
    const [x, y] = [xy[2 * i]!, xy[2 * i + 1]!];
    const radius = Math.hypot(x, y);
    expect(radius).toBeGreaterThanOrEqual(0.15 - 1e-6);
    expect(radius).toBeLessThanOrEqual(1 + 1e-6);
    const expected = 2 * Math.PI * TURNS * radius + Math.PI * classes[i]!;
    // The difference of the angles, wrapped to (-pi, pi], is ~0.
    const off = Math.atan2(
      Math.sin(Math.atan2(y, x) - expected),
      Math.cos(Math.atan2(y, x) - expected),
    );
    expect(Math.abs(off)).toBeLessThan(1e-4);
  }
});

test('a short run prints the loss falling and a test accuracy far above chance', () => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const losses = [...run.stdout.matchAll(/step +(\d+) +loss ([\d.]+)/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  expect(losses.map(([step]) => step)).toEqual([50, 100, 150]);
  expect(losses[0]![1]).toBeGreaterThan(0.3);
  expect(losses[2]![1]).toBeLessThan(0.5 * losses[0]![1]!);
  // Chance is 50%; the spirals are learnt well within these steps.
  expect(Number(/test accuracy +([\d.]+)%/.exec(run.stdout)![1])).toBeGreaterThan(90);
  expect(run.stdout).toContain(`saved the weights to ${checkpoint}`);
});

test('the saved weights load into a fresh skeleton and classify new spirals', async () => {
  const skeleton = makeClassifier(random.key(42));
  const untrained = makeSpirals(random.key(123), { perClass: 200 });
  expect(await accuracy(skeleton, untrained.points, untrained.labels)).toBeLessThan(0.8);
  const loaded = await loadSafetensors(checkpoint, skeleton);
  expect(await accuracy(loaded, untrained.points, untrained.labels)).toBeGreaterThan(0.9);
});

test('the plot shades each cell by the predicted class and marks the data', async () => {
  // A one-layer MLP whose class-1 logit is x and class-0 logit is 0: class 1 exactly where x > 0.
  const halfPlane = treeAt(
    (m: nn.MLP) => [m.layers[0]!.weight, m.layers[0]!.bias],
    new nn.MLP(2, 2, 4, 0, { key: random.key(0) }),
    [
      jnp.array([
        [0, 0],
        [1, 0],
      ]),
      jnp.zeros([2]),
    ],
  );
  const data = {
    // Cells are 0.25 wide and 0.5 tall: these are the centres of cells (column 1, row 1) and (6, 3).
    points: jnp.array([
      [-0.625, 0.25],
      [0.625, -0.75],
    ]),
    labels: jnp.array([0, 1], { dtype: 'int32' }),
  };
  const plot = await drawDecisionBoundary(halfPlane, { data, width: 8, height: 4, extent: 1 });
  expect(plot.split('\n')).toEqual([
    '+--------+',
    '|    ....|',
    '| o  ....|',
    '|    ....|',
    '|    ..x.|',
    '+--------+',
  ]);
});

test('a bad flag is refused with a message that names it', async () => {
  const run = await runCli(EXAMPLE, ['--steps', 'many']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--steps: expected an integer >= 1, found 'many'");
  expect(run.stderr).not.toMatch(/^\s+at /m); // no stack trace
  const help = await runCli(EXAMPLE, ['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('--steps N');
});
