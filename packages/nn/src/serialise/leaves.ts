/**
 * Equinox's leaf format (`eqx.tree_serialise_leaves` / `eqx.tree_deserialise_leaves`): the leaves of a
 * tree as consecutive NPY records, in flattening order. Tensors are saved as arrays, numbers as 0-d
 * float64 arrays and booleans as 0-d bool arrays; other leaves (functions, strings...) are skipped, so
 * loading takes them from `like`.
 */
import { Tensor, numpy } from '@equinox-ts/autodiff';
import { type KeyPath, flattenWithPath, leavesWithPath, unflatten } from '@equinox-ts/pytree';
import {
  type Context,
  type DataOf,
  fail,
  messageOf,
  pathText,
  prefetchData,
  shapeText,
  syncData,
} from './checks.js';
import {
  type ByteSink,
  type ByteSource,
  asBytes,
  checkTarget,
  readBytes,
  sourceName,
  writeBytes,
} from './io.js';
import {
  type NpyRecord,
  encodeNpyBoolean,
  encodeNpyNumber,
  encodeNpyRecord,
  readNpyRecord,
} from './npy.js';

/**
 * The leaves of `tree` as the bytes of an Equinox leaf file: {@link treeSerialiseLeaves} without the
 * file. Tensors are read with `dataSync()`.
 *
 * @example
 * ```ts
 * const bytes = serialiseLeaves({ w: numpy.array([1, 2]), step: 3, name: 'skipped' });
 * bytes.length; // 272 (two records: 128 header bytes and 8 data bytes each)
 * Array.from(bytes.subarray(1, 6), (b) => String.fromCharCode(b)).join(''); // 'NUMPY'
 * ```
 */
export function serialiseLeaves(tree: unknown): Uint8Array {
  const context = { op: 'serialiseLeaves' };
  return encodeLeaves(leavesWithPath(tree), syncData(context));
}

/**
 * Loads an Equinox leaf file's bytes into a tree shaped like `like`: {@link treeDeserialiseLeaves}
 * without the file.
 *
 * @example
 * ```ts
 * const bytes = serialiseLeaves({ w: numpy.array([1, 2]), step: 3 });
 * const loaded = deserialiseLeaves(bytes, { w: numpy.zeros([2]), step: 0 });
 * loaded.w.tolist(); // [1, 2]
 * loaded.step; // 3
 * ```
 */
export function deserialiseLeaves<T>(bytes: Uint8Array | ArrayBuffer, like: T): T {
  const context = { op: 'deserialiseLeaves' };
  return decodeLeaves(context, asBytes(context, bytes), like);
}

/**
 * Saves the leaves of `tree` (a model, say) in Equinox's format (`eqx.tree_serialise_leaves`), so a file
 * written by Equinox for a tree of the same structure loads here, and the other way round.
 *
 * - `pathOrSink`: a file path (Node; as in Equinox, `.eqx` is appended to a name without an
 *   extension), or a {@link ByteSink}. A file is written atomically: to a temporary file beside it,
 *   flushed, then renamed over it, so a failed save never leaves a half-written file or harms an
 *   existing one.
 * - `tree`: any pytree. Each leaf in flattening order becomes one NPY record (`np.save`'s format, byte
 *   for byte): tensors as float32 `<f4`, int32 `<i4` or bool `|b1` arrays of their shape; numbers as
 *   0-d float64 arrays (as Equinox saves Python floats; JavaScript numbers are all float64); booleans as
 *   0-d bool arrays. Other leaves are skipped: the structure and static fields come from `like` when
 *   loading. Tensors are read with `await data()`, so every backend works.
 *
 * @example
 * ```ts
 * const model = new Linear(2, 1, { key: random.key(0) });
 * const chunks: Uint8Array[] = [];
 * await treeSerialiseLeaves({ write: (bytes) => void chunks.push(bytes) }, model);
 * // In Node, to a file: await treeSerialiseLeaves('model.eqx', model);
 * const loaded = await treeDeserialiseLeaves(chunks[0]!, new Linear(2, 1, { key: random.key(1) }));
 * loaded.weight.tolist().toString() === model.weight.tolist().toString(); // true
 * ```
 */
export async function treeSerialiseLeaves(
  pathOrSink: string | ByteSink,
  tree: unknown,
): Promise<void> {
  checkTarget('treeSerialiseLeaves', pathOrSink);
  const target = typeof pathOrSink === 'string' ? withEqxSuffix(pathOrSink) : pathOrSink;
  const context = { op: 'treeSerialiseLeaves', source: sourceName(target) };
  const leaves = leavesWithPath(tree);
  await writeBytes(context, target, encodeLeaves(leaves, await prefetchData(context, leaves)));
}

/**
 * Loads leaves saved by {@link treeSerialiseLeaves} or by Equinox's `eqx.tree_serialise_leaves` into
 * a tree of the same structure as `like` (`eqx.tree_deserialise_leaves`).
 *
 * - `pathOrSource`: a file path (Node; `.eqx` appended to a name without an extension, as Equinox
 *   does), or a {@link ByteSource}: bytes, or a Blob such as a `File` in a browser.
 * - `like`: a tree of the saved structure, e.g. a freshly initialised model. Its tensor, number and
 *   boolean leaves are replaced, in flattening order, by the saved records; its other leaves are kept.
 *   Each tensor's record must have the same shape and dtype (a float64 record loads into a float32
 *   tensor and an int64 record into an int32 one, as in JAX without x64; an integer that does not fit
 *   is an error); a number or boolean takes a record of one element.
 *
 * Returns the new tree (a module comes back as an instance of its class). A mismatch, a truncated or
 * corrupt file, or bytes left over after the last leaf give an Error that names the leaf's path and
 * says what was expected and what was found.
 *
 * @example
 * ```ts
 * const bytes = serialiseLeaves([numpy.array([[1, 2]]), true]);
 * const loaded = await treeDeserialiseLeaves(new Blob([bytes]), [numpy.zeros([1, 2]), false]);
 * loaded[0].tolist(); // [[1, 2]]
 * loaded[1]; // true
 * ```
 */
export async function treeDeserialiseLeaves<T>(pathOrSource: ByteSource, like: T): Promise<T> {
  const source = typeof pathOrSource === 'string' ? withEqxSuffix(pathOrSource) : pathOrSource;
  const context = { op: 'treeDeserialiseLeaves', source: sourceName(source) };
  return decodeLeaves(context, await readBytes(context, source), like);
}

/** Equinox appends `.eqx` to a path whose file name has no extension (Python's `Path.suffix` rule). */
function withEqxSuffix(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? path : `${path}.eqx`;
}

function encodeLeaves(
  leaves: readonly (readonly [KeyPath, unknown])[],
  dataOf: DataOf,
): Uint8Array {
  const records: Uint8Array[] = [];
  for (const [path, leaf] of leaves) {
    if (leaf instanceof Tensor) {
      records.push(encodeNpyRecord(leaf.dtype, leaf.shape, dataOf(leaf, path)));
    } else if (typeof leaf === 'number') records.push(encodeNpyNumber(leaf));
    else if (typeof leaf === 'boolean') records.push(encodeNpyBoolean(leaf));
  }
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const record of records) {
    out.set(record, offset);
    offset += record.length;
  }
  return out;
}

/** The record kinds that load into a tensor of each dtype: JAX without x64 narrows 64-bit ones. */
const LOADS_INTO = { float32: ['float32', 'float64'], int32: ['int32', 'int64'], bool: ['bool'] };

function decodeLeaves<T>(context: Context, bytes: Uint8Array, like: T): T {
  const [pairs, def] = flattenWithPath(like);
  let offset = 0;
  let count = 0;
  const leaves = pairs.map(([path, leaf]) => {
    if (!(leaf instanceof Tensor) && typeof leaf !== 'number' && typeof leaf !== 'boolean') {
      return leaf as unknown;
    }
    const at = `record ${count} (the leaf at ${pathText(path)})`;
    const problem: (message: string) => never = (message) => fail(context, `${at}: ${message}`);
    if (offset === bytes.length) {
      problem(`the data ends after ${count} records, but like has more leaves to load`);
    }
    let record: NpyRecord;
    try {
      record = readNpyRecord(bytes, offset);
    } catch (e) {
      return fail(context, `${at}: ${messageOf(e)}`, e);
    }
    offset = record.end;
    count++;
    return loadLeaf(leaf, record, problem);
  });
  if (offset !== bytes.length) {
    fail(
      context,
      `${bytes.length - offset} bytes are left after the ${count} records that like's leaves take: the data holds more leaves than like`,
    );
  }
  return unflatten<T>(def, leaves);
}

function loadLeaf(
  leaf: Tensor | number | boolean,
  record: NpyRecord,
  problem: (message: string) => never,
): unknown {
  const found = `'${record.descr}' (${record.kind.name})`;
  if (leaf instanceof Tensor) {
    if (!LOADS_INTO[leaf.dtype].includes(record.kind.name)) {
      problem(`dtype differs: like has ${leaf.dtype}, the data has ${found}`);
    }
    if (shapeText(leaf.shape) !== shapeText(record.shape)) {
      problem(
        `shape differs: like has ${shapeText(leaf.shape)}, the data has ${shapeText(record.shape)}`,
      );
    }
    const values = record.values(problem);
    return numpy.array(values, { dtype: leaf.dtype, shape: record.shape, backend: leaf.backend });
  }
  if (record.shape.some((n) => n !== 1)) {
    problem(
      `a ${typeof leaf} takes a record of one element, found shape ${shapeText(record.shape)}`,
    );
  }
  const value = record.scalar();
  return typeof leaf === 'number' ? value : value !== 0;
}
