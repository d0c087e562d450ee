/**
 * Writing safetensors files (Hugging Face's format, used by PyTorch checkpoints): named tensors behind
 * a JSON header, laid out byte for byte as the safetensors library lays them out.
 */
import { Tensor } from '@equinox-ts/autodiff';
import type { DType } from '@equinox-ts/kernels';
import { type KeyPath, leavesWithPath } from '@equinox-ts/pytree';
import { type Context, type DataOf, fail, pathText, prefetchData, syncData } from './checks.js';
import { writeElements } from './elements.js';
import { type ByteSink, checkTarget, sourceName, writeBytes } from './io.js';
import { safetensorsName } from './safetensors-header.js';
import { utf8Encode } from './text.js';

/**
 * Options of {@link encodeSafetensors} and {@link saveSafetensors}.
 *
 * @example
 * ```ts
 * const options: SaveSafetensorsOptions = { metadata: { format: 'pt' } };
 * decodeSafetensorsHeader(encodeSafetensors({}, options)).metadata.format; // 'pt'
 * ```
 */
export interface SaveSafetensorsOptions {
  /** Free-form strings stored as the header's `__metadata__` (PyTorch writes `{ format: 'pt' }`). */
  metadata?: Record<string, string>;
}

/** The format's name for each dtype, in the safetensors library's order (larger elements first). */
const NAME_OF_DTYPE: Record<DType, string> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };
const RANK: Record<DType, number> = { float32: 2, int32: 1, bool: 0 };

/**
 * The bytes of a safetensors file holding the tensor leaves of `tree`: {@link saveSafetensors}
 * without the file. Tensors are read with `dataSync()`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ bias: numpy.zeros([2]) });
 * bytes.length; // 80
 * Object.keys(decodeSafetensors(bytes)); // ['bias']
 * ```
 */
export function encodeSafetensors(tree: unknown, options: SaveSafetensorsOptions = {}): Uint8Array {
  const context = { op: 'encodeSafetensors' };
  return encodeTensors(context, leavesWithPath(tree), syncData(context), options);
}

/**
 * Saves the tensor leaves of `tree` as a safetensors file.
 *
 * - `pathOrSink`: a file path (Node), written atomically (a temporary file beside it, flushed, then
 *   renamed over it: a failed save never leaves a half-written file), or a {@link ByteSink}.
 * - `tree`: any pytree, e.g. a model. Each tensor is stored under its key path joined by dots
 *   (`layers.0.weight`; dict keys, field names and array indices as they are). Leaves that are not
 *   tensors (numbers, functions, strings) are not saved. Two paths with the same name are an error.
 * - `options.metadata`: strings stored as `__metadata__`.
 *
 * The file is laid out as the safetensors library lays it out (larger elements first, then by name;
 * header padded to 8 bytes), so PyTorch, JAX or Rust load it as they load their own.
 *
 * @example
 * ```ts
 * const mlp = new MLP(2, 1, 3, 1, { key: random.key(0) });
 * const chunks: Uint8Array[] = [];
 * await saveSafetensors({ write: (bytes) => void chunks.push(bytes) }, mlp);
 * // In Node, to a file: await saveSafetensors('model.safetensors', mlp);
 * Object.keys(decodeSafetensorsHeader(chunks[0]!).tensors); // ['layers.0.bias', 'layers.0.weight', 'layers.1.bias', 'layers.1.weight']
 * ```
 */
export async function saveSafetensors(
  pathOrSink: string | ByteSink,
  tree: unknown,
  options: SaveSafetensorsOptions = {},
): Promise<void> {
  checkTarget('saveSafetensors', pathOrSink);
  const context = { op: 'saveSafetensors', source: sourceName(pathOrSink) };
  const leaves = leavesWithPath(tree);
  const bytes = encodeTensors(context, leaves, await prefetchData(context, leaves), options);
  await writeBytes(context, pathOrSink, bytes);
}

function encodeTensors(
  context: Context,
  leaves: readonly (readonly [KeyPath, unknown])[],
  dataOf: DataOf,
  options: SaveSafetensorsOptions,
): Uint8Array {
  const metadata = options.metadata;
  if (metadata !== undefined) checkMetadata(context, metadata);
  const pathOfName = new Map<string, KeyPath>();
  const tensors: { name: string; tensor: Tensor; path: KeyPath }[] = [];
  for (const [path, leaf] of leaves) {
    if (!(leaf instanceof Tensor)) continue;
    const name = safetensorsName(path);
    const clash = pathOfName.get(name);
    const taken =
      name === '__metadata__'
        ? 'the name the format reserves for metadata'
        : clash && `also the name of the tensor at ${pathText(clash)}`;
    if (taken)
      fail(
        context,
        `the tensor at ${pathText(path)} would be named ${JSON.stringify(name)}, ${taken}`,
      );
    pathOfName.set(name, path);
    tensors.push({ name, tensor: leaf, path });
  }
  tensors.sort(
    (a, b) =>
      RANK[b.tensor.dtype] - RANK[a.tensor.dtype] ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const parts = metadata === undefined ? [] : [`"__metadata__":${JSON.stringify(metadata)}`];
  let dataLength = 0;
  const offsets = tensors.map(({ name, tensor }) => {
    const begin = dataLength;
    dataLength += tensor.size * (tensor.dtype === 'bool' ? 1 : 4);
    const entry = {
      dtype: NAME_OF_DTYPE[tensor.dtype],
      shape: tensor.shape,
      data_offsets: [begin, dataLength],
    };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    return begin;
  });
  const json = utf8Encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // padded with spaces, as the library pads
  tensors.forEach(({ tensor, path }, i) => {
    writeElements(out, 8 + headerLength + offsets[i]!, dataOf(tensor, path), tensor.dtype);
  });
  return out;
}

function checkMetadata(context: Context, metadata: unknown): void {
  const valid =
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    Object.values(metadata).every((v) => typeof v === 'string');
  if (!valid) throw new TypeError(`${context.op}: options.metadata must be an object of strings`);
}
