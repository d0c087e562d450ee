/** The CPU argsort: a comparison sort of each row's indices. */
import { normalizeAxis } from '../shape.js';
import { CpuArray } from './array.js';
import { transpose } from './layout.js';
import { checkNumeric } from '../reduce-checks.js';
import { rowsOver } from './reduce.js';

/** See {@link Backend.argsort}. */
export function argsort(x: CpuArray, axis: number, descending: boolean): CpuArray {
  checkNumeric('argsort', x);
  const rank = x.shape.length;
  const d = normalizeAxis('argsort', 'axis', axis, rank);
  const n = x.shape[d]!;
  const { data, kept } = rowsOver(x, [d]);
  const out = new Int32Array(data.length);
  const order = new Int32Array(n);
  // NaN compares above every number; ties (including -0 and +0) keep index order, so the sort is stable.
  const direction = descending ? -1 : 1;
  let base = 0;
  const compare = (i: number, j: number): number => {
    const a = data[base + i]!;
    const b = data[base + j]!;
    if (a < b) return -direction;
    if (a > b) return direction;
    const aNaN = a !== a;
    if (aNaN !== (b !== b)) return aNaN ? direction : -direction;
    return i - j;
  };
  for (; base < data.length; base += n) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(compare);
    out.set(order, base);
  }
  // `out` is laid out with `axis` last; a transposed view puts it back in place without a copy.
  const moved = new CpuArray(x.backend, 'int32', [...kept.map((k) => x.shape[k]!), n], out);
  const inverse = [...kept, d].map((_, i, perm) => perm.indexOf(i));
  return transpose(moved, inverse);
}
