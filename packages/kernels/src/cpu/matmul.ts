/** Batched, broadcasting matrix product of CPU arrays, on top of gemm.ts. */
import type { MatmulOptions } from '../backend.js';
import { checkMatmul } from '../matmul-checks.js';
import { sizeOf } from '../shape.js';
import { collapse, CpuArray } from './array.js';
import { uninitialized } from './buffers.js';
import { gemm, type MatrixView } from './gemm.js';

/** One operand's last two dimensions as a matrix, after an optional transpose. */
interface Operand {
  rows: number;
  cols: number;
  rowStride: number;
  colStride: number;
  batchShape: readonly number[];
  batchStrides: readonly number[];
}

function operand(x: CpuArray, transpose: boolean): Operand {
  const r = x.shape.length;
  const [i, j] = transpose ? [r - 1, r - 2] : [r - 2, r - 1];
  return {
    rows: x.shape[i]!,
    cols: x.shape[j]!,
    rowStride: x.strides[i]!,
    colStride: x.strides[j]!,
    batchShape: x.shape.slice(0, r - 2),
    batchStrides: x.strides.slice(0, r - 2),
  };
}

/** Strides of an operand's batch dimensions against the broadcast batch shape (0 where broadcast). */
function batchStrides(op: Operand, batch: readonly number[]): number[] {
  const lead = batch.length - op.batchShape.length;
  return batch.map((_, d) =>
    d < lead || op.batchShape[d - lead] === 1 ? 0 : op.batchStrides[d - lead]!,
  );
}

/**
 * `a @ b` for `a: [...batchA, M, K]` and `b: [...batchB, K, N]` (either transposed in its last two
 * dimensions by the options, without a copy), batch dimensions broadcast by NumPy rules. Returns a
 * new contiguous `[...batch, M, N]` array.
 */
export function matmul(a: CpuArray, b: CpuArray, options?: MatmulOptions): CpuArray {
  const { transposeA, transposeB, batch } = checkMatmul(a, b, options);
  const A = operand(a, transposeA);
  const B = operand(b, transposeB);
  const m = A.rows;
  const n = B.cols;
  const k = A.cols;
  const shape = [...batch, m, n];
  // gemm writes every element, so a recycled array will do.
  const out = uninitialized('float32', sizeOf(shape)) as Float32Array;
  const result = new CpuArray(a.backend, 'float32', shape, out);
  if (out.length === 0) return result;

  // Merge batch dimensions that step uniformly, so most products are one gemm call.
  const outStrides: number[] = [];
  for (let d = batch.length - 1, s = m * n; d >= 0; d--) {
    outStrides[d] = s;
    s *= batch[d]!;
  }
  const merged = collapse(batch, [batchStrides(A, batch), batchStrides(B, batch), outStrides]);
  const dims = merged.shape;
  const [as, bs, os] = merged.strides as [number[], number[], number[]];
  const inner = dims.length - 1;
  const aView = (offset: number): MatrixView => ({
    data: a.data as Float32Array,
    offset,
    rowStride: A.rowStride,
    colStride: A.colStride,
  });
  const bView = (offset: number): MatrixView => ({
    data: b.data as Float32Array,
    offset,
    rowStride: B.rowStride,
    colStride: B.colStride,
  });
  // Walk the outer merged dimensions; the innermost one becomes gemm's batch.
  const index = new Array<number>(Math.max(0, inner)).fill(0);
  let aOff = a.offset;
  let bOff = b.offset;
  let oOff = 0;
  for (;;) {
    gemm({
      m,
      n,
      k,
      a: aView(aOff),
      b: bView(bOff),
      out,
      outOffset: oOff,
      batch: inner >= 0 ? dims[inner]! : 1,
      aBatchStride: inner >= 0 ? as[inner]! : 0,
      bBatchStride: inner >= 0 ? bs[inner]! : 0,
      outBatchStride: inner >= 0 ? os[inner]! : m * n,
    });
    let d = inner - 1;
    for (; d >= 0; d--) {
      aOff += as[d]!;
      bOff += bs[d]!;
      oOff += os[d]!;
      if (++index[d]! < dims[d]!) break;
      aOff -= as[d]! * dims[d]!;
      bOff -= bs[d]! * dims[d]!;
      oOff -= os[d]! * dims[d]!;
      index[d] = 0;
    }
    if (d < 0) return result;
  }
}
