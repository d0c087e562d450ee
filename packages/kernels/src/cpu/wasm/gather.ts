/** Placing a B operand in the engine's memory and writing its pack tasks, for stored or gathered B. */
import type { GatheredMatrix } from './call.js';
import { FN_GATHER_IMAGE, FN_PACK_B } from './kernel.js';
import { GATHER_WORDS } from './pack-gather.js';

const align = (bytes: number) => (bytes + 63) & ~63;

/** The arguments of the pack task for columns `[j, j + cols)` of item `t` into panels at `dst`. */
export type PackRecord = (t: number, j: number, cols: number, dst: number) => number[];

/** How B goes into the engine's memory for one batch group; see {@link planOperand} in job.ts. */
export interface BPlan {
  bytes: number;
  /** Items placed: 1 when B is broadcast. */
  items: number;
  /** Columns per pack task, when B fixes them (else the engine's tuning does). */
  columnsPerTask?: number;
  /**
   * True when an item's pack task (columns 0 to n) may also multiply the item: its record's arguments
   * are then followed by `pa, c, m, beta` and run by `gatherBlock`.
   */
  fusable?: boolean;
  /** Places B at byte address `addr` and returns how to pack it. */
  write(f32: Float32Array, i32: Int32Array, addr: number): PackRecord;
}

/** The placement of a stored B, as job.ts plans operands. */
export interface StoredPlan {
  bytes: number;
  items: number;
  write(
    f32: Float32Array,
    addr: number,
  ): { addr: number; itemStride: number; rowStride: number; colStride: number };
}

/** A {@link BPlan} for a stored B, packed by `packB` from its placed copy. */
export function storedB(plan: StoredPlan, k: number): BPlan {
  return {
    bytes: plan.bytes,
    items: plan.items,
    write(f32, _i32, addr) {
      const B = plan.write(f32, addr);
      return (t, j, cols, dst) => [
        FN_PACK_B,
        B.addr + t * B.itemStride + j * B.colStride,
        B.colStride,
        B.rowStride,
        cols,
        k,
        dst,
      ];
    },
  };
}

/**
 * Bytes of one item of a gathered B in the engine: the image as given (packed back to back, so that
 * contiguous images copy in one go) and its padded copy (aligned for vector stores).
 */
export function gatheredItemBytes(b: GatheredMatrix): { raw: number; copy: number } {
  const [channels, depth, height, width] = b.source.shape;
  const [pd, ph, pw] = b.source.padded;
  return { raw: channels * depth * height * width * 4, copy: align(channels * pd * ph * pw * 4) };
}

/**
 * A {@link BPlan} for a gathered B of items `t0 .. t0 + count`: the column table (padded to whole
 * panels of `nr`), the row table, the descriptor of `gatherImage`, the images as given, then room for
 * their padded copies; one `gatherImage` task per item pads and packs it.
 */
export function gatheredB(b: GatheredMatrix, t0: number, count: number, nr: number): BPlan {
  const k = b.rowOffsets.length;
  const n = b.colOffsets.length;
  const { data, offset, itemStride, shape, padded, before } = b.source;
  const [channels, depth, height, width] = shape;
  const [pd, ph, pw] = padded;
  const image = channels * depth * height * width;
  const colWords = Math.ceil(n / nr) * nr;
  const tables = align((colWords + k + GATHER_WORDS) * 4);
  const { raw, copy } = gatheredItemBytes(b);
  return {
    bytes: tables + align(count * raw) + count * copy,
    items: count,
    columnsPerTask: n,
    fusable: true,
    write(f32, i32, addr) {
      const cols = addr >> 2;
      i32.set(b.colOffsets, cols);
      // Padding columns read column 0 again; their products land outside C and are dropped.
      i32.fill(b.colOffsets[0]!, cols + n, cols + colWords);
      i32.set(b.rowOffsets, cols + colWords);
      const desc = addr + (colWords + k) * 4;
      const inside = ((before[0] * ph + before[1]) * pw + before[2]) * 4;
      const plane = pd * ph * pw * 4;
      const words = [width, height, pw * 4, depth, ph * pw * 4, channels, plane, inside, copy];
      i32.set([...words, addr, addr + colWords * 4, colWords / nr, k, n], desc >> 2);
      const raws = addr + tables;
      const copies = raws + align(count * raw);
      const start = offset + t0 * itemStride;
      if (itemStride === image) f32.set(data.subarray(start, start + count * image), raws >> 2);
      else {
        for (let t = 0; t < count; t++) {
          const s = start + t * itemStride;
          f32.set(data.subarray(s, s + image), (raws + t * raw) >> 2);
        }
      }
      return (t, _j, _cols, dst) => [FN_GATHER_IMAGE, raws + t * raw, copies + t * copy, desc, dst];
    },
  };
}
