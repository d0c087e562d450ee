/**
 * Reuse of the memory of released arrays. Writing into a freshly allocated typed array costs several
 * times more than the arithmetic (the engine zeroes it and the system maps its pages on first touch),
 * so kernels that overwrite every element of their result take it from here, and `release` (called by
 * `jit` for the intermediate values it no longer needs) gives elements back.
 */
import { allocData, type DataArray, type DType } from '../dtype.js';
import type { CpuArray } from './array.js';

/** Smaller arrays are cheap to allocate and not worth keeping. */
const MIN_ELEMENTS = 1024;
/** Free arrays kept per dtype and length. */
const PER_SIZE = 4;
/** The most memory kept for reuse in all. */
const MAX_BYTES = 128 * 1024 * 1024;

const free = new Map<string, DataArray[]>();
let freeBytes = 0;

const keyOf = (dtype: DType, size: number): string => `${dtype}:${size}`;

/** A typed array for a result whose every element the caller writes: a reused one when available. */
export function uninitialized(dtype: DType, size: number): DataArray {
  const list = size >= MIN_ELEMENTS ? free.get(keyOf(dtype, size)) : undefined;
  const reused = list?.pop();
  if (reused === undefined) return allocData(dtype, size);
  freeBytes -= reused.byteLength;
  return reused;
}

/**
 * Keeps the elements of a released array for reuse, if nothing else can read them: not a view, not
 * viewed, and owning the whole of its typed array.
 */
export function recycle(x: CpuArray): void {
  const data = x.data;
  if (x.shared || x.offset !== 0 || data.length !== x.size || x.size < MIN_ELEMENTS) return;
  if (freeBytes + data.byteLength > MAX_BYTES) return;
  const key = keyOf(x.dtype, x.size);
  let list = free.get(key);
  if (!list) free.set(key, (list = []));
  if (list.length >= PER_SIZE) return;
  list.push(data);
  freeBytes += data.byteLength;
}
