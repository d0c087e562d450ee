/**
 * Splitting the digits into a training and a test set, and drawing training batches from them: endless,
 * reshuffled every epoch, and always of the same size so the jitted training step compiles once.
 */
import { type Digits, IMAGE_SIZE } from './digits-file.js';
import { seededRandom, shuffled } from './random.js';

/**
 * Splits `digits` by one shuffle with `seed` into a test set of `testSize` digits and a training set of
 * the rest, disjoint. The same seed gives the same split.
 *
 * @throws RangeError when `testSize` is not an integer in [1, N - 1] (both sets need a digit).
 */
export function splitDigits(
  digits: Digits,
  testSize: number,
  seed: number,
): { train: Digits; test: Digits } {
  const total = digits.labels.length;
  if (!Number.isInteger(testSize) || testSize < 1 || testSize > total - 1) {
    throw new RangeError(
      `splitDigits: testSize must be an integer in [1, ${total - 1}] for ${total} digits, ` +
        `found ${testSize}`,
    );
  }
  const order = shuffled(total, seededRandom(seed));
  const trainSize = total - testSize;
  return {
    train: gather(digits, order.subarray(0, trainSize)),
    test: gather(digits, order.subarray(trainSize)),
  };
}

/**
 * The digits at `indices`, copied out in that order (an index may repeat).
 *
 * @throws RangeError when an index is not an integer in [0, N).
 */
export function gather(digits: Digits, indices: ArrayLike<number>): Digits {
  const total = digits.labels.length;
  const images = new Float32Array(indices.length * IMAGE_SIZE);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= total) {
      throw new RangeError(`gather: indices[${k}] must be an integer in [0, ${total}), found ${i}`);
    }
    images.set(digits.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE);
    labels[k] = digits.labels[i]!;
  }
  return { images, labels };
}

/**
 * Endless batches of indices into a set of `count` items. Each epoch visits the items in a fresh seeded
 * order; a batch never straddles two epochs (an epoch's short tail is dropped), so every batch has
 * exactly the size asked for.
 *
 * @example
 * ```ts
 * const sampler = new EpochSampler(train.labels.length, 0);
 * const batch = gather(train, sampler.next(64)); // 64 digits
 * ```
 */
export class EpochSampler {
  readonly #count: number;
  readonly #random: () => number;
  #order: Int32Array | undefined;
  #position = 0;
  #epoch = 0;

  /** @throws RangeError when `count` is not a positive integer. */
  constructor(count: number, seed: number) {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`EpochSampler: count must be a positive integer, found ${count}`);
    }
    this.#count = count;
    this.#random = seededRandom(seed);
  }

  /** The number of epochs started: 0 before the first batch, 1 after it. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * The next `batchSize` indices, all distinct.
   *
   * @throws RangeError when `batchSize` is not an integer in [1, count].
   */
  next(batchSize: number): Int32Array {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.#count) {
      throw new RangeError(
        `EpochSampler.next: batchSize must be an integer in [1, ${this.#count}], found ${batchSize}`,
      );
    }
    if (this.#order === undefined || this.#position + batchSize > this.#count) {
      this.#order = shuffled(this.#count, this.#random);
      this.#position = 0;
      this.#epoch++;
    }
    const batch = this.#order.slice(this.#position, this.#position + batchSize);
    this.#position += batchSize;
    return batch;
  }
}
