/**
 * Turns a drawing on the pad into a 28x28 digit prepared the way MNIST's digits were: the ink's bounding
 * box scaled, keeping its aspect, so its longer side is 20 pixels (averaging the pixels each new pixel
 * covers, which anti-aliases as MNIST's scaling did), then placed so the ink's centre of mass sits at
 * the centre of the 28x28 image. A model trained on MNIST sees a drawing as it saw its training digits.
 */
import { IMAGE_SIZE } from '../data/digits-file.js';

const SIDE = 28;
/** The pixel the centre of mass goes to, on each axis. */
const CENTRE = 14;
/** The longer side of the ink's box after scaling, as in MNIST. */
const BOX = 20;
/** Ink values (0..255) below this count as no ink: faint anti-aliasing fringes and noise. */
export const INK_THRESHOLD = 10;

/**
 * The MNIST-style 784-pixel image (values in [0, 1]) of a `width` x `height` ink image `alpha` (row by
 * row, values 0..255, such as a canvas's alpha channel), or `null` when nothing reaches
 * {@link INK_THRESHOLD}.
 *
 * The ink's centre of mass lands at pixel (14, 14), counting pixels from 0 as MNIST did (its digits'
 * centres of mass lie within half a pixel of there), rounded to whole pixels and moved less where
 * centring would cut ink off.
 *
 * @throws RangeError when `width` or `height` is not a positive integer or `alpha` does not hold
 *   `width * height` values.
 */
export function padToDigit(
  alpha: ArrayLike<number>,
  width: number,
  height: number,
): Float32Array | null {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(
      `padToDigit: width and height must be positive integers, found ${width} x ${height}`,
    );
  }
  if (alpha.length !== width * height) {
    throw new RangeError(
      `padToDigit: alpha must hold width * height = ${width * height} values, found ${alpha.length}`,
    );
  }
  const box = inkBox(alpha, width, height);
  if (box === null) return null;

  const scale = BOX / Math.max(box.width, box.height);
  const boxWidth = Math.max(1, Math.round(box.width * scale));
  const boxHeight = Math.max(1, Math.round(box.height * scale));
  const scaled = resample(alpha, width, box, boxWidth, boxHeight);

  // Centre of mass of the scaled ink, in pixel indices of its own box.
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < boxHeight; y++) {
    for (let x = 0; x < boxWidth; x++) {
      const value = scaled[y * boxWidth + x]!;
      mass += value;
      sumX += value * x;
      sumY += value * y;
    }
  }
  const left = clamp(roundHalfDown(CENTRE - sumX / mass), 0, SIDE - boxWidth);
  const top = clamp(roundHalfDown(CENTRE - sumY / mass), 0, SIDE - boxHeight);

  const digit = new Float32Array(IMAGE_SIZE);
  for (let y = 0; y < boxHeight; y++) {
    for (let x = 0; x < boxWidth; x++) {
      digit[(top + y) * SIDE + left + x] = Math.min(1, scaled[y * boxWidth + x]!);
    }
  }
  return digit;
}

/** A rectangle of the pad: columns `[left, left + width)`, rows `[top, top + height)`. */
interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

// The smallest box holding every pixel that reaches the threshold, or null when none does.
function inkBox(alpha: ArrayLike<number>, width: number, height: number): Box | null {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alpha[y * width + x]! >= INK_THRESHOLD) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        bottom = y; // rows come in order
      }
    }
  }
  if (right < 0) return null;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * The `box` of the pad scaled to `outWidth` x `outHeight` pixels in [0, 1], each the average of the pad
 * over the area it covers (partly covered pad pixels weigh by the part covered). Scaling is separable:
 * rows first, then columns.
 */
function resample(
  alpha: ArrayLike<number>,
  padWidth: number,
  box: Box,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const columns = coverage(box.left, box.width, outWidth);
  const rows = coverage(box.top, box.height, outHeight);
  // Each pad row of the box, scaled across to outWidth.
  const across = new Float64Array(box.height * outWidth);
  for (let y = 0; y < box.height; y++) {
    const row = (box.top + y) * padWidth;
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (const [source, weight] of columns[x]!) sum += weight * ink(alpha[row + source]!);
      across[y * outWidth + x] = sum;
    }
  }
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (const [source, weight] of rows[y]!) {
      const from = (source - box.top) * outWidth;
      for (let x = 0; x < outWidth; x++) out[y * outWidth + x]! += weight * across[from + x]!;
    }
  }
  return out;
}

/**
 * For each of `count` output pixels spanning the pad pixels `[start, start + length)` evenly, the pad
 * pixels it overlaps and their weights: the overlap divided by the output pixel's span, so the weights
 * sum to 1 and the output is an average.
 */
function coverage(start: number, length: number, count: number): [number, number][][] {
  const span = length / count;
  return Array.from({ length: count }, (_, i) => {
    // Multiplying before dividing keeps the ends exact: the last pixel ends at start + length.
    const from = start + (i * length) / count;
    const to = start + ((i + 1) * length) / count;
    const weights: [number, number][] = [];
    const last = Math.min(Math.ceil(to), start + length);
    for (let source = Math.max(Math.floor(from), start); source < last; source++) {
      const overlap = Math.min(to, source + 1) - Math.max(from, source);
      if (overlap > 0) weights.push([source, overlap / span]);
    }
    return weights;
  });
}

// A pad value as ink in [0, 1]; values below the threshold are no ink.
const ink = (value: number): number => (value < INK_THRESHOLD ? 0 : value > 255 ? 1 : value / 255);

// Ties go down, so a symmetric box of even side (centre of mass 9.5 in 20 pixels) sits exactly in the
// middle, rows and columns 4 to 23, rather than a pixel off it.
const roundHalfDown = (value: number): number => Math.ceil(value - 0.5);

const clamp = (value: number, low: number, high: number): number =>
  Math.min(high, Math.max(low, value));
