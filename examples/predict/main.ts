// Loads a safetensors checkpoint into a model and predicts: the weights the toy-classifier example saved
// go into the same MLP skeleton (its architecture is imported from ../toy-classifier/model.ts), which then
// classifies the points given on the command line, or draws its decision boundary on a grid.
// Run it with `pnpm --filter @equinox-ts/example-predict start -- --point 0.5,-0.2` (or `-- --help`),
// after `pnpm --filter @equinox-ts/example-toy-classifier start` has written the checkpoint.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlagValues, runMain } from '@equinox-ts/example-kit/cli';
import { jnp } from 'equinox-ts';
import { LEGEND, drawDecisionBoundary } from '../toy-classifier/boundary.js';
import { classProbabilities } from '../toy-classifier/model.js';
import { loadClassifier } from './checkpoint.js';
import { parsePoint } from './points.js';

const DEFAULT_CHECKPOINT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'toy-classifier',
  'out',
  'spirals-mlp.safetensors',
);

const USAGE = `Classifies 2D points with the spiral classifier the toy-classifier example trained.

Options:
  --checkpoint PATH  the weights (default ../toy-classifier/out/spirals-mlp.safetensors)
  --point X,Y        a point to classify, e.g. --point -0.5,0.2; repeat for more
  --grid             draw the predicted class over the plane (the default without --point)
  --help             show this help`;

/** The flags USAGE describes, as `parseArgs` options. */
const FLAGS = {
  checkpoint: { type: 'string' },
  point: { type: 'string', multiple: true },
  grid: { type: 'boolean' },
} as const;

async function main(values: FlagValues<typeof FLAGS>): Promise<void> {
  const points = (values.point ?? []).map(parsePoint);
  const path = values.checkpoint ?? DEFAULT_CHECKPOINT;
  const model = await loadClassifier(path);
  console.log(`loaded ${path}`);

  if (points.length > 0) {
    const probabilities = await classProbabilities(model, jnp.array(points)).data();
    points.forEach(([x, y], i) => {
      const p1 = probabilities[2 * i + 1]!;
      const label = p1 > 0.5 ? 1 : 0;
      const confidence = label === 1 ? p1 : 1 - p1;
      console.log(
        `(${x.toFixed(3)}, ${y.toFixed(3)}) -> class ${label} (probability ${confidence.toFixed(3)})`,
      );
    });
  }
  if (values.grid || points.length === 0) {
    console.log(`\n${await drawDecisionBoundary(model)}`);
    console.log(LEGEND);
  }
}

await runMain(USAGE, FLAGS, main);
