/**
 * Where saved bytes go and where loaded bytes come from: file paths in Node (written atomically), and
 * sinks, byte arrays and Blobs anywhere. Node's modules are imported on first use, by a name held in a
 * variable, so browser bundles never pull them in.
 */
import { type Context, fail, messageOf } from './checks.js';

/**
 * Where {@link treeSerialiseLeaves} and {@link saveSafetensors} write when not given a file path: any
 * object with a `write` method, called once with all the bytes (and awaited).
 *
 * @example
 * ```ts
 * const chunks: Uint8Array[] = [];
 * const sink: ByteSink = { write: (bytes) => void chunks.push(bytes) };
 * await saveSafetensors(sink, { w: numpy.ones([2]) });
 * chunks.length; // 1
 * ```
 */
export interface ByteSink {
  write(bytes: Uint8Array): void | Promise<void>;
}

/**
 * The part of a `Blob` (or `File`) the loaders use, so a file picked in a browser loads directly.
 *
 * @example
 * ```ts
 * const blob: BlobLike = new Blob([encodeSafetensors({ w: numpy.ones([2]) })]);
 * (await loadSafetensors(blob)).w.tolist(); // [1, 1]
 * ```
 */
export interface BlobLike {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * What the loaders read from: a file path (Node), bytes, or a Blob (browsers: a `File` from an input or
 * a drop, or `await response.blob()`).
 *
 * @example
 * ```ts
 * const source: ByteSource = encodeSafetensors({ w: numpy.zeros([1]) });
 * Object.keys(await loadSafetensors(source)); // ['w']
 * ```
 */
export type ByteSource = string | Uint8Array | ArrayBuffer | BlobLike;

/** The parts of `node:fs/promises` used here. */
interface NodeFs {
  open(path: string, flags: string): Promise<NodeFileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

interface NodeFileHandle {
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** `node:fs/promises`, or a clear error where there is no Node. */
async function nodeFs(context: Context): Promise<NodeFs> {
  const name = 'node:fs/promises';
  try {
    // For bundlers (Vite, webpack): a Node-only import, to leave alone without a warning.
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as NodeFs;
  } catch (e) {
    return fail(
      context,
      'file paths need Node; elsewhere pass a Uint8Array, an ArrayBuffer or a Blob (load) or a sink (save)',
      e,
    );
  }
}

function isBlobLike(value: unknown): value is BlobLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BlobLike).arrayBuffer === 'function' &&
    typeof (value as BlobLike).size === 'number'
  );
}

/** How messages name a source: the quoted path, or the kind of object. */
export function sourceName(source: unknown): string | undefined {
  if (typeof source === 'string') return JSON.stringify(source);
  if (isBlobLike(source)) return 'the Blob';
  return undefined;
}

/** The bytes of `source`; a path is read with Node's `fs`. */
export async function readBytes(context: Context, source: ByteSource): Promise<Uint8Array> {
  if (typeof source === 'string') {
    const fs = await nodeFs(context);
    try {
      return await fs.readFile(source);
    } catch (e) {
      return fail(context, `cannot read the file: ${messageOf(e)}`, e);
    }
  }
  if (isBlobLike(source)) return new Uint8Array(await source.arrayBuffer());
  if (isBytes(source)) return asBytes(context, source);
  throw new TypeError(
    `${context.op}: expected a file path, a Uint8Array, an ArrayBuffer or a Blob to read from, found ${describe(source)}`,
  );
}

// By tag rather than instanceof, so arrays from another realm (a worker, Node's Buffer under jest) pass.
const tag = (value: unknown): string => Object.prototype.toString.call(value);

function isBytes(value: unknown): value is Uint8Array | ArrayBuffer {
  return tag(value) === '[object Uint8Array]' || tag(value) === '[object ArrayBuffer]';
}

/** `bytes` as a Uint8Array (an ArrayBuffer is viewed, not copied); a TypeError for anything else. */
export function asBytes(context: Context, bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (tag(bytes) === '[object Uint8Array]') return bytes as Uint8Array;
  if (tag(bytes) === '[object ArrayBuffer]') return new Uint8Array(bytes as ArrayBuffer);
  throw new TypeError(
    `${context.op}: expected a Uint8Array or an ArrayBuffer, found ${describe(bytes)}`,
  );
}

/**
 * Writes `bytes` to a sink, or to a file path atomically: into a new file beside the target, flushed to
 * disk, then renamed over the target. A failure at any step leaves the target as it was (or absent) and
 * removes the temporary file.
 */
export async function writeBytes(
  context: Context,
  target: string | ByteSink,
  bytes: Uint8Array,
): Promise<void> {
  if (typeof target === 'string') return writeFileAtomically(context, target, bytes);
  try {
    await target.write(bytes);
  } catch (e) {
    fail(context, `the sink's write failed: ${messageOf(e)}`, e);
  }
}

/** Throws a TypeError unless `target` is a path or a sink, before any work is done. */
export function checkTarget(op: string, target: unknown): void {
  const isSink =
    typeof target === 'object' &&
    target !== null &&
    typeof (target as ByteSink).write === 'function';
  if (typeof target !== 'string' && !isSink) {
    throw new TypeError(
      `${op}: expected a file path or a sink with a write(bytes) method, found ${describe(target)}`,
    );
  }
}

async function writeFileAtomically(
  context: Context,
  path: string,
  bytes: Uint8Array,
): Promise<void> {
  const fs = await nodeFs(context);
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const directory = path.slice(0, slash + 1);
  const temporary = `${directory}.${path.slice(slash + 1)}.${randomSuffix()}.tmp`;
  let handle: NodeFileHandle | undefined;
  try {
    handle = await fs.open(temporary, 'wx'); // 'x': never reuse an existing file
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temporary, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    return fail(context, `cannot write the file: ${messageOf(e)}`, e);
  }
  await syncDirectory(fs, directory === '' ? '.' : directory);
}

/** Makes the rename itself durable where the platform allows opening a directory (not on Windows). */
async function syncDirectory(fs: NodeFs, directory: string): Promise<void> {
  try {
    const handle = await fs.open(directory, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // The data is written and renamed; only the directory entry's flush was not possible.
  }
}

function randomSuffix(): string {
  return Math.floor(Math.random() * 2 ** 48)
    .toString(36)
    .padStart(10, '0');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}
