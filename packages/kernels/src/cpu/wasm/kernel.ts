/**
 * Generates the GEMM module: packing functions that copy strided matrices into panels, and a block
 * function that multiplies packed panels with a register-blocked SIMD microkernel.
 *
 * Packed layout: a panel holds `R` rows (of A) or `R` columns (of B) for every `p` in `0..k`, as
 * `panel[p * R + r]`, zero-padded when fewer than `R` rows remain. Every exported function takes nine
 * i32 arguments (unused ones ignored), so one task record format serves them all.
 */
import { Asm, PARAMS9, V128, whileNot } from './asm.js';
import { encodeModule } from './encoder.js';
import { SCRATCH_BYTES } from './layout.js';
import {
  gatherBlockFunction,
  gatherImageFunction,
  packGatherFunction,
  padCopyFunction,
} from './pack-gather.js';

/** Shape of the register tile and the K blocking. */
export interface KernelShape {
  /** Rows of the register tile (rows per A panel). */
  mr: number;
  /** Columns of the register tile (columns per B panel); a multiple of 4. */
  nr: number;
  /** K-block length: how much of a panel the microkernel walks per call. */
  kc: number;
  /** Unrolling of the k loop (a power of two). */
  unroll: number;
}

/**
 * The tile that measured fastest under V8 11 (Node 20) on x64: 8 accumulators, 2 B vectors and a
 * broadcast fit the 16 xmm registers. TurboFan unrolls the k loop itself; unrolling it here made
 * TurboFan hoist every load of the unrolled body and spill (4x8 went from 33 to 20 GFLOP/s).
 */
export const DEFAULT_SHAPE: KernelShape = { mr: 4, nr: 8, kc: 256, unroll: 1 };

/** Indices of the exported functions, as used in task records. */
export const FN_PACK_A = 0;
/** See {@link FN_PACK_A}. */
export const FN_PACK_B = 1;
/** See {@link FN_PACK_A}. */
export const FN_BLOCK = 2;
/** See {@link FN_PACK_A} and pack-gather.ts: pads and packs one image of a gathered B. */
export const FN_GATHER_IMAGE = 3;
/** See {@link FN_PACK_A} and pack-gather.ts: pads and packs one image, then multiplies it. */
export const FN_GATHER_BLOCK = 4;
/** The helpers of {@link FN_GATHER_IMAGE}, which it calls by these indices; not tasks themselves. */
const FN_PACK_GATHER = 5;
const FN_PAD_COPY = 6;
/** Export names, indexed by the `FN_*` constants (and the module's function indices). */
export const FUNCTION_NAMES = [
  'packA',
  'packB',
  'block',
  'gatherImage',
  'gatherBlock',
  'packGather',
  'padCopy',
] as const;

/** `local = min(bound, limit - start)` for i32 locals `limit` and `start`. */
function minRemaining(f: Asm, local: number, bound: number, limit: number, start: number): void {
  f.get(limit).get(start).i32Sub().set(local);
  f.i32(bound).get(local).get(local).i32(bound).i32GeS().select().set(local);
}

/**
 * `pack(src, sr, sp, count, k, dst)`: packs a `count x k` strided matrix (element `(r, p)` at byte
 * `src + r * sr + p * sp`) into panels of `R` rows at `dst`.
 */
function packFunction(name: string, R: number): Asm {
  const f = new Asm(name, PARAMS9);
  const [src, sr, sp, count, k, dst] = [0, 1, 2, 3, 4, 5];
  const s = f.local();
  const p = f.local();
  const r = f.local();
  const rows = f.local();
  const q = f.local();
  const off: number[] = [];
  for (let i = 0; i < R; i++) {
    off.push(f.local());
    f.get(sr).i32(i).i32Mul().set(off[i]!);
  }
  whileNot(
    f,
    () => f.get(count).i32(0).i32LeS(),
    () => {
      f.get(count).i32(R).get(count).i32(R).i32LtS().select().set(rows);
      f.get(src).set(s).i32(0).set(p);
      f.get(rows).i32(R).i32Eq().if();
      {
        // Full panel: contiguous rows can be copied as vectors (B in row-major order).
        const vector = R % 4 === 0;
        if (vector) f.get(sr).i32(4).i32Eq().if();
        if (vector) {
          whileNot(
            f,
            () => f.get(p).get(k).i32GeS(),
            () => {
              for (let v = 0; v < R / 4; v++)
                f.get(dst)
                  .get(s)
                  .v128Load(v * 16)
                  .v128Store(v * 16);
              f.incBy(s, sp)
                .inc(dst, R * 4)
                .inc(p, 1);
            },
          );
          f.else();
        }
        whileNot(
          f,
          () => f.get(p).get(k).i32GeS(),
          () => {
            for (let i = 0; i < R; i++) {
              f.get(dst)
                .get(s)
                .get(off[i]!)
                .i32Add()
                .f32Load()
                .f32Store(i * 4);
            }
            f.incBy(s, sp)
              .inc(dst, R * 4)
              .inc(p, 1);
          },
        );
        if (vector) f.end();
      }
      f.else();
      // Last, partial panel: zero the padding rows, then copy the valid ones.
      whileNot(
        f,
        () => f.get(p).get(k).i32GeS(),
        () => {
          for (let i = 0; i < R; i++)
            f.get(dst)
              .f32Const0()
              .f32Store(i * 4);
          f.i32(0).set(r).get(s).set(q);
          whileNot(
            f,
            () => f.get(r).get(rows).i32GeS(),
            () => {
              f.get(dst).get(r).i32(2).i32Shl().i32Add().get(q).f32Load().f32Store();
              f.incBy(q, sr).inc(r, 1);
            },
          );
          f.incBy(s, sp)
            .inc(dst, R * 4)
            .inc(p, 1);
        },
      );
      f.end();
      f.get(src).get(sr).i32(R).i32Mul().i32Add().set(src);
      f.get(count).i32(R).i32Sub().set(count);
    },
  );
  return f;
}

/**
 * `block(ap, bp, c, ldc, mc, nc, k, beta, scratch)`: `C[mc x nc] (+)= A @ B` where `ap` is the first of
 * `ceil(mc / MR)` packed A panels of length `k`, `bp` the first of `ceil(nc / NR)` packed B panels, `c`
 * the byte address of C's top-left element with rows `ldc` bytes apart; `beta` nonzero adds to C.
 * `scratch` is this thread's `MR x NR` float tile, used for edge tiles.
 */
function blockFunction(shape: KernelShape): Asm {
  const { mr: MR, nr: NR, kc: KC, unroll: U } = shape;
  const NV = NR / 4;
  const f = new Asm('block', PARAMS9);
  const [ap, bp, c, ldc, mc, nc, k, beta, scratch] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const panelA = f.local();
  const panelB = f.local();
  const pc = f.local();
  const kc = f.local();
  const jr = f.local();
  const ir = f.local();
  const nr = f.local();
  const mr = f.local();
  const acol = f.local();
  const bcol = f.local();
  const cptr = f.local();
  const cl = f.local();
  const bb = f.local();
  const partial = f.local();
  const pa = f.local();
  const pb = f.local();
  const n = f.local();
  const t = f.local();
  const i = f.local();
  const j = f.local();
  const av = f.local(V128);
  const bv: number[] = [];
  for (let v = 0; v < NV; v++) bv.push(f.local(V128));
  const acc: number[][] = [];
  for (let r = 0; r < MR; r++) {
    acc.push([]);
    for (let v = 0; v < NV; v++) acc[r]!.push(f.local(V128));
  }

  /** The address of scratch element `(i, j)` on the stack. */
  const scratchAt = () =>
    f
      .get(scratch)
      .get(i)
      .i32(NR * 4)
      .i32Mul()
      .i32Add()
      .get(j)
      .i32(2)
      .i32Shl()
      .i32Add();
  /** The address of C element `(i, j)` of the current tile on the stack. */
  const cAt = () => f.get(cptr).get(i).get(ldc).i32Mul().i32Add().get(j).i32(2).i32Shl().i32Add();
  /** Runs `body` for `i < iEnd`, `j < jEnd` (locals or constants). */
  const tileLoop = (iEnd: () => void, jEnd: () => void, body: () => void) => {
    f.i32(0).set(i);
    whileNot(
      f,
      () => (f.get(i), iEnd(), f.i32GeS()),
      () => {
        f.i32(0).set(j);
        whileNot(
          f,
          () => (f.get(j), jEnd(), f.i32GeS()),
          () => (body(), f.inc(j, 1)),
        );
        f.inc(i, 1);
      },
    );
  };

  /** One k step of the microkernel, reading at byte offsets `u` steps into the panels. */
  const kStep = (u: number) => {
    for (let v = 0; v < NV; v++)
      f.get(pb)
        .v128Load((u * NR + v * 4) * 4)
        .set(bv[v]!);
    for (let r = 0; r < MR; r++) {
      f.get(pa)
        .v128Load32Splat((u * MR + r) * 4)
        .set(av);
      for (let v = 0; v < NV; v++) {
        f.get(acc[r]![v]!).get(av).get(bv[v]!).f32x4Mul().f32x4Add().set(acc[r]![v]!);
      }
    }
  };

  f.get(k)
    .i32(MR * 4)
    .i32Mul()
    .set(panelA);
  f.get(k)
    .i32(NR * 4)
    .i32Mul()
    .set(panelB);
  f.i32(0).set(pc);
  whileNot(
    f,
    () => f.get(pc).get(k).i32GeS(),
    () => {
      minRemaining(f, kc, KC, k, pc);
      f.i32(0).set(jr);
      f.get(bp)
        .get(pc)
        .i32(NR * 4)
        .i32Mul()
        .i32Add()
        .set(bcol);
      whileNot(
        f,
        () => f.get(jr).get(nc).i32GeS(),
        () => {
          minRemaining(f, nr, NR, nc, jr);
          f.i32(0).set(ir);
          f.get(ap)
            .get(pc)
            .i32(MR * 4)
            .i32Mul()
            .i32Add()
            .set(acol);
          whileNot(
            f,
            () => f.get(ir).get(mc).i32GeS(),
            () => {
              minRemaining(f, mr, MR, mc, ir);
              f.get(c)
                .get(ir)
                .get(ldc)
                .i32Mul()
                .i32Add()
                .get(jr)
                .i32(2)
                .i32Shl()
                .i32Add()
                .set(cptr);
              f.get(ldc).set(cl);
              f.get(beta).get(pc).i32Or().set(bb);
              f.get(mr).i32(MR).i32Ne().get(nr).i32(NR).i32Ne().i32Or().tee(partial).if();
              {
                // Edge tile: run the full tile on a scratch copy of the valid part of C.
                for (let r = 0; r < MR; r++) {
                  for (let v = 0; v < NV; v++)
                    f.get(scratch)
                      .v128Zero()
                      .v128Store((r * NR + v * 4) * 4);
                }
                f.get(bb).if();
                tileLoop(
                  () => f.get(mr),
                  () => f.get(nr),
                  () => (scratchAt(), cAt(), f.f32Load().f32Store()),
                );
                f.end();
                f.get(scratch)
                  .set(cptr)
                  .i32(NR * 4)
                  .set(cl)
                  .i32(1)
                  .set(bb);
              }
              f.end();
              microkernel();
              f.get(partial).if();
              f.get(c)
                .get(ir)
                .get(ldc)
                .i32Mul()
                .i32Add()
                .get(jr)
                .i32(2)
                .i32Shl()
                .i32Add()
                .set(cptr);
              tileLoop(
                () => f.get(mr),
                () => f.get(nr),
                () => (cAt(), scratchAt(), f.f32Load().f32Store()),
              );
              f.end();
              f.inc(ir, MR).incBy(acol, panelA);
            },
          );
          f.inc(jr, NR).incBy(bcol, panelB);
        },
      );
      f.inc(pc, KC);
    },
  );
  return f;

  /** The register tile: loads or zeroes the accumulators, walks `kc` steps, stores them. */
  function microkernel(): void {
    f.get(bb).if();
    f.get(cptr).set(t);
    for (let r = 0; r < MR; r++) {
      for (let v = 0; v < NV; v++)
        f.get(t)
          .v128Load(v * 16)
          .set(acc[r]![v]!);
      if (r < MR - 1) f.incBy(t, cl);
    }
    f.else();
    for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.v128Zero().set(acc[r]![v]!);
    f.end();
    f.get(acol).set(pa).get(bcol).set(pb);
    f.get(kc).i32(Math.log2(U)).i32ShrU().set(n);
    whileNot(
      f,
      () => f.get(n).i32Eqz(),
      () => {
        for (let u = 0; u < U; u++) kStep(u);
        f.inc(pa, U * MR * 4)
          .inc(pb, U * NR * 4)
          .inc(n, -1);
      },
    );
    if (U > 1) {
      f.get(kc)
        .i32(U - 1)
        .i32And()
        .set(n);
      whileNot(
        f,
        () => f.get(n).i32Eqz(),
        () => {
          kStep(0);
          f.inc(pa, MR * 4)
            .inc(pb, NR * 4)
            .inc(n, -1);
        },
      );
    }
    f.get(cptr).set(t);
    for (let r = 0; r < MR; r++) {
      for (let v = 0; v < NV; v++)
        f.get(t)
          .get(acc[r]![v]!)
          .v128Store(v * 16);
      if (r < MR - 1) f.incBy(t, cl);
    }
  }
}

/** The module's bytes, for a memory of the given limits (in 64 KiB pages). */
export function gemmModuleBytes(
  shape: KernelShape,
  memory: { initial: number; maximum: number; shared: boolean },
): Uint8Array {
  if (shape.mr * shape.nr * 4 > SCRATCH_BYTES) {
    throw new Error(
      `gemm module: a ${shape.mr}x${shape.nr} tile needs ${shape.mr * shape.nr * 4} bytes of scratch, ` +
        `more than the ${SCRATCH_BYTES} each thread has (SCRATCH_BYTES in layout.ts)`,
    );
  }
  return encodeModule(memory, [
    packFunction('packA', shape.mr).build(),
    packFunction('packB', shape.nr).build(),
    blockFunction(shape).build(),
    gatherImageFunction(FN_PAD_COPY, FN_PACK_GATHER).build(),
    gatherBlockFunction(FN_GATHER_IMAGE, FN_BLOCK).build(),
    packGatherFunction(shape.nr).build(),
    padCopyFunction().build(),
  ]);
}
