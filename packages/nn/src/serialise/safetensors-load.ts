/**
 * Reading safetensors files: the tensors by name, or loaded into a tree like a given one, every byte
 * checked first. The format holds no code, so loading an untrusted file is safe.
 */
import { Tensor, numpy } from '@equinox-ts/autodiff';
import { flattenWithPath, unflatten } from '@equinox-ts/pytree';
import { type Context, fail, shapeText } from './checks.js';
import { decodeElements } from './elements.js';
import { type ByteSource, asBytes, readBytes, sourceName } from './io.js';
import {
  DTYPES,
  type ParsedHeader,
  parseSafetensorsHeader,
  safetensorsName,
} from './safetensors-header.js';

/**
 * Options of {@link decodeSafetensors} and {@link loadSafetensors} with a `like` tree.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ w: numpy.ones([2]), extra: numpy.ones([1]) });
 * const options: LoadSafetensorsOptions = { strict: false };
 * decodeSafetensors(bytes, { w: numpy.zeros([2]) }, options).w.tolist(); // [1, 1]
 * ```
 */
export interface LoadSafetensorsOptions {
  /** Whether tensors in the file that `like` has no place for are an error. Default `true`. */
  strict?: boolean;
}

/**
 * Reads the tensors of a safetensors file's bytes: {@link loadSafetensors} without the file.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ layer: { w: numpy.array([1, 2]) } });
 * decodeSafetensors(bytes)['layer.w']!.tolist(); // [1, 2]
 * decodeSafetensors(bytes, { layer: { w: numpy.zeros([2]) } }).layer.w.tolist(); // [1, 2]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor>;
export function decodeSafetensors<T>(
  bytes: Uint8Array | ArrayBuffer,
  like: T,
  options?: LoadSafetensorsOptions,
): T;
export function decodeSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  ...rest: [like?: unknown, options?: LoadSafetensorsOptions]
): unknown {
  const context = { op: 'decodeSafetensors' };
  return decodeTensors(context, asBytes(context, bytes), rest);
}

/**
 * Loads a safetensors file (from PyTorch, Hugging Face, JAX, or {@link saveSafetensors}).
 *
 * - `pathOrSource`: a file path (Node), or a {@link ByteSource}: bytes, or a Blob such as a `File`.
 * - `like` (optional): a tree to load into, e.g. a freshly initialised model. Every tensor leaf of
 *   `like` must be in the file under its dotted key path, with the same shape and dtype after loading
 *   (F16, BF16 and F64 load as float32; I8 to I64 and U8 to U64 as int32, an error for a value that
 *   does not fit; BOOL as bool). Tensors in the file that `like` has no place for are an error unless
 *   `options.strict` is `false`. Returns a tree like `like`, with its other leaves kept.
 * - Without `like`: returns every tensor by name, `{ 'layers.0.weight': Tensor, ... }`.
 *
 * Everything read is checked before use: the header length (at most 100 MB, within the file), its
 * JSON, each entry's dtype, shape and byte range, and that the ranges tile the data without overlaps or
 * holes. A corrupt or truncated file is an Error naming the file and the problem.
 *
 * @example
 * ```ts
 * const blob = new Blob([encodeSafetensors({ weight: numpy.array([[1, 2]]) })]);
 * (await loadSafetensors(blob)).weight!.tolist(); // [[1, 2]]
 * // In Node: const model = await loadSafetensors('model.safetensors', freshModel);
 * ```
 */
export function loadSafetensors(pathOrSource: ByteSource): Promise<Record<string, Tensor>>;
export function loadSafetensors<T>(
  pathOrSource: ByteSource,
  like: T,
  options?: LoadSafetensorsOptions,
): Promise<T>;
export async function loadSafetensors(
  pathOrSource: ByteSource,
  ...rest: [like?: unknown, options?: LoadSafetensorsOptions]
): Promise<unknown> {
  const context = { op: 'loadSafetensors', source: sourceName(pathOrSource) };
  return decodeTensors(context, await readBytes(context, pathOrSource), rest);
}

function decodeTensors(
  context: Context,
  bytes: Uint8Array,
  [like, options = {}]: [like?: unknown, options?: LoadSafetensorsOptions],
): unknown {
  const header = parseSafetensorsHeader(context, bytes);
  const names = Object.keys(header.tensors).sort();
  if (like === undefined) {
    return Object.fromEntries(
      names.map((name) => [name, readTensor(context, header, bytes, name)]),
    );
  }
  const [pairs, def] = flattenWithPath(like);
  const wanted = pairs.flatMap(([path, leaf]) =>
    leaf instanceof Tensor ? [{ path, leaf, name: safetensorsName(path) }] : [],
  );
  const missing = wanted.filter(({ name }) => header.tensors[name] === undefined);
  const used = new Set(wanted.map(({ name }) => name));
  const extra = names.filter((name) => !used.has(name));
  const list = (items: readonly string[]) => items.map((n) => JSON.stringify(n)).join(', ');
  if (missing.length > 0) {
    const described = missing.map(
      ({ name, leaf }) => `${JSON.stringify(name)} (${leaf.dtype} ${shapeText(leaf.shape)})`,
    );
    const also = extra.length > 0 ? `; the file has these instead: ${list(extra)}` : '';
    fail(context, `tensors of like missing from the file: ${described.join(', ')}${also}`);
  }
  if (extra.length > 0 && options.strict !== false) {
    fail(
      context,
      `the file has tensors that like has no place for: ${list(extra)} (pass { strict: false } to ignore them)`,
    );
  }
  return unflatten(
    def,
    pairs.map(([path, leaf]): unknown =>
      leaf instanceof Tensor
        ? readTensor(context, header, bytes, safetensorsName(path), leaf)
        : leaf,
    ),
  );
}

/** The tensor `name` of the file, checked against the `like` tensor where there is one. */
function readTensor(
  context: Context,
  header: ParsedHeader,
  bytes: Uint8Array,
  name: string,
  like?: Tensor,
): Tensor {
  const { dtype, shape, dataOffsets } = header.tensors[name]!;
  const problem: (message: string) => never = (message) =>
    fail(context, `tensor ${JSON.stringify(name)}: ${message}`);
  const kind = DTYPES[dtype]!.kind;
  if (kind === undefined)
    problem(`dtype ${dtype} cannot be loaded (no float32, int32 or bool equivalent)`);
  if (like !== undefined && like.dtype !== kind.dtype) {
    problem(
      `dtype differs: like has ${like.dtype}, the file has ${dtype} (loads as ${kind.dtype})`,
    );
  }
  if (like !== undefined && shapeText(like.shape) !== shapeText(shape)) {
    problem(`shape differs: like has ${shapeText(like.shape)}, the file has ${shapeText(shape)}`);
  }
  const start = header.dataStart + dataOffsets[0];
  const values = decodeElements(
    bytes.subarray(start, header.dataStart + dataOffsets[1]),
    kind,
    true,
    problem,
  );
  return numpy.array(values, { dtype: kind.dtype, shape, backend: like?.backend });
}
