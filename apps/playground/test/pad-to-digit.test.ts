// Preparing a drawing as MNIST prepared its digits, on hand-derived cases: the ink's box scaled to 20 px
// on its longer side (aspect kept, area-averaged), its centre of mass moved to (14, 14), nothing cut
// off, and no digit at all when there is no ink.
import { INK_THRESHOLD, padToDigit } from '../src/draw/pad-to-digit.js';
import { seededRandom } from '../src/data/random.js';
import { loadPackageDigits } from '../vite/digits-asset.js';

/** A `width` x `height` pad with the rectangle [left, left + w) x [top, top + h) inked at `value`. */
function pad(width: number, height: number) {
  const alpha = new Uint8ClampedArray(width * height);
  const fill = (left: number, top: number, w: number, h: number, value = 255) => {
    for (let y = top; y < top + h; y++) alpha.fill(value, y * width + left, y * width + left + w);
  };
  return { alpha, fill };
}

/** The 28x28 image with the rectangle [left, left + w) x [top, top + h) at 1 and the rest 0. */
function block(left: number, top: number, w: number, h: number): Float32Array {
  const image = new Float32Array(784);
  for (let y = top; y < top + h; y++) image.fill(1, y * 28 + left, y * 28 + left + w);
  return image;
}

function expectClose(actual: Float32Array | null, expected: Float32Array) {
  expect(actual).not.toBeNull();
  let worst = 0;
  actual!.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - expected[i]!))));
  expect(worst).toBeLessThan(1e-5);
}

const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

// Centre of mass of a 28x28 image, in pixel indices (MNIST's convention).
function centreOfMass(image: Float32Array): [number, number] {
  let mass = 0;
  let x = 0;
  let y = 0;
  image.forEach((value, i) => {
    mass += value;
    x += value * (i % 28);
    y += value * Math.floor(i / 28);
  });
  return [x / mass, y / mass];
}

test('a filled square becomes a 20x20 block of ones, centred: rows and columns 4 to 23', () => {
  // Centre of mass 9.5 in the box; 14 - 9.5 = 4.5, a tie, which goes down to 4.
  const { alpha, fill } = pad(100, 100);
  fill(30, 30, 40, 40);
  expectClose(padToDigit(alpha, 100, 100), block(4, 4, 20, 20));
});

test('a thin vertical bar keeps its aspect: 8x80 becomes 2x20, its centre column at 14', () => {
  const { alpha, fill } = pad(100, 100);
  fill(46, 10, 8, 80);
  // Scale 20/80: 2 columns wide; centre of mass at 0.5 in the box, so it starts at column 13.
  expectClose(padToDigit(alpha, 100, 100), block(13, 4, 2, 20));
});

test('a flat bar of odd scaled height: 60x15 becomes 20x5, rows 12 to 16', () => {
  const { alpha, fill } = pad(80, 40);
  fill(10, 20, 60, 15);
  // Centre of mass at row 2 of the box: it starts at row 14 - 2 = 12.
  expectClose(padToDigit(alpha, 80, 40), block(4, 12, 20, 5));
});

test('an off-centre blob is moved to the centre, and a small one is scaled up', () => {
  const { alpha, fill } = pad(200, 150);
  fill(0, 0, 10, 10);
  expectClose(padToDigit(alpha, 200, 150), block(4, 4, 20, 20));
  const corner = pad(200, 150);
  corner.fill(190, 140, 10, 10);
  expectClose(padToDigit(corner.alpha, 200, 150), block(4, 4, 20, 20));
});

test('the centre of mass, not the middle of the box, lands at (14, 14)', () => {
  // A 10x100 column with a 10x10 dot at the top right of a 50x100 box (scale 1/5): a 2x20 column and
  // a 2x2 dot at columns 8-9. Mass 40 + 4; centre of mass x (40 * 0.5 + 4 * 8.5) / 44 ~ 1.23 and
  // y (40 * 9.5 + 4 * 0.5) / 44 ~ 8.68, so the box starts at column round(12.77) = 13 and row
  // round(5.32) = 5, where centring the box would start it at column 9 and row 4.
  const { alpha, fill } = pad(120, 120);
  fill(10, 10, 10, 100);
  fill(50, 10, 10, 10);
  const digit = padToDigit(alpha, 120, 120)!;
  const expected = block(13, 5, 2, 20);
  expected.set([1, 1], 5 * 28 + 21);
  expected.set([1, 1], 6 * 28 + 21);
  expectClose(digit, expected);
  // Whole-pixel placement: within half a pixel of the centre.
  const [x, y] = centreOfMass(digit);
  expect(Math.abs(x - 14)).toBeLessThanOrEqual(0.5);
  expect(Math.abs(y - 14)).toBeLessThanOrEqual(0.5);
});

test('ink is not cut off where centring the mass would push it over the edge', () => {
  // A 10x100 column and a 5-high line across 100: scaled by 1/5, a 2x20 column and an 18x1 line at
  // row 9. Mass 40 + 18; centre of mass (40 * 0.5 + (2 + ... + 19)) / 58 = 209 / 58 ~ 3.60, so
  // centring would start the box at column round(10.4) = 10 and cut it at 30: it stops at 28 - 20 = 8.
  const { alpha, fill } = pad(100, 100);
  fill(0, 0, 10, 100);
  fill(10, 45, 90, 5);
  const digit = padToDigit(alpha, 100, 100)!;
  // Rows: centre of mass (40 * 9.5 + 18 * 9) / 58 ~ 9.34, so the box starts at row round(4.66) = 5.
  const expected = block(8, 5, 2, 20);
  expected.fill(1, 14 * 28 + 10, 14 * 28 + 28);
  expectClose(digit, expected);
  expect(sum(digit)).toBeCloseTo(58, 4);
});

test('total ink scales with the area ratio (area averaging keeps the mean)', () => {
  // Random grey ink over a 50x35 box: scaled by 20/50 to 20x14, so the total ink is multiplied by
  // (20 * 14) / (50 * 35) exactly.
  const random = seededRandom(2);
  const { alpha, fill } = pad(90, 60);
  fill(20, 10, 50, 35);
  for (let y = 10; y < 45; y++) {
    for (let x = 21; x < 69; x++) alpha[y * 90 + x] = INK_THRESHOLD + Math.floor(random() * 246);
  }
  const digit = padToDigit(alpha, 90, 60)!;
  expect(sum(digit)).toBeCloseTo((sum(alpha) / 255) * ((20 * 14) / (50 * 35)), 3);
  expect(digit.every((value) => value >= 0 && value <= 1)).toBe(true);
  // 14 rows of ink, 20 columns.
  const inkedRows = Array.from({ length: 28 }, (_, r) =>
    digit.subarray(r * 28, r * 28 + 28),
  ).filter((row) => row.some((v) => v > 0));
  expect(inkedRows).toHaveLength(14);
  expect(inkedRows.every((row) => row.filter((v) => v > 0).length === 20)).toBe(true);
});

test('a half-covered pixel gets half the ink: 30 px scaled to 20 averages pairs of 1.5 px', () => {
  // A 30x30 square whose left column is grey 102 (0.4): output column 0 covers pad columns 0 and half
  // of 1, so it is (0.4 * 1 + 1 * 0.5) / 1.5 = 0.6.
  const { alpha, fill } = pad(30, 30);
  fill(0, 0, 30, 30);
  fill(0, 0, 1, 30, 102);
  const digit = padToDigit(alpha, 30, 30)!;
  // The centre of mass moves right of 9.5 but by less than half a pixel, so the box starts at column 4.
  expect(digit[10 * 28 + 4]).toBeCloseTo(0.6, 5);
  expect(digit[10 * 28 + 5]).toBeCloseTo(1, 5);
});

test('real MNIST digits, drawn 10 times larger, come back as themselves', () => {
  // MNIST's digits are already scaled to 20 px and centred by mass, so preparing them again must
  // change next to nothing: not the scale, and not the position (a convention off by half a pixel
  // would move about half of them by one).
  const digits = loadPackageDigits();
  const count = digits.labels.length;
  let unchanged = 0;
  let sampled = 0;
  for (let n = 0; n < count; n += 50) {
    const image = digits.images.subarray(n * 784, (n + 1) * 784);
    // Uint8ClampedArray rounds; `| 0` floors without a global lookup, slow in jest's sandbox.
    const alpha = new Uint8ClampedArray(280 * 280);
    for (let y = 0; y < 280; y++) {
      for (let x = 0; x < 280; x++)
        alpha[y * 280 + x] = image[((y / 10) | 0) * 28 + ((x / 10) | 0)]! * 255;
    }
    const digit = padToDigit(alpha, 280, 280)!;
    let difference = 0;
    for (let i = 0; i < 784; i++) difference += Math.abs(digit[i]! - image[i]!);
    if (difference / 784 < 0.005) unchanged++;
    sampled++;
  }
  expect(sampled).toBeGreaterThan(180);
  expect(unchanged / sampled).toBeGreaterThan(0.97);
});

test('no ink, or only ink below the threshold, gives null', () => {
  expect(padToDigit(new Uint8ClampedArray(50 * 40), 50, 40)).toBeNull();
  const faint = new Uint8ClampedArray(50 * 40).fill(INK_THRESHOLD - 1);
  expect(padToDigit(faint, 50, 40)).toBeNull();
  // Plain arrays work too.
  expect(padToDigit([0, 0, 0, 255], 2, 2)).toEqual(block(4, 4, 20, 20));
});

test('padToDigit refuses sizes that do not match the ink', () => {
  expect(() => padToDigit(new Uint8Array(10), 5, 3)).toThrow(
    'padToDigit: alpha must hold width * height = 15 values, found 10',
  );
  expect(() => padToDigit(new Uint8Array(0), 0, 3)).toThrow(
    'padToDigit: width and height must be positive integers, found 0 x 3',
  );
});
