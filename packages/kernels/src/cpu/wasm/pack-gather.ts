/**
 * The gathering B packer of the GEMM module: packs a matrix that is not stored but addressed through
 * two offset tables, `B[p, j]` at byte `src + rows[p] + cols[j]`. Convolutions use it for implicit
 * im2col: `src` is a zero-padded image, `rows` the offsets of each (channel, tap) and `cols` those of
 * each output position, so pack tasks on every thread read the image directly and no column matrix is
 * built.
 */
import { Asm, PARAMS9, whileNot } from './asm.js';

/**
 * `packGather(src, cols, rows, panels, k, dst)`: writes `panels` panels of `NR` columns (a multiple of
 * 4) at `dst`, `panel[p * NR + r] = f32 at src + rows[p] + cols[panel * NR + r]`, for `p < k`. `cols`
 * and `rows` are byte addresses of i32 tables; `cols` holds `panels * NR` entries (padding columns may
 * repeat any valid offset: the block function discards their results).
 */
export function packGatherFunction(NR: number): Asm {
  const f = new Asm('packGather', PARAMS9);
  const [src, cols, rows, panels, k, dst] = [0, 1, 2, 3, 4, 5];
  const p = f.local();
  const row = f.local();
  const s = f.local();
  const b = f.local();
  const o: number[] = [];
  for (let r = 0; r < NR; r++) o.push(f.local());
  whileNot(
    f,
    () => f.get(panels).i32(0).i32LeS(),
    () => {
      for (let r = 0; r < NR; r++)
        f.get(cols)
          .i32Load(r * 4)
          .set(o[r]!);
      f.get(rows).set(row).i32(0).set(p);
      // Columns that are consecutive in memory (one run of an image row) copy as vectors.
      f.get(o[NR - 1]!)
        .get(o[0]!)
        .i32Sub()
        .i32((NR - 1) * 4)
        .i32Eq()
        .if();
      f.get(src).get(o[0]!).i32Add().set(s);
      whileNot(
        f,
        () => f.get(p).get(k).i32GeS(),
        () => {
          f.get(s).get(row).i32Load().i32Add().set(b);
          for (let v = 0; v < NR / 4; v++)
            f.get(dst)
              .get(b)
              .v128Load(v * 16)
              .v128Store(v * 16);
          f.inc(dst, NR * 4)
            .inc(row, 4)
            .inc(p, 1);
        },
      );
      f.else();
      whileNot(
        f,
        () => f.get(p).get(k).i32GeS(),
        () => {
          f.get(src).get(row).i32Load().i32Add().set(b);
          for (let r = 0; r < NR; r++)
            f.get(dst)
              .get(b)
              .get(o[r]!)
              .i32Add()
              .f32Load()
              .f32Store(r * 4);
          f.inc(dst, NR * 4)
            .inc(row, 4)
            .inc(p, 1);
        },
      );
      f.end();
      f.inc(cols, NR * 4).inc(panels, -1);
    },
  );
  return f;
}

/**
 * `padCopy(src, dst, width, rows, rowStride, planes, planeStride, channels, channelStride)`: copies
 * `channels * planes * rows` dense runs of `width` floats from `src` to `dst`, run `(c, d, h)` at
 * `dst + c * channelStride + d * planeStride + h * rowStride` (strides in bytes): a dense image into
 * the inside of its zero-padded copy.
 */
export function padCopyFunction(): Asm {
  const f = new Asm('padCopy', PARAMS9);
  const [src, dst, width, rows, rowStride, planes, planeStride, channels, channelStride] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const c = f.local();
  const d = f.local();
  const h = f.local();
  const o = f.local();
  const end = f.local();
  const vectorEnd = f.local();
  const bytes = f.local();
  f.get(width).i32(2).i32Shl().set(bytes);
  /** `for (local = 0; local < count; local++) body` */
  const loop = (local: number, count: number, body: () => void) => {
    f.i32(0).set(local);
    whileNot(
      f,
      () => f.get(local).get(count).i32GeS(),
      () => (body(), f.inc(local, 1)),
    );
  };
  loop(c, channels, () =>
    loop(d, planes, () =>
      loop(h, rows, () => {
        f.get(dst)
          .get(c)
          .get(channelStride)
          .i32Mul()
          .i32Add()
          .get(d)
          .get(planeStride)
          .i32Mul()
          .i32Add()
          .get(h)
          .get(rowStride)
          .i32Mul()
          .i32Add()
          .set(o);
        f.get(src).get(bytes).i32Add().set(end);
        f.get(end).i32(12).i32Sub().set(vectorEnd);
        whileNot(
          f,
          () => f.get(src).get(vectorEnd).i32GeS(),
          () => {
            f.get(o).get(src).v128Load().v128Store();
            f.inc(src, 16).inc(o, 16);
          },
        );
        whileNot(
          f,
          () => f.get(src).get(end).i32GeS(),
          () => {
            f.get(o).get(src).f32Load().f32Store();
            f.inc(src, 4).inc(o, 4);
          },
        );
      }),
    ),
  );
  return f;
}

/** Int32 words of a gather descriptor; see {@link gatherImageFunction}. */
export const GATHER_WORDS = 14;

/**
 * `gatherImage(raw, copy, desc, dst)`: one task per image: zeroes `desc[8]` bytes at `copy` (a multiple
 * of 16), copies the dense image at `raw` inside it by `padCopy(raw, copy + desc[7], desc[0 .. 6])`,
 * then packs it by `packGather(copy, desc[9], desc[10], desc[11], desc[12], dst)`. Each thread thus pads
 * the images it packs, while they are in its cache. `desc` is the byte address of
 * {@link GATHER_WORDS} i32 words; `desc[12]` is K and `desc[13]` N.
 */
export function gatherImageFunction(padCopy: number, packGather: number): Asm {
  const f = new Asm('gatherImage', PARAMS9);
  const [raw, copy, desc, dst] = [0, 1, 2, 3];
  const o = f.local();
  const end = f.local();
  f.get(copy).set(o);
  f.get(copy)
    .get(desc)
    .i32Load(8 * 4)
    .i32Add()
    .set(end);
  whileNot(
    f,
    () => f.get(o).get(end).i32GeS(),
    () => f.get(o).v128Zero().v128Store().inc(o, 16),
  );
  f.get(raw)
    .get(copy)
    .get(desc)
    .i32Load(7 * 4)
    .i32Add();
  for (let w = 0; w < 7; w++) f.get(desc).i32Load(w * 4);
  f.call(padCopy);
  f.get(copy);
  for (let w = 9; w < 13; w++) f.get(desc).i32Load(w * 4);
  f.get(dst).i32(0).i32(0).i32(0).call(packGather);
  return f;
}

/**
 * `gatherBlock(raw, copy, desc, pb, pa, c, m, beta, scratch)`: `gatherImage(raw, copy, desc, pb)`, then
 * the whole item's product `block(pa, pb, c, 4 * N, m, N, K, beta, scratch)` on the same thread, while
 * the freshly packed panels are still in its cache.
 */
export function gatherBlockFunction(gatherImage: number, block: number): Asm {
  const f = new Asm('gatherBlock', PARAMS9);
  const [raw, copy, desc, pb, pa, c, m, beta, scratch] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  f.get(raw).get(copy).get(desc).get(pb).i32(0).i32(0).i32(0).i32(0).i32(0).call(gatherImage);
  f.get(pa).get(pb).get(c);
  f.get(desc)
    .i32Load(13 * 4)
    .i32(2)
    .i32Shl();
  f.get(m)
    .get(desc)
    .i32Load(13 * 4)
    .get(desc)
    .i32Load(12 * 4)
    .get(beta)
    .get(scratch)
    .call(block);
  return f;
}
