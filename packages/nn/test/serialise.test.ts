// Equinox's leaf format: NPY records as NumPy writes them, round trips of plain trees and modules, and
// every error the loader gives for data that does not fit `like`.
import { type Tensor, numpy, random, vmap } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  Linear,
  MLP,
  Module,
  deserialiseLeaves,
  field,
  serialiseLeaves,
  treeDeserialiseLeaves,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';

/** Both trees have the same structure, and equal leaves (tensors: dtype, shape and values). */
function expectTreesEqual(actual: unknown, expected: unknown): void {
  expect(tree.structure(actual).toString()).toBe(tree.structure(expected).toString());
  const plain = (x: unknown) =>
    x instanceof Object && 'dataSync' in x
      ? { dtype: (x as Tensor).dtype, shape: (x as Tensor).shape, values: (x as Tensor).tolist() }
      : x;
  expect(tree.leaves(actual).map(plain)).toEqual(tree.leaves(expected).map(plain));
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/**
 * One record as `np.save` writes it: magic, version 1.0, the header length (little-endian u16), the dict,
 * spaces up to a 64-byte boundary and a newline, then the data. `spaces` is counted by hand below.
 */
function record(dict: string, spaces: number, data: number[]): number[] {
  const header = [...ascii(dict), ...new Array<number>(spaces).fill(0x20), 0x0a];
  return [
    0x93,
    ...ascii('NUMPY'),
    1,
    0,
    header.length & 0xff,
    header.length >> 8,
    ...header,
    ...data,
  ];
}

// float32 [[1, 2, 3], [4, 5, 6]]: 59 characters of dict, 20 spaces of room for the first axis to grow
// (21 digits minus the 1 of "2"), 38 more and the newline to reach 10 + 118 = 128 bytes.
const F32_RECORD = record("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20 + 38, [
  ...[0x00, 0x00, 0x80, 0x3f], // 1
  ...[0x00, 0x00, 0x00, 0x40], // 2
  ...[0x00, 0x00, 0x40, 0x40], // 3
  ...[0x00, 0x00, 0x80, 0x40], // 4
  ...[0x00, 0x00, 0xa0, 0x40], // 5
  ...[0x00, 0x00, 0xc0, 0x40], // 6
]);
// The Python float 1.5 (np.save writes a 0-d float64): 55 characters, no growth room for shape ().
const F64_RECORD = record("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 62, [
  ...[0, 0, 0, 0, 0, 0, 0xf8, 0x3f],
]);
// The Python bool True.
const BOOL_RECORD = record("{'descr': '|b1', 'fortran_order': False, 'shape': (), }", 62, [1]);
// The Python int -3 (0-d int64) and an int32 vector [7, -8] (57 characters, 20 + 40 spaces).
const I8_RECORD = record("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", 62, [
  ...[0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
]);
const I4_RECORD = record("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", 20 + 40, [
  ...[7, 0, 0, 0],
  ...[0xf8, 0xff, 0xff, 0xff],
]);

describe.each(BACKENDS)('leaf format on $name', (entry) => {
  useBackend(entry);

  test('records are byte for byte what np.save writes', () => {
    const bytes = serialiseLeaves([
      numpy.array([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      1.5,
      true,
    ]);
    expect(Array.from(bytes)).toEqual([...F32_RECORD, ...F64_RECORD, ...BOOL_RECORD]);
    expect(F32_RECORD.length % 64).toBe(24); // the header ends on a 64-byte boundary
  });

  test('reads records written by NumPy into tensors, numbers and booleans', () => {
    const bytes = new Uint8Array([
      ...F32_RECORD,
      ...F64_RECORD,
      ...BOOL_RECORD,
      ...I8_RECORD,
      ...I4_RECORD,
    ]);
    const like = {
      a: numpy.zeros([2, 3]),
      b: 0,
      c: false,
      d: 0,
      e: numpy.zeros([2], { dtype: 'int32' }),
      skipped: 'kept',
    };
    const loaded = deserialiseLeaves(bytes, like);
    expect(loaded.a.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(loaded.b).toBe(1.5);
    expect(loaded.c).toBe(true);
    expect(loaded.d).toBe(-3);
    expect(loaded.e.dtype).toBe('int32');
    expect(loaded.e.tolist()).toEqual([7, -8]);
    expect(loaded.skipped).toBe('kept');
  });

  test('float64 and int64 records load into float32 and int32 tensors, as JAX without x64', () => {
    const bytes = new Uint8Array([...F64_RECORD, ...I8_RECORD]);
    const loaded = deserialiseLeaves(bytes, [numpy.zeros([]), numpy.zeros([], { dtype: 'int32' })]);
    expect(loaded[0]!.dtype).toBe('float32');
    expect(loaded[0]!.item()).toBe(1.5);
    expect(loaded[1]!.dtype).toBe('int32');
    expect(loaded[1]!.item()).toBe(-3);
    const big = record(
      "{'descr': '<i8', 'fortran_order': False, 'shape': (), }",
      62,
      [0, 0, 0, 0, 1, 0, 0, 0],
    );
    expect(() =>
      deserialiseLeaves(new Uint8Array(big), numpy.zeros([], { dtype: 'int32' })),
    ).toThrow(
      /record 0 \(the leaf at the root\): element 0 \(4294967296\) of the int64 data does not fit in int32/,
    );
    // A number leaf takes the int64 as it is.
    expect(deserialiseLeaves(new Uint8Array(big), 0)).toBe(2 ** 32);
  });

  test('reads Fortran-order and big-endian records', () => {
    // [[1, 2, 3], [4, 5, 6]] as big-endian float32, stored column by column: 1 4 2 5 3 6. The dict is
    // 58 characters ("True" is one shorter), 20 spaces of growth room, 39 to reach 128 bytes.
    const dict = "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }";
    const floats = record(dict, 20 + 39, [
      ...[0x3f, 0x80, 0, 0, 0x40, 0x80, 0, 0, 0x40, 0, 0, 0],
      ...[0x40, 0xa0, 0, 0, 0x40, 0x40, 0, 0, 0x40, 0xc0, 0, 0],
    ]);
    expect(floats.length).toBe(128 + 24);
    expect(deserialiseLeaves(new Uint8Array(floats), numpy.zeros([2, 3])).tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    // int16 stays int16 in JAX, so Equinox would not load it into an int32 array either.
    const shorts = record(
      "{'descr': '>i2', 'fortran_order': False, 'shape': (), }",
      62,
      [0xff, 0xfe],
    );
    expect(() =>
      deserialiseLeaves(new Uint8Array(shorts), numpy.zeros([], { dtype: 'int32' })),
    ).toThrow("dtype differs: like has int32, the data has '>i2' (int16)");
    expect(deserialiseLeaves(new Uint8Array(shorts), 0)).toBe(-2); // a number takes any one value
  });

  test('round trips plain trees of every leaf kind, skipping non-array leaves', () => {
    const original = {
      weights: [numpy.array([[0.5, -1]]), numpy.array([3], { dtype: 'int32' })],
      mask: numpy.array([true, false, true]),
      empty: numpy.zeros([0, 4]),
      scalar: numpy.array(2.25),
      numbers: [0.1, -0, Infinity, NaN, 2 ** 60],
      flags: [true, false],
      fn: (x: number) => x,
      nothing: null,
    };
    const like = tree.map(
      (x: unknown) => (x instanceof Object && 'dtype' in x ? numpy.zerosLike(x as Tensor) : x),
      { ...original, numbers: [0, 0, 0, 0, 0], flags: [false, false] },
    );
    const loaded = deserialiseLeaves(serialiseLeaves(original), like);
    expect(loaded.numbers).toEqual([0.1, -0, Infinity, NaN, 2 ** 60]);
    expect(Object.is(loaded.numbers[1], -0)).toBe(true);
    expect(loaded.fn).toBe(original.fn);
    expectTreesEqual(loaded, original);
  });

  test('round trips Linear, MLP and a module with static fields', () => {
    const linear = new Linear(3, 2, { key: random.key(0) });
    expectTreesEqual(
      deserialiseLeaves(serialiseLeaves(linear), new Linear(3, 2, { key: random.key(1) })),
      linear,
    );
    const mlp = new MLP(2, 'scalar', 4, 2, { key: random.key(2) });
    const loadedMlp = deserialiseLeaves(
      serialiseLeaves(mlp),
      new MLP(2, 'scalar', 4, 2, { key: random.key(3) }),
    );
    expect(loadedMlp).toBeInstanceOf(MLP);
    expectTreesEqual(loadedMlp, mlp);
    expect(vmap(loadedMlp.call)(numpy.ones([3, 2])).tolist()).toEqual(
      vmap(mlp.call)(numpy.ones([3, 2])).tolist(),
    );

    class Scaled extends Module {
      inner: Linear;
      scale: number;
      training: boolean;
      label: string = field({ static: true });
      width: number = field({ static: true });
      constructor(key: Tensor, scale: number, label: string) {
        super();
        this.inner = new Linear(2, 2, { key });
        this.scale = scale;
        this.training = true;
        this.label = label;
        this.width = 2;
      }
    }
    const model = new Scaled(random.key(4), 0.75, 'saved');
    const loaded = deserialiseLeaves(
      serialiseLeaves(model),
      new Scaled(random.key(5), 1, 'from like'),
    );
    expect(loaded).toBeInstanceOf(Scaled);
    expect(loaded.scale).toBe(0.75);
    expect(loaded.label).toBe('from like'); // static fields are not saved: they come from like
    expect(loaded.inner.weight.tolist()).toEqual(model.inner.weight.tolist());
  });

  test('the async loader reads Uint8Array, ArrayBuffer and Blob sources', async () => {
    const bytes = serialiseLeaves({ w: numpy.array([1, 2]) });
    const like = { w: numpy.zeros([2]) };
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) {
      expect((await treeDeserialiseLeaves(source, like)).w.tolist()).toEqual([1, 2]);
    }
    await expect(treeDeserialiseLeaves(new Blob([bytes.subarray(0, 50)]), like)).rejects.toThrow(
      /^treeDeserialiseLeaves: the Blob: record 0 \(the leaf at \.w\): truncated/,
    );
    await expect(treeDeserialiseLeaves(42 as unknown as Uint8Array, like)).rejects.toThrow(
      TypeError,
    );
  });
});

describe('leaf format errors', () => {
  const like = { a: numpy.zeros([2, 3]), b: 0 };
  const good = new Uint8Array([...F32_RECORD, ...F64_RECORD]);
  const load =
    (bytes: Uint8Array | number[], into: unknown = like) =>
    () =>
      deserialiseLeaves(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), into);

  test('truncation anywhere is reported with the record and leaf', () => {
    expect(load(good.subarray(0, 0))).toThrow(
      'deserialiseLeaves: record 0 (the leaf at .a): the data ends after 0 records, but like has more leaves to load',
    );
    expect(load(good.subarray(0, 5))).toThrow('record 0 (the leaf at .a): truncated: 5 bytes left');
    expect(load(good.subarray(0, 60))).toThrow('the header needs 118 bytes, 50 are left');
    expect(load(good.subarray(0, 130))).toThrow(
      'truncated: shape [2, 3] of float32 needs 24 bytes, 2 are left',
    );
    expect(load(good.subarray(0, F32_RECORD.length))).toThrow(
      'record 1 (the leaf at .b): the data ends after 1 records',
    );
    expect(load(good.subarray(0, good.length - 1))).toThrow('record 1 (the leaf at .b): truncated');
    for (let n = 0; n < good.length; n++)
      expect(load(good.subarray(0, n))).toThrow(/^deserialiseLeaves: record [01]/);
  });

  test('leftover bytes mean the data holds more leaves than like', () => {
    expect(load([...F32_RECORD, ...F64_RECORD, ...BOOL_RECORD])).toThrow(
      "129 bytes are left after the 2 records that like's leaves take: the data holds more leaves than like",
    );
  });

  test('a shape or dtype that differs from like names the leaf, expected and found', () => {
    expect(load(good, { a: numpy.zeros([3, 2]), b: 0 })).toThrow(
      'record 0 (the leaf at .a): shape differs: like has [3, 2], the data has [2, 3]',
    );
    expect(load(good, { a: numpy.zeros([2, 3], { dtype: 'int32' }), b: 0 })).toThrow(
      "record 0 (the leaf at .a): dtype differs: like has int32, the data has '<f4' (float32)",
    );
    expect(load(good, { a: numpy.zeros([2, 3], { dtype: 'bool' }), b: 0 })).toThrow(
      'like has bool',
    );
    expect(load(good, { a: 0, b: 0 })).toThrow(
      'record 0 (the leaf at .a): a number takes a record of one element, found shape [2, 3]',
    );
    expect(load(good, { a: numpy.zeros([2, 3]), b: numpy.zeros([1]) })).toThrow(
      'record 1 (the leaf at .b): shape differs: like has [1], the data has []',
    );
  });

  test('corrupt headers are rejected with what is wrong', () => {
    const bad = (dict: string) => load(record(dict, 4, [0, 0, 0, 0]), numpy.zeros([]));
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (), }")).not.toThrow();
    expect(bad("{'descr': '<c8', 'fortran_order': False, 'shape': (), }")).toThrow(
      "unsupported dtype '<c8'",
    );
    expect(bad("{'descr': '|f4', 'fortran_order': False, 'shape': (), }")).toThrow(
      "unsupported dtype '|f4'",
    );
    expect(bad("{'descr': '<f4', 'shape': (), }")).toThrow(
      "the keys must be 'descr', 'fortran_order' and 'shape'",
    );
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (1), }")).toThrow(
      "'shape' is not a tuple",
    );
    expect(bad("{'descr': '<f4', 'fortran_order': 0, 'shape': (), }")).toThrow(
      "'fortran_order' is not True or False",
    );
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")).toThrow(
      'expected an integer',
    );
    expect(
      bad("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
    ).toThrow('the dimension 99999999999999999999 is too large');
    expect(bad("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (), }")).toThrow(
      'structured dtypes are not supported',
    );
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': ()")).toThrow(
      "expected ',' or '}'",
    );
    expect(bad("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (), }")).toThrow(
      'appears twice',
    );
    const wrongMagic = record(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
      4,
      [0, 0, 0, 0],
    );
    wrongMagic[1] = 0x4d;
    expect(load(wrongMagic, numpy.zeros([]))).toThrow('not an NPY record');
    const version9 = [...wrongMagic.slice(0, 6), 9, 0];
    version9[1] = 0x4e;
    expect(load([...version9, 0, 0], numpy.zeros([]))).toThrow(
      'unsupported NPY format version 9.0',
    );
  });

  test('a huge shape in a small file is reported, not allocated', () => {
    const huge = record(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000, 100000000000), }",
      3,
      [],
    );
    expect(load(huge, numpy.zeros([2]))).toThrow(
      'truncated: shape [100000000000, 100000000000] of float32 needs more than 2**53 bytes, 0 are left',
    );
  });

  test('a tensor that cannot be read is named by its path', () => {
    let leaked: Tensor | undefined;
    vmap((x: Tensor) => {
      leaked = x;
      return x;
    })(numpy.ones([2, 2]));
    expect(() => serialiseLeaves({ ok: numpy.ones([1]), bad: leaked })).toThrow(
      /^serialiseLeaves: cannot read the tensor at \.bad: /,
    );
  });
});
