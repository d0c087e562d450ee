/**
 * The binary file the playground fetches its digits from: 7.8 MB of bytes instead of 21 MB of JSON.
 *
 * Layout: bytes 0-3 the ASCII magic `EQXD`; bytes 4-7 the digit count N (uint32, little-endian); then N
 * label bytes (0-9); then N * 784 pixel bytes, each `Math.round(value * 255)`, one 28x28 image after
 * another, row by row.
 */

/** Pixels of one 28x28 image. */
export const IMAGE_SIZE = 784;

/** A set of digits: `images[i * 784 .. (i + 1) * 784)` is digit `labels[i]`, pixels in [0, 1]. */
export interface Digits {
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

const MAGIC = 'EQXD';
const HEADER_BYTES = 8;
// One label byte and 784 pixel bytes per digit.
const BYTES_PER_DIGIT = 1 + IMAGE_SIZE;

// The 256 pixel values a byte decodes to, computed once.
const BYTE_TO_PIXEL = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);

/**
 * Packs `digits` into the file's bytes. Pixels are rounded to the nearest 1/255 (MNIST's own precision).
 *
 * @throws RangeError when images and labels disagree in count, a label is not an integer 0-9, or a
 *   pixel is outside [0, 1].
 */
export function encodeDigits(digits: Digits): Uint8Array {
  const { images, labels } = digits;
  const count = labels.length;
  if (images.length !== count * IMAGE_SIZE) {
    throw new RangeError(
      `encodeDigits: ${count} labels need ${count * IMAGE_SIZE} pixels (${IMAGE_SIZE} each), ` +
        `found ${images.length}`,
    );
  }
  const bytes = new Uint8Array(HEADER_BYTES + count * BYTES_PER_DIGIT);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  new DataView(bytes.buffer).setUint32(4, count, true);
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    if (!(label >= 0 && label <= 9)) {
      throw new RangeError(`encodeDigits: label ${i} must be 0-9, found ${label}`);
    }
    bytes[HEADER_BYTES + i] = label;
  }
  const pixelStart = HEADER_BYTES + count;
  // Looked up once: a global looked up in a hot loop is ~60x slower inside jest's sandbox.
  const round = Math.round;
  for (let i = 0; i < images.length; i++) {
    const value = images[i]!;
    // `!(inside)` also catches NaN.
    if (!(value >= 0 && value <= 1)) {
      throw new RangeError(
        `encodeDigits: pixel ${i % IMAGE_SIZE} of image ${Math.floor(i / IMAGE_SIZE)} must be in ` +
          `[0, 1], found ${value}`,
      );
    }
    bytes[pixelStart + i] = round(value * 255);
  }
  return bytes;
}

/**
 * Unpacks the file's bytes into digits with pixels in [0, 1].
 *
 * @throws Error when the bytes are too short for the header, do not start with the magic `EQXD`, do not
 *   have the length the count in the header implies, or hold a label above 9.
 */
export function decodeDigits(bytes: Uint8Array): Digits {
  if (bytes.length < HEADER_BYTES) {
    throw new Error(
      `decodeDigits: the file is too short (expected at least ${HEADER_BYTES} bytes of header, ` +
        `found ${bytes.length})`,
    );
  }
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) {
    throw new Error(
      `decodeDigits: the file is not a digits file (expected the magic ${JSON.stringify(MAGIC)}, ` +
        `found ${JSON.stringify(magic)})`,
    );
  }
  // The bytes may be a view into a larger buffer.
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const expectedLength = HEADER_BYTES + count * BYTES_PER_DIGIT;
  if (bytes.length !== expectedLength) {
    throw new Error(
      `decodeDigits: a file of ${count} digits must be ${expectedLength} bytes long ` +
        `(8 + ${count} * ${BYTES_PER_DIGIT}), found ${bytes.length}`,
    );
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = bytes[HEADER_BYTES + i]!;
    if (label > 9) throw new Error(`decodeDigits: label ${i} must be 0-9, found ${label}`);
    labels[i] = label;
  }
  const pixels = bytes.subarray(HEADER_BYTES + count);
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = BYTE_TO_PIXEL[pixels[i]!]!;
  return { images, labels };
}
