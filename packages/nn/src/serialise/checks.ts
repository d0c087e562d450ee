/** What every reader and writer of this folder shares: the context errors name, and shape helpers. */
import { Tensor } from '@equinox-ts/autodiff';
import type { DataArray } from '@equinox-ts/kernels';
import { type KeyPath, keystr } from '@equinox-ts/pytree';

/** Where an error happened: the function the user called and, when known, the file or argument. */
export interface Context {
  readonly op: string;
  /** E.g. `'model.eqx'` or `the Blob`; absent for bytes passed in directly. */
  readonly source?: string;
}

/** Throws an Error whose message names the operation and the source, then says what is wrong. */
export function fail(context: Context, message: string, cause?: unknown): never {
  const source = context.source === undefined ? '' : `${context.source}: `;
  throw new Error(
    `${context.op}: ${source}${message}`,
    cause === undefined ? undefined : { cause },
  );
}

/** `[2, 3]`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A leaf's path for messages: `.layers[0].weight`, or `the root`. */
export function pathText(path: KeyPath): string {
  return path.length === 0 ? 'the root' : keystr(path);
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The number of elements of `shape` times `itemSize`, or undefined once it passes `limit` (at most
 * 2**53, where numbers stop being exact). Callers compare it with the bytes they really hold, so a
 * forged shape never leads to a huge allocation.
 */
export function byteSize(
  shape: readonly number[],
  itemSize: number,
  limit: number,
): number | undefined {
  if (shape.includes(0)) return 0;
  let bytes = itemSize;
  for (const n of shape) {
    if (bytes > limit) return undefined;
    bytes *= n;
  }
  return bytes > limit ? undefined : bytes;
}

/** Reads a tensor's elements; a tensor that cannot be read (a leaked tracer, say) is named by its path. */
export type DataOf = (tensor: Tensor, path: KeyPath) => DataArray;

/** {@link DataOf} by `dataSync()`. */
export function syncData(context: Context): DataOf {
  return (tensor, path) => {
    try {
      return tensor.dataSync();
    } catch (e) {
      return fail(context, `cannot read the tensor at ${pathText(path)}: ${messageOf(e)}`, e);
    }
  };
}

/**
 * {@link DataOf} for the tensors among `leaves`, all read first with `await data()` (so backends
 * that only read asynchronously, WebGPU in a browser, work too).
 */
export async function prefetchData(
  context: Context,
  leaves: readonly (readonly [KeyPath, unknown])[],
): Promise<DataOf> {
  const read = await Promise.all(
    leaves.map(async ([path, leaf]) => {
      if (!(leaf instanceof Tensor)) return undefined;
      try {
        return await leaf.data();
      } catch (e) {
        return fail(context, `cannot read the tensor at ${pathText(path)}: ${messageOf(e)}`, e);
      }
    }),
  );
  const byTensor = new Map<Tensor, DataArray>();
  leaves.forEach(([, leaf], i) => {
    if (leaf instanceof Tensor) byTensor.set(leaf, read[i]!);
  });
  return (tensor) => byTensor.get(tensor)!;
}
