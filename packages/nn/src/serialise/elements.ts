/** The element types both file formats store, and the conversion of their bytes to and from tensor data. */
import { type DType, type DataArray, allocData } from '@equinox-ts/kernels';

/** One element type a file may hold, and how its values load into a tensor. */
export interface ElementKind {
  /** The name messages use: `float16`, `int64`, ... */
  readonly name: string;
  /** Bytes per element. */
  readonly size: number;
  /** The tensor dtype the values load as: float32 for floats, int32 for integers, bool. */
  readonly dtype: DType;
  /** Element `i` of `view` as a number. */
  read(view: DataView, i: number, littleEndian: boolean): number;
}

// float16 and bfloat16 widen exactly to float32 through its bit pattern.
const scratch = new DataView(new ArrayBuffer(4));

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function bfloatToFloat(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

const kind = (
  name: string,
  size: number,
  dtype: DType,
  read: ElementKind['read'],
): ElementKind => ({ name, size, dtype, read });

/** Every element type either format can load, by name. */
export const KINDS = {
  bool: kind('bool', 1, 'bool', (v, i) => (v.getUint8(i) === 0 ? 0 : 1)),
  float16: kind('float16', 2, 'float32', (v, i, le) => halfToFloat(v.getUint16(2 * i, le))),
  bfloat16: kind('bfloat16', 2, 'float32', (v, i, le) => bfloatToFloat(v.getUint16(2 * i, le))),
  float32: kind('float32', 4, 'float32', (v, i, le) => v.getFloat32(4 * i, le)),
  float64: kind('float64', 8, 'float32', (v, i, le) => v.getFloat64(8 * i, le)),
  int8: kind('int8', 1, 'int32', (v, i) => v.getInt8(i)),
  int16: kind('int16', 2, 'int32', (v, i, le) => v.getInt16(2 * i, le)),
  int32: kind('int32', 4, 'int32', (v, i, le) => v.getInt32(4 * i, le)),
  int64: kind('int64', 8, 'int32', (v, i, le) => Number(v.getBigInt64(8 * i, le))),
  uint8: kind('uint8', 1, 'int32', (v, i) => v.getUint8(i)),
  uint16: kind('uint16', 2, 'int32', (v, i, le) => v.getUint16(2 * i, le)),
  uint32: kind('uint32', 4, 'int32', (v, i, le) => v.getUint32(4 * i, le)),
  uint64: kind('uint64', 8, 'int32', (v, i, le) => Number(v.getBigUint64(8 * i, le))),
} as const;

/** The element type a tensor of `dtype` is saved as. */
export function kindOfDtype(dtype: DType): ElementKind {
  return dtype === 'float32' ? KINDS.float32 : dtype === 'int32' ? KINDS.int32 : KINDS.bool;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The values of `bytes` (elements of `kind`) as tensor data of `kind.dtype`. Integers that do not fit
 * in int32 are reported through `fail` with their index, never wrapped around.
 */
export function decodeElements(
  bytes: Uint8Array,
  kind: ElementKind,
  littleEndian: boolean,
  fail: (message: string) => never,
): DataArray {
  const count = bytes.length / kind.size;
  const out = allocData(kind.dtype, count);
  // The common case, float32 or int32 in the host's byte order, is a plain copy.
  if (kind.size === 4 && kind.dtype === kind.name && littleEndian === HOST_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer, out.byteOffset, bytes.length).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const checkRange = kind.dtype === 'int32' && kind.size >= 4;
  for (let i = 0; i < count; i++) {
    const value = kind.read(view, i, littleEndian);
    if (checkRange && (value > 2147483647 || value < -2147483648)) {
      fail(`element ${i} (${value}) of the ${kind.name} data does not fit in int32`);
    }
    out[i] = value;
  }
  return out;
}

/** Writes tensor data of `dtype` into `out` at `offset`, little-endian; bool as bytes 0 and 1. */
export function writeElements(
  out: Uint8Array,
  offset: number,
  data: DataArray,
  dtype: DType,
): void {
  if (dtype === 'bool') {
    for (let i = 0; i < data.length; i++) out[offset + i] = data[i] ? 1 : 0;
  } else if (HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
  } else {
    const view = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
    for (let i = 0; i < data.length; i++) {
      if (dtype === 'float32') view.setFloat32(4 * i, data[i]!, true);
      else view.setInt32(4 * i, data[i]!, true);
    }
  }
}
