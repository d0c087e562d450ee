/**
 * Where the elements of new CPU arrays come from. Writing into a freshly allocated typed array costs
 * several times more than the arithmetic (the engine zeroes it and the system maps its pages on first
 * touch), so kernels that overwrite every element of their result take it from here, and `release`
 * (called by `jit` for the intermediate values it no longer needs) gives elements back.
 *
 * Inside a scratch scope ({@link scoped}; jit runs each replay in one) results come from blocks of the
 * WebAssembly engine's memory instead, which the WebAssembly kernels read and write in place, without
 * copying in and out. A released array gives its block back at once; when the scope ends, every array
 * still alive (the replay's outputs, and views of them) moves to an ordinary typed array, and every block
 * goes back, so no array outlives the scope in engine memory and nothing waits for the garbage collector.
 */
import { allocData, elementBytes, type DataArray, type DType } from '../dtype.js';
import type { CpuArray } from './array.js';
import { getEngine } from './wasm/engine.js';
import {
  allocate,
  beginImports,
  blockView,
  dropImport,
  endImports,
  forgetView,
  free as freeBlock,
} from './wasm/heap.js';

/** Smaller arrays are cheap to allocate and not worth keeping. */
const MIN_ELEMENTS = 1024;
/** Free arrays kept per dtype and length. */
const PER_SIZE = 4;
/** The most memory kept for reuse in all. */
const MAX_BYTES = 128 * 1024 * 1024;

const free = new Map<string, DataArray[]>();
let freeBytes = 0;

const keyOf = (dtype: DType, size: number): string => `${dtype}:${size}`;

/** Bytes of released arrays' elements kept for reuse (reported by `memory()` as `pooledBytes`). */
export function pooledBytes(): number {
  return freeBytes;
}

/** A typed array for a result whose every element the caller writes: a reused one when available. */
export function uninitialized(dtype: DType, size: number): DataArray {
  if (depth > 0 && size >= MIN_ELEMENTS) {
    const scratch = scratchData(dtype, size);
    if (scratch !== undefined) return scratch;
  }
  const list = size >= MIN_ELEMENTS ? free.get(keyOf(dtype, size)) : undefined;
  const reused = list?.pop();
  if (reused === undefined) return allocData(dtype, size);
  freeBytes -= reused.byteLength;
  // Its elements are about to change: an engine copy made in this scope would be stale.
  const e = depth > 0 ? getEngine() : null;
  if (e !== null) dropImport(e, reused);
  return reused;
}

/**
 * Keeps the elements of a released array for reuse, if nothing else can read them: not a view, not
 * viewed, and owning the whole of its typed array.
 */
export function recycle(x: CpuArray): void {
  const data = x.data;
  const block = blocks.get(data);
  if (block !== undefined) {
    // Views keep the block until the scope ends.
    if (!x.shared) giveBack(block);
    return;
  }
  if (x.shared || x.offset !== 0 || data.length !== x.size || x.size < MIN_ELEMENTS) return;
  if (freeBytes + data.byteLength > MAX_BYTES) return;
  const key = keyOf(x.dtype, x.size);
  let list = free.get(key);
  if (!list) free.set(key, (list = []));
  if (list.length >= PER_SIZE) return;
  list.push(data);
  freeBytes += data.byteLength;
}

// --- scratch scopes -----------------------------------------------------------------------------------

/** A block of engine memory holding an array's elements, and the arrays (views included) reading it. */
interface Block {
  readonly address: number;
  readonly data: DataArray;
  readonly arrays: CpuArray[];
}

let depth = 0;
/** The blocks handed out in the current scope and not given back yet, by their typed array. */
const blocks = new Map<DataArray, Block>();

let scratchEnabled = true;

/**
 * Turns the placing of new arrays in engine memory inside scopes on or off (on by default; tests turn
 * it off to cover the ordinary-array path of a scope, as on a platform without shared memory); returns
 * the previous setting.
 */
export function setScratchEnabled(enabled: boolean): boolean {
  const previous = scratchEnabled;
  scratchEnabled = enabled;
  return previous;
}

/** A typed array over a new block, or undefined where scratch memory is unavailable or full. */
function scratchData(dtype: DType, size: number): DataArray | undefined {
  const e = getEngine();
  // Only a shared memory keeps existing views valid when it grows.
  if (!scratchEnabled || e === null || !e.shared) return undefined;
  const address = allocate(e, size * elementBytes(dtype));
  if (address === 0) return undefined;
  const data = blockView(e, dtype, address, size);
  blocks.set(data, { address, data, arrays: [] });
  return data;
}

function giveBack(block: Block): void {
  blocks.delete(block.data);
  forgetView(block.data);
  freeBlock(getEngine()!, block.address);
}

/** Called for every new CpuArray: inside a scope, one reading a block is noted on it. */
export function adopt(x: CpuArray): void {
  if (depth === 0) return;
  blocks.get(x.data)?.arrays.push(x);
}

/**
 * Runs `fn` in a scratch scope (see the top of this file) and returns its result. Scopes nest; the
 * outermost one ends the scratch, also when `fn` throws.
 */
export function scoped<T>(fn: () => T): T {
  if (depth++ === 0) beginImports();
  try {
    return fn();
  } finally {
    if (--depth === 0) endScope();
  }
}

/** Moves the arrays still alive out of engine memory, and gives every block back. */
function endScope(): void {
  const e = getEngine();
  if (e !== null) endImports(e);
  for (const block of [...blocks.values()]) {
    const live = block.arrays.filter((x) => !x.released);
    if (live.length > 0) {
      const copy = uninitialized(live[0]!.dtype, block.data.length);
      copy.set(block.data);
      for (const x of live) x.data = copy;
      // The copy is read by several arrays: none may give it back for reuse alone.
      if (live.length > 1) for (const x of live) x.shared = true;
    }
    giveBack(block);
  }
}

/** Blocks of the current scope not given back yet (for tests). */
export function scratchBlocks(): number {
  return blocks.size;
}
