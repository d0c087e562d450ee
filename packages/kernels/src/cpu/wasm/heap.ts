/**
 * The engine's memory from HEAP_BASE on, handed out in blocks: the job area of each GEMM and SIMD kernel
 * (taken and given back within the call) and, inside a scratch scope (scratch.ts), the elements of
 * arrays. Block sizes are rounded up to one of eight steps per power of two (at most 12.5% waste),
 * from 4 KiB, always 16 bytes more than asked, since SIMD kernels may touch up to 12 bytes past the end
 * of a row. Given-back blocks wait, per size, for the next request of that size; when none is free the
 * memory grows, and it never shrinks.
 */
import { dtypeOfData, type DataArray, type DType } from '../../dtype.js';
import { type Engine } from './engine.js';
import { HEAP_BASE, MAXIMUM_PAGES } from './layout.js';

const MIN_BLOCK = 4096;
const PAGE = 65536;

interface Heap {
  /** End of the blocks handed out so far. */
  top: number;
  /** Free block addresses per block size. */
  readonly free: Map<number, number[]>;
  /** Size of every block handed out and not given back, by address. */
  readonly live: Map<number, number>;
}

const heaps = new WeakMap<Engine, Heap>();

function heapOf(e: Engine): Heap {
  let heap = heaps.get(e);
  if (heap === undefined) {
    heap = { top: HEAP_BASE, free: new Map(), live: new Map() };
    heaps.set(e, heap);
  }
  return heap;
}

/** The block size for a request of `bytes`: a multiple of 16 and of an eighth of its power of two. */
export function blockSize(bytes: number): number {
  const wanted = Math.max(MIN_BLOCK, bytes + 16);
  const step = Math.max(16, 2 ** Math.floor(Math.log2(wanted)) / 8);
  return Math.ceil(wanted / step) * step;
}

/** Grows the memory to hold `end` bytes and refreshes the engine's views; false past the maximum. */
function growTo(e: Engine, end: number): boolean {
  const have = e.memory.buffer.byteLength;
  if (end > have) {
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAXIMUM_PAGES) return false;
    try {
      e.memory.grow(pages);
    } catch {
      return false;
    }
  }
  // A grown memory has a new buffer; a shared one keeps the old one too, with its old length.
  if (e.f32.buffer !== e.memory.buffer || e.f32.length * 4 !== e.memory.buffer.byteLength) {
    e.f32 = new Float32Array(e.memory.buffer);
    e.i32 = new Int32Array(e.memory.buffer);
  }
  return true;
}

/**
 * The address of a new block of at least `bytes` bytes (16-byte aligned, 16 spare bytes after them), or
 * 0 when the memory cannot grow that far. Growth replaces `e.f32` and `e.i32` (read them afterwards);
 * views of a shared memory made earlier stay valid, those of an unshared one do not.
 */
export function allocate(e: Engine, bytes: number): number {
  const heap = heapOf(e);
  const size = blockSize(bytes);
  const address = heap.free.get(size)?.pop() ?? heap.top;
  if (address === heap.top) {
    if (!growTo(e, heap.top + size)) return 0;
    heap.top += size;
  }
  heap.live.set(address, size);
  return address;
}

/** Gives back the block at `address` (from {@link allocate}); its memory goes to later requests. */
export function free(e: Engine, address: number): void {
  const heap = heapOf(e);
  const size = heap.live.get(address);
  if (size === undefined) throw new Error(`heap: no live block at ${address}`);
  heap.live.delete(address);
  let list = heap.free.get(size);
  if (list === undefined) heap.free.set(size, (list = []));
  list.push(address);
}

/** Blocks handed out and not given back, and the bytes they hold: for tests that check nothing leaks. */
export function heapStats(e: Engine): { liveBlocks: number; liveBytes: number; top: number } {
  const heap = heapOf(e);
  let liveBytes = 0;
  for (const size of heap.live.values()) liveBytes += size;
  return { liveBlocks: heap.live.size, liveBytes, top: heap.top };
}

/** Typed arrays that are views of heap blocks (made by {@link blockView}), by their block's address. */
const views = new WeakMap<object, number>();

/**
 * A typed array of `length` elements of `dtype` over the block at `address`, recognised by
 * {@link viewAddress} so kernels can read and write it in place. Only for a shared memory, whose growth
 * leaves views valid.
 */
export function blockView(e: Engine, dtype: DType, address: number, length: number): DataArray {
  const view = typedView(e, dtype, address, length);
  views.set(view, address);
  return view;
}

/** A typed array of `length` elements of `dtype` at byte `address` of the engine's memory. */
function typedView(e: Engine, dtype: DType, address: number, length: number): DataArray {
  const buffer = e.memory.buffer;
  if (dtype === 'float32') return new Float32Array(buffer, address, length);
  if (dtype === 'int32') return new Int32Array(buffer, address, length);
  return new Uint8Array(buffer, address, length);
}

/** The block address of a view made by {@link blockView}, or undefined for any other array. */
export function viewAddress(data: object): number | undefined {
  return views.get(data);
}

/** Forgets a view (its block is being given back). */
export function forgetView(data: object): void {
  views.delete(data);
}

/**
 * Engine copies of ordinary arrays that kernels read, made on first use and kept until the scratch scope
 * ends (buffers.ts starts and ends them): a replay reads the same parameters in several products and in
 * their update, and this copies them in once. Arrays are never written after the kernel that made them
 * returns, so a copy stays valid for the whole scope.
 */
let imports: Map<object, number> | undefined;

/** Starts keeping imports (at the start of a scratch scope). */
export function beginImports(): void {
  imports = new Map();
}

/** Gives back every import's block (at the end of a scratch scope). */
export function endImports(e: Engine): void {
  if (imports !== undefined) for (const address of imports.values()) free(e, address);
  imports = undefined;
}

/**
 * Forgets the import of `data`, if any, and gives its block back: called when `data` is about to be
 * rewritten (a released array's elements reused for a new result), so no kernel reads a stale copy.
 */
export function dropImport(e: Engine, data: DataArray): void {
  const address = imports?.get(data);
  if (address === undefined) return;
  imports!.delete(data);
  free(e, address);
}

/**
 * The byte address of `data[0]` in engine memory: where its block is if `data` is a block view, else,
 * inside a scratch scope, a copy of it made on first use; undefined outside scopes or when the memory is
 * full. May grow the memory (read `e.f32` afterwards).
 */
export function engineAddress(e: Engine, data: DataArray): number | undefined {
  if (views.has(data)) return data.byteOffset;
  if (imports === undefined) return undefined;
  let address = imports.get(data);
  if (address === undefined) {
    address = allocate(e, data.byteLength);
    if (address === 0) return undefined;
    typedView(e, dtypeOfData(data)!, address, data.length).set(data);
    imports.set(data, address);
  }
  return address;
}
