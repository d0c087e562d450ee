/** The learnt decision boundary as ASCII art: the plane coloured by predicted class, data on top. */
import { jnp } from 'equinox-ts';
import { type Classifier, classProbabilities } from './model.js';
import type { Dataset } from './spirals.js';

/** Options of {@link drawDecisionBoundary}. */
export interface DrawOptions {
  /** Points to mark: `o` for class 0, `x` for class 1. Default none. */
  data?: Dataset;
  /** Characters per row. Default 64. */
  width?: number;
  /** Rows. Default 28 (terminal characters are about twice as tall as wide). */
  height?: number;
  /** The plot covers `[-extent, extent]^2`. Default 1.25. */
  extent?: number;
}

/** What each character means, to print under the plot. */
export const LEGEND =
  "background: ' ' predicted class 0, '.' predicted class 1; data: o class 0, x class 1";

/**
 * Draws the plane with each character cell shaded by the class the model predicts at its centre, and
 * the given data points over it, inside a frame. Returns the lines joined by newlines.
 *
 * @example
 * ```ts
 * console.log(await drawDecisionBoundary(model, { data: train }));
 * ```
 */
export async function drawDecisionBoundary(
  model: Classifier,
  options: DrawOptions = {},
): Promise<string> {
  const { width = 64, height = 28, extent = 1.25 } = options;
  const centres = new Float32Array(width * height * 2);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      centres[2 * i] = -extent + ((col + 0.5) / width) * 2 * extent;
      centres[2 * i + 1] = extent - ((row + 0.5) / height) * 2 * extent;
    }
  }
  const probabilities = await classProbabilities(
    model,
    jnp.array(centres, { shape: [width * height, 2] }),
  ).data();
  const cells: string[][] = Array.from({ length: height }, (_, row) =>
    Array.from({ length: width }, (_, col) =>
      probabilities[2 * (row * width + col) + 1]! > 0.5 ? '.' : ' ',
    ),
  );
  if (options.data) {
    const points = await options.data.points.data();
    const labels = await options.data.labels.data();
    labels.forEach((label, i) => {
      const col = Math.floor(((points[2 * i]! + extent) / (2 * extent)) * width);
      const row = Math.floor(((extent - points[2 * i + 1]!) / (2 * extent)) * height);
      if (col >= 0 && col < width && row >= 0 && row < height) cells[row]![col] = label ? 'x' : 'o';
    });
  }
  const edge = `+${'-'.repeat(width)}+`;
  return [edge, ...cells.map((line) => `|${line.join('')}|`), edge].join('\n');
}
