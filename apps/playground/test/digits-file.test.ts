// The digits file: what encodeDigits writes is the documented layout, decodeDigits reads it back to
// within the 1/255 rounding, and bytes that are not such a file are refused with a clear message.
import { IMAGE_SIZE, decodeDigits, encodeDigits } from '../src/data/digits-file.js';

// Two digits with pixels chosen so their bytes are known: image 0 ramps 0..1, image 1 is all 0.5.
function twoDigits() {
  const images = new Float32Array(2 * IMAGE_SIZE);
  for (let i = 0; i < IMAGE_SIZE; i++) images[i] = i / (IMAGE_SIZE - 1);
  images.fill(0.5, IMAGE_SIZE);
  return { images, labels: Int32Array.from([7, 3]) };
}

test('the bytes follow the layout: magic, little-endian count, labels, rounded pixels', () => {
  const bytes = encodeDigits(twoDigits());
  expect(bytes.length).toBe(8 + 2 * 785);
  expect(Array.from(bytes.subarray(0, 4))).toEqual([0x45, 0x51, 0x58, 0x44]); // "EQXD"
  expect(Array.from(bytes.subarray(4, 8))).toEqual([2, 0, 0, 0]);
  expect(Array.from(bytes.subarray(8, 10))).toEqual([7, 3]);
  const pixels = bytes.subarray(10);
  expect(pixels[0]).toBe(0);
  expect(pixels[IMAGE_SIZE - 1]).toBe(255);
  // 0.5 * 255 = 127.5 rounds up.
  expect(pixels[IMAGE_SIZE]).toBe(128);
  expect(pixels[100]).toBe(Math.round((100 / 783) * 255));
});

test('decoding what was encoded gives the digits back to within half a level, 1/510', () => {
  const digits = twoDigits();
  const back = decodeDigits(encodeDigits(digits));
  expect(Array.from(back.labels)).toEqual([7, 3]);
  expect(back.images.length).toBe(2 * IMAGE_SIZE);
  let worst = 0;
  back.images.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - digits.images[i]!))));
  expect(worst).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(1 / 510 + 1e-7);
  // Levels decode exactly to level / 255.
  expect(back.images[IMAGE_SIZE]).toBeCloseTo(128 / 255, 7);
});

test('a count of 0 round-trips, and the bytes may be a view into a larger buffer', () => {
  const empty = decodeDigits(
    encodeDigits({ images: new Float32Array(0), labels: new Int32Array(0) }),
  );
  expect(empty.labels.length).toBe(0);
  expect(empty.images.length).toBe(0);
  const bytes = encodeDigits(twoDigits());
  const padded = new Uint8Array(bytes.length + 5);
  padded.set(bytes, 3);
  const view = padded.subarray(3, 3 + bytes.length);
  expect(Array.from(decodeDigits(view).labels)).toEqual([7, 3]);
});

test('decodeDigits refuses bytes that are not a digits file, saying what it expected and found', () => {
  expect(() => decodeDigits(Uint8Array.from([0x45, 0x51]))).toThrow(
    'decodeDigits: the file is too short (expected at least 8 bytes of header, found 2)',
  );
  const html = new TextEncoder().encode('<!doctype html><html></html>');
  expect(() => decodeDigits(html)).toThrow(
    'decodeDigits: the file is not a digits file (expected the magic "EQXD", found "<!do")',
  );
  const bytes = encodeDigits(twoDigits());
  expect(() => decodeDigits(bytes.subarray(0, bytes.length - 1))).toThrow(
    `decodeDigits: a file of 2 digits must be 1578 bytes long (8 + 2 * 785), found 1577`,
  );
  const badLabel = bytes.slice();
  badLabel[9] = 10;
  expect(() => decodeDigits(badLabel)).toThrow('decodeDigits: label 1 must be 0-9, found 10');
});

test('encodeDigits refuses mismatched counts, bad labels and pixels outside [0, 1]', () => {
  const digits = twoDigits();
  expect(() => encodeDigits({ images: digits.images, labels: Int32Array.from([1]) })).toThrow(
    'encodeDigits: 1 labels need 784 pixels (784 each), found 1568',
  );
  expect(() => encodeDigits({ images: digits.images, labels: Int32Array.from([1, -1]) })).toThrow(
    'encodeDigits: label 1 must be 0-9, found -1',
  );
  const images = digits.images.slice();
  images[IMAGE_SIZE + 5] = 1.5;
  expect(() => encodeDigits({ images, labels: digits.labels })).toThrow(
    'encodeDigits: pixel 5 of image 1 must be in [0, 1], found 1.5',
  );
  images[IMAGE_SIZE + 5] = NaN;
  expect(() => encodeDigits({ images, labels: digits.labels })).toThrow('found NaN');
});
