/**
 * NPY records (NumPy's `.npy` format), the unit of Equinox's leaf files: a magic string, a version, a
 * header dict, then the elements in row-major order. Records are written in version 1.0 exactly as
 * `np.save` writes them; versions 1.0, 2.0 and 3.0 are read.
 */
import type { DType, DataArray } from '@equinox-ts/kernels';
import { byteSize, shapeText } from './checks.js';
import { type ElementKind, KINDS, decodeElements, kindOfDtype, writeElements } from './elements.js';
import { formatNpyHeader, parseNpyHeader } from './npy-header.js';
import { latin1Decode, utf8Decode } from './text.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** NumPy refuses longer headers when loading without pickles; so do we. */
const MAX_HEADER_LENGTH = 10000;

const DESCR_OF_DTYPE: Record<DType, string> = { float32: '<f4', int32: '<i4', bool: '|b1' };

/** NumPy's type letter and size for each element kind this package reads. */
const KIND_OF_CODE: Record<string, ElementKind> = {
  b1: KINDS.bool,
  f2: KINDS.float16,
  f4: KINDS.float32,
  f8: KINDS.float64,
  i1: KINDS.int8,
  i2: KINDS.int16,
  i4: KINDS.int32,
  i8: KINDS.int64,
  u1: KINDS.uint8,
  u2: KINDS.uint16,
  u4: KINDS.uint32,
  u8: KINDS.uint64,
};

/** One record of a byte sequence, read and checked. */
export interface NpyRecord {
  readonly descr: string;
  readonly kind: ElementKind;
  readonly shape: readonly number[];
  /** Where the next record starts. */
  readonly end: number;
  /** The elements as tensor data of `kind.dtype`, in row-major order. */
  values(fail: (message: string) => never): DataArray;
  /** The first element as a JavaScript number, unconverted (a 64-bit integer rounds to float64). */
  scalar(): number;
}

/** The bytes of one record holding `data`, as `np.save` writes an array of that dtype and shape. */
export function encodeNpyRecord(
  dtype: DType,
  shape: readonly number[],
  data: DataArray,
): Uint8Array {
  const header = formatNpyHeader(DESCR_OF_DTYPE[dtype], shape);
  const out = new Uint8Array(header.length + data.length * kindOfDtype(dtype).size);
  out.set(header);
  writeElements(out, header.length, data, dtype);
  return out;
}

/** The bytes of a record holding the number `x` as a 0-d float64 array, as `np.save(f, 1.5)` does. */
export function encodeNpyNumber(x: number): Uint8Array {
  const header = formatNpyHeader('<f8', []);
  const out = new Uint8Array(header.length + 8);
  out.set(header);
  new DataView(out.buffer).setFloat64(header.length, x, true);
  return out;
}

/** The bytes of a record holding the boolean `x` as a 0-d bool array, as `np.save(f, True)` does. */
export function encodeNpyBoolean(x: boolean): Uint8Array {
  return encodeNpyRecord('bool', [], new Uint8Array([x ? 1 : 0]));
}

/** The element kind and byte order a type string names; throws an Error for any other. */
function kindOfDescr(descr: string): { kind: ElementKind; littleEndian: boolean } {
  const order = descr[0];
  const kind = KIND_OF_CODE[descr.slice(1)];
  const valid =
    kind !== undefined &&
    (order === '<' || order === '>' || order === '=' || (order === '|' && kind.size === 1));
  if (!valid) {
    const hint = descr === '|V2' ? ' (bfloat16 arrays: convert them to float32 before saving)' : '';
    throw new Error(`unsupported dtype '${descr}'${hint}`);
  }
  // '=' is the writer's native order; every platform NumPy supports today is little-endian.
  return { kind, littleEndian: order !== '>' };
}

/**
 * Reads the record that starts at `offset` of `bytes`. Throws an Error that says what is wrong (the
 * caller adds which record) when the bytes are not a complete, valid record.
 */
export function readNpyRecord(bytes: Uint8Array, offset: number): NpyRecord {
  const left = bytes.length - offset;
  if (left < 10) throw new Error(`truncated: ${left} bytes left, an NPY record needs at least 10`);
  if (MAGIC.some((b, i) => bytes[offset + i] !== b)) {
    throw new Error('not an NPY record (it does not start with the magic string \\x93NUMPY)');
  }
  const major = bytes[offset + 6]!;
  if (major < 1 || major > 3)
    throw new Error(`unsupported NPY format version ${major}.${bytes[offset + 7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, left);
  const lengthSize = major === 1 ? 2 : 4;
  if (left < 8 + lengthSize) throw new Error(`truncated in the header length`);
  const headerLength = lengthSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = offset + 8 + lengthSize;
  if (headerLength > MAX_HEADER_LENGTH) {
    throw new Error(`the header length ${headerLength} is over ${MAX_HEADER_LENGTH} bytes`);
  }
  if (headerStart + headerLength > bytes.length) {
    throw new Error(
      `truncated: the header needs ${headerLength} bytes, ${bytes.length - headerStart} are left`,
    );
  }
  const headerBytes = bytes.subarray(headerStart, headerStart + headerLength);
  const text = major === 3 ? utf8Decode(headerBytes) : latin1Decode(headerBytes);
  const { descr, fortranOrder, shape } = parseNpyHeader(text);
  const { kind, littleEndian } = kindOfDescr(descr);
  const dataStart = headerStart + headerLength;
  const dataLeft = bytes.length - dataStart;
  const size = byteSize(shape, kind.size, Number.MAX_SAFE_INTEGER);
  if (size === undefined || size > dataLeft) {
    const needed = size === undefined ? 'more than 2**53' : size;
    throw new Error(
      `truncated: shape ${shapeText(shape)} of ${kind.name} needs ${needed} bytes, ${dataLeft} are left`,
    );
  }
  const data = bytes.subarray(dataStart, dataStart + size);
  return {
    descr,
    kind,
    shape,
    end: dataStart + size,
    values(fail) {
      const values = decodeElements(data, kind, littleEndian, fail);
      return fortranOrder ? toRowMajor(values, shape) : values;
    },
    scalar() {
      return kind.read(new DataView(data.buffer, data.byteOffset, data.length), 0, littleEndian);
    },
  };
}

/** Elements stored column-major (Fortran order) for `shape`, reordered row-major. */
function toRowMajor(values: DataArray, shape: readonly number[]): DataArray {
  if (shape.length < 2) return values;
  const out = values.slice();
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    // `index` runs through the elements in row-major order; find its column-major position.
    let source = 0;
    for (let d = shape.length - 1; d >= 0; d--) source = source * shape[d]! + index[d]!;
    out[i] = values[source]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}
