/**
 * Where things live in the engine's WebAssembly memory, shared by the calling thread and the workers.
 *
 * ```
 * 0          control words (Int32), see CTL_*, then one task counter per thread (CTL_TASKS)
 * 2 KiB      one scratch tile per thread (edge tiles of the microkernel)
 * 64 KiB     task records: RECORD_WORDS int32 each
 * HEAP_BASE  operands, packed panels and results of the current job (grows)
 * ```
 */

/** Int32 index of the job generation; workers sleep on it with `Atomics.wait`. */
export const CTL_GEN = 0;
/** Int32 index of the next task ticket: `(generation & GEN_MASK) << INDEX_BITS | index`. */
export const CTL_NEXT = 1;
/** Int32 index of the number of tasks in the current job. */
export const CTL_TOTAL = 2;
/** Int32 index of the number of tasks finished; the caller waits on it. */
export const CTL_DONE = 3;
/** Int32 index of the number of packing tasks finished (packing comes before any block task). */
export const CTL_PACKED = 4;
/** Int32 index of the number of packing tasks: tasks `0 .. packs - 1` pack, the rest multiply. */
export const CTL_PACKS = 5;
/**
 * Int32 index of thread 0's task counter; thread `t`'s is at `CTL_TASKS + t`. Each thread adds the tasks
 * it runs to its own word (a cheap check, for tests, that every thread takes part).
 */
export const CTL_TASKS = 8;

/** Bits of a ticket that count tasks. */
export const INDEX_BITS = 20;
/** Mask of the generation bits stored in a ticket. */
export const GEN_MASK = 0x3ff;

/** Byte address of thread 0's scratch tile; thread `t`'s is `t * SCRATCH_BYTES` further. */
export const SCRATCH_BASE = 2048;
/** Bytes per scratch tile (room for tiles up to 8x8 floats). */
export const SCRATCH_BYTES = 256;
/** Most threads the layout has scratch room for (their task counters fit below SCRATCH_BASE too). */
export const MAX_THREADS = (65536 - SCRATCH_BASE) / SCRATCH_BYTES;

/** Byte address of the first task record. */
export const RECORDS_BASE = 65536;
/** Int32 words per record: a function index and eight arguments. */
export const RECORD_WORDS = 9;
/** Most records per job: they fill the 2 MiB below {@link HEAP_BASE}, inside the initial memory. */
export const MAX_RECORDS = Math.floor((2 << 20) / (RECORD_WORDS * 4));
/** Byte address where job data starts. */
export const HEAP_BASE = RECORDS_BASE + (2 << 20);

/** Initial memory, in 64 KiB pages: the fixed regions plus 14 MiB of heap. */
export const INITIAL_PAGES = 256;
/** Maximum memory, in pages (2 GiB), which a shared memory must declare. */
export const MAXIMUM_PAGES = 32768;
