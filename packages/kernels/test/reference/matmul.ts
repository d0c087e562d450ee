/** Reference batched matmul: one float64 dot product per output element, batch dims broadcast. */
import { atBroadcast, broadcastShape, fromFn, type Ref } from './ndarray.js';

export interface MatmulRefOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

export function matmulRef(a: Ref, b: Ref, options: MatmulRefOptions = {}): Ref {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = options.transposeA
    ? [a.shape[ra - 1]!, a.shape[ra - 2]!]
    : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = options.transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (batch === undefined) throw new Error('matmulRef: batch dims do not broadcast');
  // Batch-broadcast lookup: pad the matrix dims with the element's row and column.
  const aAt = (bi: number[], i: number, p: number) =>
    atBroadcast(a, [...bi, ...(options.transposeA ? [p, i] : [i, p])]);
  const bAt = (bi: number[], p: number, j: number) =>
    atBroadcast(b, [...bi, ...(options.transposeB ? [j, p] : [p, j])]);
  return fromFn([...batch, m, n], 'float32', (index) => {
    const bi = index.slice(0, -2);
    const i = index[index.length - 2]!;
    const j = index[index.length - 1]!;
    let sum = 0;
    for (let p = 0; p < k; p++) sum += aAt(bi, i, p) * bAt(bi, p, j);
    return sum;
  });
}
