/**
 * The header of a safetensors file, read and checked: an 8-byte little-endian length, then that many
 * bytes of JSON naming each tensor's dtype, shape and byte range in the data that follows. Everything
 * read is validated before anything is allocated from it.
 */
import { type KeyPath, keystr } from '@equinox-ts/pytree';
import { type Context, byteSize, fail, messageOf, shapeText } from './checks.js';
import { type ElementKind, KINDS } from './elements.js';
import { type ByteSource, asBytes, readBytes, sourceName } from './io.js';
import { utf8Decode } from './text.js';

/** A tensor's name in a file: its key path's keys joined by dots (`layers.0.weight`). */
export function safetensorsName(path: KeyPath): string {
  return keystr(path, { simple: true, separator: '.' });
}

/** The safetensors library refuses longer headers; so do we. */
export const MAX_HEADER_LENGTH = 100_000_000;

/** Every dtype name of the format, with its element size; `kind` is absent where it cannot load. */
export const DTYPES: Record<string, { size: number; kind?: ElementKind }> = {
  BOOL: { size: 1, kind: KINDS.bool },
  U8: { size: 1, kind: KINDS.uint8 },
  I8: { size: 1, kind: KINDS.int8 },
  I16: { size: 2, kind: KINDS.int16 },
  U16: { size: 2, kind: KINDS.uint16 },
  F16: { size: 2, kind: KINDS.float16 },
  BF16: { size: 2, kind: KINDS.bfloat16 },
  I32: { size: 4, kind: KINDS.int32 },
  U32: { size: 4, kind: KINDS.uint32 },
  F32: { size: 4, kind: KINDS.float32 },
  F64: { size: 8, kind: KINDS.float64 },
  I64: { size: 8, kind: KINDS.int64 },
  U64: { size: 8, kind: KINDS.uint64 },
  F8_E5M2: { size: 1 },
  F8_E4M3: { size: 1 },
  F8_E8M0: { size: 1 },
  C64: { size: 8 },
};

/**
 * One tensor's entry in a safetensors header.
 *
 * @example
 * ```ts
 * const header = decodeSafetensorsHeader(encodeSafetensors({ w: numpy.ones([2, 3]) }));
 * const entry: SafetensorsEntry = header.tensors.w!;
 * entry; // { dtype: 'F32', shape: [2, 3], dataOffsets: [0, 24] }
 * ```
 */
export interface SafetensorsEntry {
  /** The format's dtype name: `F32`, `F16`, `BF16`, `I64`, `BOOL`, ... */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** The tensor's bytes, `[begin, end)`, counted from the start of the data (after the header). */
  readonly dataOffsets: readonly [number, number];
}

/**
 * What a safetensors header says: the free-form `__metadata__` strings and each tensor's entry.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ w: numpy.ones([2]) }, { metadata: { format: 'pt' } });
 * const header: SafetensorsHeader = decodeSafetensorsHeader(bytes);
 * header.metadata; // { format: 'pt' }
 * Object.keys(header.tensors); // ['w']
 * ```
 */
export interface SafetensorsHeader {
  /** The `__metadata__` strings; `{}` when the file has none. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: Readonly<Record<string, SafetensorsEntry>>;
}

/** A checked header, and where the data starts in the file. */
export interface ParsedHeader extends SafetensorsHeader {
  readonly dataStart: number;
}

/**
 * The header of a safetensors file's bytes, checked (as {@link decodeSafetensors} checks it), without
 * reading any tensor: the names, dtypes and shapes a checkpoint holds, and its metadata.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ layers: [{ weight: numpy.ones([2, 2]) }] });
 * decodeSafetensorsHeader(bytes).tensors['layers.0.weight']!.shape; // [2, 2]
 * ```
 */
export function decodeSafetensorsHeader(bytes: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const context = { op: 'decodeSafetensorsHeader' };
  const { metadata, tensors } = parseSafetensorsHeader(context, asBytes(context, bytes));
  return { metadata, tensors };
}

/**
 * {@link decodeSafetensorsHeader} of a file (Node) or a {@link ByteSource}.
 *
 * @example
 * ```ts
 * const blob = new Blob([encodeSafetensors({ b: numpy.zeros([3]) })]);
 * (await loadSafetensorsHeader(blob)).tensors.b!.dtype; // 'F32'
 * ```
 */
export async function loadSafetensorsHeader(pathOrSource: ByteSource): Promise<SafetensorsHeader> {
  const context = { op: 'loadSafetensorsHeader', source: sourceName(pathOrSource) };
  const { metadata, tensors } = parseSafetensorsHeader(
    context,
    await readBytes(context, pathOrSource),
  );
  return { metadata, tensors };
}

/** Reads and checks the header of `bytes`; every problem is an Error naming `context`. */
export function parseSafetensorsHeader(context: Context, bytes: Uint8Array): ParsedHeader {
  if (bytes.length < 8) {
    fail(
      context,
      `truncated: ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const length = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (length > MAX_HEADER_LENGTH) {
    fail(context, `the header length ${length} is over the limit of ${MAX_HEADER_LENGTH} bytes`);
  }
  if (8 + length > bytes.length) {
    fail(
      context,
      `truncated: the header length is ${length} bytes, but only ${bytes.length - 8} follow`,
    );
  }
  let text = '';
  try {
    text = utf8Decode(bytes.subarray(8, 8 + length));
  } catch (e) {
    fail(context, 'the header is not valid UTF-8', e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(context, `the header is not valid JSON: ${messageOf(e)}`, e);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail(context, 'the header is not a JSON object');
  }
  const dataLength = bytes.length - 8 - length;
  let metadata: Record<string, string> = {};
  const entries: [string, SafetensorsEntry][] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = checkMetadata(context, value);
    else entries.push([name, checkEntry(context, name, value, dataLength)]);
  }
  checkCoverage(context, entries, dataLength);
  return { metadata, tensors: Object.fromEntries(entries), dataStart: 8 + length };
}

function checkMetadata(context: Context, value: unknown): Record<string, string> {
  const valid =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string');
  if (!valid) fail(context, '__metadata__ must be an object of strings');
  return { ...(value as Record<string, string>) };
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

function checkEntry(
  context: Context,
  name: string,
  value: unknown,
  dataLength: number,
): SafetensorsEntry {
  const problem: (message: string) => never = (message) =>
    fail(context, `tensor ${JSON.stringify(name)}: ${message}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    problem('the entry is not an object');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || DTYPES[dtype] === undefined) {
    problem(`unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    problem(`shape must be a list of non-negative integers, found ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    problem(`data_offsets must be two non-negative integers, found ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    problem(
      `data_offsets [${begin}, ${end}] are not a range within the ${dataLength} bytes of data`,
    );
  }
  const size = DTYPES[dtype].size;
  const needed = byteSize(shape, size, Number.MAX_SAFE_INTEGER);
  if (needed !== end - begin) {
    const what = needed === undefined ? 'more than 2**53 bytes' : `${needed} bytes`;
    problem(
      `shape ${shapeText(shape)} of ${dtype} needs ${what}, but data_offsets [${begin}, ${end}] hold ${end - begin}`,
    );
  }
  return { dtype, shape: shape, dataOffsets: [begin, end] };
}

/** The format's rule: the tensors' ranges tile the data exactly, with no overlaps and no holes. */
function checkCoverage(
  context: Context,
  entries: readonly [string, SafetensorsEntry][],
  dataLength: number,
): void {
  const sorted = [...entries].sort(
    ([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let covered = 0;
  let last = '';
  for (const [name, { dataOffsets }] of sorted) {
    const [begin, end] = dataOffsets;
    if (begin < covered) {
      fail(
        context,
        `tensors ${JSON.stringify(last)} and ${JSON.stringify(name)} overlap (data_offsets [${begin}, ${end}] start before byte ${covered})`,
      );
    }
    if (begin > covered)
      fail(context, `bytes [${covered}, ${begin}) of the data belong to no tensor`);
    covered = end;
    last = name;
  }
  if (covered !== dataLength)
    fail(context, `bytes [${covered}, ${dataLength}) of the data belong to no tensor`);
}
