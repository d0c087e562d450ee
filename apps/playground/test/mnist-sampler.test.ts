// Splitting and batching the digits: the split is disjoint, complete and reproducible; gather copies in
// order; the sampler's batches are full, distinct within an epoch, cover each epoch once and reshuffle.
import { IMAGE_SIZE, type Digits } from '../src/data/digits-file.js';
import { EpochSampler, gather, splitDigits } from '../src/data/mnist-sampler.js';

// n digits where digit i has label i % 10 and every pixel i / n, so a digit shows where it came from.
function numbered(n: number): Digits {
  const images = new Float32Array(n * IMAGE_SIZE);
  for (let i = 0; i < n; i++) images.fill(i / n, i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i % 10) };
}

// Which digit of numbered(n) each image of `digits` is, checking the image is whole.
function origins(digits: Digits, n: number): number[] {
  return Array.from(digits.labels, (label, k) => {
    const image = digits.images.subarray(k * IMAGE_SIZE, (k + 1) * IMAGE_SIZE);
    const origin = Math.round(image[0]! * n);
    expect(image.every((p) => p === image[0])).toBe(true);
    expect(label).toBe(origin % 10);
    return origin;
  });
}

test('gather copies the digits at the indices, in that order, repeats allowed', () => {
  const digits = numbered(20);
  const picked = gather(digits, [5, 0, 19, 5]);
  expect(origins(picked, 20)).toEqual([5, 0, 19, 5]);
  // A copy: changing it leaves the source alone.
  picked.images[0] = 0.99;
  expect(digits.images[5 * IMAGE_SIZE]).toBeCloseTo(5 / 20);
  expect(gather(digits, []).labels.length).toBe(0);
  expect(() => gather(digits, [3, 20])).toThrow(
    'gather: indices[1] must be an integer in [0, 20), found 20',
  );
  expect(() => gather(digits, [1.5])).toThrow('found 1.5');
});

test('splitDigits gives a disjoint train and test set covering every digit, the same for a seed', () => {
  const n = 100;
  const digits = numbered(n);
  const { train, test: testSet } = splitDigits(digits, 30, 1);
  expect(train.labels.length).toBe(70);
  expect(testSet.labels.length).toBe(30);
  const trainOrigins = origins(train, n);
  const testOrigins = origins(testSet, n);
  expect([...trainOrigins, ...testOrigins].sort((a, b) => a - b)).toEqual(
    Array.from({ length: n }, (_, i) => i),
  );
  // Shuffled, not the first 70 and last 30.
  expect(testOrigins.some((origin) => origin < 70)).toBe(true);
  const again = splitDigits(digits, 30, 1);
  expect(origins(again.test, n)).toEqual(testOrigins);
  expect(origins(splitDigits(digits, 30, 2).test, n)).not.toEqual(testOrigins);
});

test('splitDigits refuses a test size that leaves either set empty or is not whole', () => {
  const digits = numbered(10);
  for (const testSize of [0, 10, 2.5, NaN]) {
    expect(() => splitDigits(digits, testSize, 0)).toThrow(
      `splitDigits: testSize must be an integer in [1, 9] for 10 digits, found ${testSize}`,
    );
  }
  expect(splitDigits(digits, 9, 0).train.labels.length).toBe(1);
});

test('EpochSampler: full batches, each epoch a fresh permutation whose short tail is dropped', () => {
  const sampler = new EpochSampler(10, 4);
  expect(sampler.epoch).toBe(0);
  const epochs: number[][] = [];
  for (let epoch = 1; epoch <= 4; epoch++) {
    // 10 items in batches of 3: three batches an epoch, the tenth item left out.
    const seen: number[] = [];
    for (let b = 0; b < 3; b++) {
      const batch = sampler.next(3);
      expect(batch).toBeInstanceOf(Int32Array);
      expect(batch.length).toBe(3);
      expect(sampler.epoch).toBe(epoch);
      seen.push(...batch);
    }
    expect(new Set(seen).size).toBe(9);
    expect(seen.every((i) => Number.isInteger(i) && i >= 0 && i < 10)).toBe(true);
    epochs.push(seen);
  }
  // Reshuffled every epoch.
  expect(new Set(epochs.map((seen) => seen.join(','))).size).toBe(4);
  // The same seed gives the same batches.
  const twin = new EpochSampler(10, 4);
  expect(Array.from({ length: 12 }, () => Array.from(twin.next(3))).flat()).toEqual(epochs.flat());
});

test('EpochSampler: a batch of the whole set is each epoch once, and every item comes up equally', () => {
  const sampler = new EpochSampler(5, 0);
  for (let epoch = 1; epoch <= 3; epoch++) {
    expect(Array.from(sampler.next(5)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(sampler.epoch).toBe(epoch);
  }
  // Over 1000 epochs of 10 items in batches of 4 (two batches an epoch), each item is used
  // 1000 * 8 / 10 = 800 times on average: the dropped tail is a different pair each epoch.
  const many = new EpochSampler(10, 9);
  const uses = new Array<number>(10).fill(0);
  for (let step = 0; step < 2000; step++) for (const i of many.next(4)) uses[i]!++;
  expect(many.epoch).toBe(1000);
  // Binomial(1000, 0.8): standard deviation ~ 12.6; allow 5 of them.
  for (const count of uses) expect(Math.abs(count - 800)).toBeLessThan(63);
});

test('EpochSampler refuses counts and batch sizes that cannot make a full batch', () => {
  expect(() => new EpochSampler(0, 0)).toThrow(
    'EpochSampler: count must be a positive integer, found 0',
  );
  const sampler = new EpochSampler(8, 0);
  for (const size of [0, 9, 1.5]) {
    expect(() => sampler.next(size)).toThrow(
      `EpochSampler.next: batchSize must be an integer in [1, 8], found ${size}`,
    );
  }
  expect(sampler.epoch).toBe(0);
});
