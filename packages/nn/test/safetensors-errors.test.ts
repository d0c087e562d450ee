// safetensors: every check of what is read (a corrupt or truncated file is a clear Error, never a huge
// allocation) and every mismatch with `like`.
import { type Tensor, numpy, vmap } from '@equinox-ts/autodiff';
import {
  decodeSafetensors,
  decodeSafetensorsHeader,
  encodeSafetensors,
  loadSafetensors,
} from '../src/index.js';

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** A file from its header text and data bytes, with the header length `length` (default: the true one). */
function file(
  header: string,
  data: number[] = [],
  length: number | bigint = header.length,
): Uint8Array {
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(length), true);
  return new Uint8Array([...prefix, ...ascii(header), ...data]);
}

const entry = (dtype: string, shape: unknown, offsets: unknown) =>
  JSON.stringify({ dtype, shape, data_offsets: offsets });

/** Decoding `header` (one tensor `t` unless given whole) and `data` throws `message`. */
function expectRejected(header: string, data: number[], message: string | RegExp): void {
  expect(() => decodeSafetensors(file(header, data))).toThrow(message);
}

describe('safetensors: what is read is checked', () => {
  const valid = encodeSafetensors({ a: numpy.array([1, 2]), b: numpy.array([true, false, true]) });

  test('a file shorter than its header length is reported at every point of truncation', () => {
    expect(() => decodeSafetensors(new Uint8Array(5))).toThrow(
      'decodeSafetensors: truncated: 5 bytes, but a safetensors file starts with an 8-byte header length',
    );
    expect(() => decodeSafetensors(valid.subarray(0, 20))).toThrow(
      /^decodeSafetensors: truncated: the header length is \d+ bytes, but only 12 follow$/,
    );
    expect(() => decodeSafetensors(valid.subarray(0, valid.length - 1))).toThrow(
      'tensor "b": data_offsets [8, 11] are not a range within the 10 bytes of data',
    );
    for (let n = 0; n < valid.length; n++) {
      expect(() => decodeSafetensors(valid.subarray(0, n))).toThrow(/^decodeSafetensors: /);
    }
  });

  test('a huge header length is refused before anything is allocated', () => {
    expect(() => decodeSafetensors(file('{}', [], 2 ** 40))).toThrow(
      'the header length 1099511627776 is over the limit of 100000000 bytes',
    );
    expect(() => decodeSafetensors(file('{}', [], 2n ** 64n - 1n))).toThrow('is over the limit');
    expect(() => decodeSafetensors(file('{}', [], 99_999_999))).toThrow(
      'truncated: the header length is 99999999 bytes, but only 2 follow',
    );
  });

  test('the header must be a JSON object in UTF-8', () => {
    expectRejected('{"t": ', [], /^decodeSafetensors: the header is not valid JSON: /);
    expectRejected('[1, 2]', [], 'the header is not a JSON object');
    expectRejected('null', [], 'the header is not a JSON object');
    const latin = file('{"\u00ff": 1}');
    expect(() => decodeSafetensors(latin)).toThrow(
      'decodeSafetensors: the header is not valid UTF-8',
    );
    expectRejected('{"__metadata__": {"n": 1}}', [], '__metadata__ must be an object of strings');
  });

  test('each entry: dtype known, shape and offsets non-negative integers, sizes that agree', () => {
    const one = (e: string, data: number[] = [0, 0, 0, 0]) =>
      expectRejected(`{"t": ${e}}`, data, `tensor "t": `);
    one('3');
    expectRejected(
      `{"t": ${entry('Q7', [1], [0, 4])}}`,
      [0, 0, 0, 0],
      /tensor "t": unknown dtype "Q7" \(known: BOOL, U8/,
    );
    expectRejected(
      `{"t": ${entry('F32', [-1], [0, 4])}}`,
      [0, 0, 0, 0],
      'shape must be a list of non-negative integers, found [-1]',
    );
    expectRejected(`{"t": ${entry('F32', [1.5], [0, 4])}}`, [0, 0, 0, 0], 'found [1.5]');
    expectRejected(`{"t": ${entry('F32', '1', [0, 4])}}`, [0, 0, 0, 0], 'found "1"');
    expectRejected(
      `{"t": ${entry('F32', [1], [0])}}`,
      [0, 0, 0, 0],
      'data_offsets must be two non-negative integers, found [0]',
    );
    expectRejected(`{"t": ${entry('F32', [1], [0, 4.5])}}`, [0, 0, 0, 0], 'found [0,4.5]');
    expectRejected(
      `{"t": ${entry('F32', [1], [4, 0])}}`,
      [0, 0, 0, 0],
      'data_offsets [4, 0] are not a range within the 4 bytes of data',
    );
    expectRejected(
      `{"t": ${entry('F32', [1], [0, 8])}}`,
      [0, 0, 0, 0],
      'data_offsets [0, 8] are not a range within the 4 bytes of data',
    );
    expectRejected(
      `{"t": ${entry('F32', [2], [0, 4])}}`,
      [0, 0, 0, 0],
      'shape [2] of F32 needs 8 bytes, but data_offsets [0, 4] hold 4',
    );
    expectRejected(
      `{"t": ${entry('F32', [1e15, 1e15], [0, 4])}}`,
      [0, 0, 0, 0],
      'shape [1000000000000000, 1000000000000000] of F32 needs more than 2**53 bytes, but data_offsets [0, 4] hold 4',
    );
  });

  test('the ranges tile the data: no overlaps, no holes, nothing after the last', () => {
    const data = [0, 0, 0, 0, 0, 0, 0, 0];
    expectRejected(
      `{"a": ${entry('F32', [1], [0, 4])}, "b": ${entry('I32', [1], [2, 6])}}`,
      data,
      'tensors "a" and "b" overlap (data_offsets [2, 6] start before byte 4)',
    );
    expectRejected(
      `{"a": ${entry('F32', [1], [0, 4])}, "b": ${entry('F32', [1], [0, 4])}}`,
      data.slice(0, 4),
      'overlap',
    );
    expectRejected(
      `{"a": ${entry('F32', [1], [4, 8])}}`,
      data,
      'bytes [0, 4) of the data belong to no tensor',
    );
    expectRejected(
      `{"a": ${entry('F32', [1], [0, 4])}}`,
      data,
      'bytes [4, 8) of the data belong to no tensor',
    );
  });

  test('a dtype that has no tensor equivalent is named when it would be loaded', () => {
    const bytes = file(
      `{"a": ${entry('F32', [1], [0, 4])}, "q": ${entry('F8_E4M3', [2], [4, 6])}}`,
      [0, 0, 0x80, 0x3f, 1, 2],
    );
    expect(() => decodeSafetensors(bytes)).toThrow(
      'tensor "q": dtype F8_E4M3 cannot be loaded (no float32, int32 or bool equivalent)',
    );
    expect(decodeSafetensorsHeader(bytes).tensors.q!.shape).toEqual([2]);
    // Not needed by like, and ignored with strict: false.
    expect(decodeSafetensors(bytes, { a: numpy.zeros([1]) }, { strict: false }).a.tolist()).toEqual(
      [1],
    );
  });

  test('integers that do not fit in int32 are an error, never wrapped', () => {
    expectRejected(
      `{"t": ${entry('U32', [2], [0, 8])}}`,
      [0, 0, 0, 0, 0, 0, 0, 0x80],
      'tensor "t": element 1 (2147483648) of the uint32 data does not fit in int32',
    );
    expectRejected(
      `{"t": ${entry('I64', [1], [0, 8])}}`,
      [0, 0, 0, 0, 0, 0, 0, 0x80],
      'element 0 (-9223372036854776000) of the int64 data does not fit in int32',
    );
  });

  test('the async loader names the source', async () => {
    await expect(loadSafetensors(new Blob([valid.subarray(0, 3)]))).rejects.toThrow(
      'loadSafetensors: the Blob: truncated: 3 bytes',
    );
    await expect(loadSafetensors({} as unknown as Uint8Array)).rejects.toThrow(
      'loadSafetensors: expected a file path, a Uint8Array, an ArrayBuffer or a Blob to read from, found Object',
    );
    expect(() => decodeSafetensors('x' as unknown as Uint8Array)).toThrow(
      'decodeSafetensors: expected a Uint8Array or an ArrayBuffer, found string',
    );
  });
});

describe('safetensors: loading into like', () => {
  const saved = encodeSafetensors({
    layers: [{ weight: numpy.ones([2, 3]), bias: numpy.zeros([2]) }],
  });
  const like = () => ({ layers: [{ weight: numpy.zeros([2, 3]), bias: numpy.ones([2]) }] });

  test('loads matching tensors', () => {
    const loaded = decodeSafetensors(saved, like());
    expect(loaded.layers[0]!.bias.tolist()).toEqual([0, 0]);
    expect(loaded.layers[0]!.weight.tolist()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  test('a missing tensor is named, with its dtype and shape, and what the file has instead', () => {
    const wrong = { layers: [{ weight: numpy.zeros([2, 3]), b: numpy.ones([2]) }] };
    expect(() => decodeSafetensors(saved, wrong)).toThrow(
      'decodeSafetensors: tensors of like missing from the file: "layers.0.b" (float32 [2]); the file has these instead: "layers.0.bias"',
    );
    expect(() => decodeSafetensors(saved, { ...like(), extra: numpy.ones([1]) })).toThrow(
      'tensors of like missing from the file: "extra" (float32 [1])',
    );
  });

  test('tensors like has no place for are an error unless strict is false', () => {
    const fewer = { layers: [{ weight: numpy.zeros([2, 3]) }] };
    expect(() => decodeSafetensors(saved, fewer)).toThrow(
      'the file has tensors that like has no place for: "layers.0.bias" (pass { strict: false } to ignore them)',
    );
    expect(decodeSafetensors(saved, fewer, { strict: false }).layers[0]!.weight.shape).toEqual([
      2, 3,
    ]);
  });

  test('a shape or dtype that differs is named with expected and found', () => {
    const transposed = { layers: [{ weight: numpy.zeros([3, 2]), bias: numpy.ones([2]) }] };
    expect(() => decodeSafetensors(saved, transposed)).toThrow(
      'tensor "layers.0.weight": shape differs: like has [3, 2], the file has [2, 3]',
    );
    const ints = {
      layers: [{ weight: numpy.zeros([2, 3]), bias: numpy.ones([2], { dtype: 'int32' }) }],
    };
    expect(() => decodeSafetensors(saved, ints)).toThrow(
      'tensor "layers.0.bias": dtype differs: like has int32, the file has F32 (loads as float32)',
    );
  });
});

describe('safetensors: what cannot be written', () => {
  test('two tensors with the same name, or the reserved name', () => {
    expect(() => encodeSafetensors({ 'a.b': numpy.ones([1]), a: { b: numpy.ones([1]) } })).toThrow(
      /^encodeSafetensors: the tensor at \["a\.b"\] would be named "a\.b", also the name of the tensor at \.a\.b$/,
    );
    expect(() => encodeSafetensors({ __metadata__: numpy.ones([1]) })).toThrow(
      'would be named "__metadata__", the name the format reserves for metadata',
    );
  });

  test('metadata must be strings', () => {
    expect(() =>
      encodeSafetensors({}, { metadata: { n: 1 } as unknown as Record<string, string> }),
    ).toThrow(new TypeError('encodeSafetensors: options.metadata must be an object of strings'));
  });

  test('a tensor that cannot be read is named by its path', () => {
    let leaked: Tensor | undefined;
    vmap((x: Tensor) => {
      leaked = x;
      return x;
    })(numpy.ones([2, 2]));
    expect(() => encodeSafetensors({ layer: { w: leaked } })).toThrow(
      /^encodeSafetensors: cannot read the tensor at \.layer\.w: /,
    );
  });
});
