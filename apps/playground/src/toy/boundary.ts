/** Draws the toy dataset's points over the model's class regions. */
import { EXTENT } from './session.js';
import type { ToyData } from '../data/toy-datasets.js';

/** The two classes' colours, as RGB (orange and blue, distinguishable with the common colour blindnesses). */
const CLASS_RGB: readonly (readonly [number, number, number])[] = [
  [230, 159, 0],
  [0, 114, 178],
];

/**
 * Paints the regions (each grid cell tinted towards the class the model prefers, paler where it is
 * unsure) and then the points, on `canvas`. `grid` holds the probability of class 1 at `size` x `size`
 * cells, row by row from the top; null paints the points alone.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  data: ToyData,
  grid: Float32Array | null,
  size: number,
): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  if (grid) {
    const cells = new ImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const p = grid[i]!;
      const [a, b] = CLASS_RGB;
      // Towards white at p = 0.5, towards the class colour at 0 or 1.
      const strength = Math.abs(2 * p - 1) * 0.6;
      const rgb = p > 0.5 ? b! : a!;
      for (let c = 0; c < 3; c++)
        cells.data[4 * i + c] = Math.round(255 + (rgb[c]! - 255) * strength);
      cells.data[4 * i + 3] = 255;
    }
    const small = document.createElement('canvas');
    small.width = size;
    small.height = size;
    small.getContext('2d')!.putImageData(cells, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(small, 0, 0, width, height);
  }
  const radius = Math.max(2, width / 110);
  for (let i = 0; i < data.labels.length; i++) {
    const x = ((data.points[2 * i]! / EXTENT + 1) / 2) * width;
    const y = ((1 - data.points[2 * i + 1]! / EXTENT) / 2) * height;
    const [r, g, b] = CLASS_RGB[data.labels[i]!]!;
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    context.fillStyle = `rgb(${r} ${g} ${b})`;
    context.fill();
    context.lineWidth = 1;
    context.strokeStyle = 'rgba(0, 0, 0, 0.6)';
    context.stroke();
  }
}
