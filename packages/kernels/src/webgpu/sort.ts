/**
 * argsort on WebGPU: a bitonic network over each row's indices, padded to a power of two. The order it
 * sorts by is total (padding last, then the key with NaN above every number and -0 equal to +0, then
 * the index), so the network's result is the stable sort the CPU backend gives. A row that fits in
 * workgroup memory is sorted there by one workgroup; a longer one in a global index buffer, one launch
 * per step of the network.
 */
import { checkNumeric } from '../reduce-checks.js';
import { normalizeAxis } from '../shape.js';
import type { WebGpuArray } from './array.js';
import { GROUP_INDEX, groupGrid, rowsCode, rowsOver } from './rows.js';
import type { Runner } from './runner.js';
import { flatIndex, groupsFor, STORAGE_TYPE } from './wgsl.js';

/** The longest padded row sorted in workgroup memory (a key and an index each: 8 KiB). */
const LOCAL_ROW = 1024;
/** Where the row descriptors start in params (after rows, row length, padded length, k, j). */
const ROWS_AT = 5;

/** WGSL: whether element (ka, ia) goes before (kb, ib); indices from `n` on are padding. */
function beforeCode(type: string, descending: boolean): string {
  const nan =
    type === 'f32'
      ? `let aNaN = isNanF(ka);
    let bNaN = isNanF(kb);
    if (aNaN != bNaN) { return ${descending ? 'aNaN' : 'bNaN'}; }`
      : '';
  return `
fn before(ka: ${type}, ia: u32, kb: ${type}, ib: u32, n: u32) -> bool {
  let aPad = ia >= n;
  if (aPad != (ib >= n)) { return !aPad; }
  if (!aPad) {
    ${nan}
    if (ka < kb) { return ${!descending}; }
    if (ka > kb) { return ${descending}; }
  }
  return ia < ib;
}
// Compare-exchange of positions a < b = a + j in a block of the network sorted up when (a & k) == 0.
fn exchanges(a: u32, k: u32, ka: ${type}, ia: u32, kb: ${type}, ib: u32, n: u32) -> bool {
  if ((a & k) == 0u) { return before(kb, ib, ka, ia, n); }
  return before(ka, ia, kb, ib, n);
}
// The lower position of pair t of the step with distance j.
fn lower(t: u32, j: u32) -> u32 { return 2u * j * (t / j) + t % j; }
${rowsCode(ROWS_AT)}`;
}

function localCode(type: string, descending: boolean, workgroup: number): string {
  return `${beforeCode(type, descending)}
var<workgroup> keys: array<${type}, ${LOCAL_ROW}>;
var<workgroup> order: array<u32, ${LOCAL_ROW}>;
@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = ${GROUP_INDEX};
  if (r >= u32(params[0])) { return; }
  let n = u32(params[1]);
  let size = u32(params[2]);
  let base = rowOffset(r);
  // keys stays indexed by position in the row; order is what the network permutes.
  for (var p = lid; p < size; p += ${workgroup}u) {
    order[p] = p;
    if (p < n) { keys[p] = in0[base + innerOffset(p)]; }
  }
  workgroupBarrier();
  for (var k = 2u; k <= size; k <<= 1u) {
    for (var j = k >> 1u; j > 0u; j >>= 1u) {
      for (var t = lid; t < size / 2u; t += ${workgroup}u) {
        let a = lower(t, j);
        let ia = order[a];
        let ib = order[a + j];
        if (exchanges(a, k, keys[ia], ia, keys[ib], ib, n)) {
          order[a] = ib;
          order[a + j] = ia;
        }
      }
      workgroupBarrier();
    }
  }
  for (var p = lid; p < n; p += ${workgroup}u) { out0[base + innerOffset(p)] = i32(order[p]); }
}`;
}

/** One step (k, j) of the network over every row's indices in `out0` ([rows, size]). */
function stepCode(type: string, descending: boolean): string {
  return `${beforeCode(type, descending)}
fn key(base: u32, index: u32, n: u32) -> ${type} {
  if (index >= n) { return ${type}(0); }
  return in0[base + innerOffset(index)];
}
${flatIndex('u32(params[0]) * (u32(params[2]) / 2u)')}
  let n = u32(params[1]);
  let half = u32(params[2]) / 2u;
  let j = u32(params[4]);
  let r = i / half;
  let a = lower(i % half, j);
  let row = r * 2u * half;
  let base = rowOffset(r);
  let ia = u32(out0[row + a]);
  let ib = u32(out0[row + a + j]);
  if (exchanges(a, u32(params[3]), key(base, ia, n), ia, key(base, ib, n), ib, n)) {
    out0[row + a] = i32(ib);
    out0[row + a + j] = i32(ia);
  }
}`;
}

/** Sorts rows too long for workgroup memory: initial indices, the network's steps, then the scatter. */
function globalSort(
  runner: Runner,
  x: WebGpuArray,
  descending: boolean,
  shape: { rows: number; n: number; size: number; rowParams: number[] },
): WebGpuArray {
  const { rows, n, size, rowParams } = shape;
  const type = STORAGE_TYPE[x.dtype];
  const params = (k: number, j: number) => [rows, n, size, k, j, ...rowParams];
  const [order] = runner.run({
    key: 'argsort:indices',
    code: () => `${flatIndex('u32(params[0]) * u32(params[2])')}
  out0[i] = i32(i % u32(params[2]));
}`,
    inputs: [],
    outputs: [{ shape: [rows, size], dtype: 'int32' }],
    params: params(0, 0),
    groups: groupsFor(rows * size),
  });
  for (let k = 2; k <= size; k *= 2) {
    for (let j = k / 2; j > 0; j /= 2) {
      runner.run({
        key: `argsort:step:${type}:${descending}`,
        code: () => stepCode(type, descending),
        inputs: [x],
        outputs: [{ shape: [rows, size], dtype: 'int32' }],
        into: [order!],
        params: params(k, j),
        groups: groupsFor((rows * size) / 2),
      });
    }
  }
  const [out] = runner.run({
    key: 'argsort:scatter',
    code: () => `${rowsCode(ROWS_AT)}
${flatIndex('u32(params[0]) * u32(params[1])')}
  let n = u32(params[1]);
  let r = i / n;
  out0[rowOffset(r) + innerOffset(i % n)] = in0[r * u32(params[2]) + i % n];
}`,
    inputs: [order!],
    outputs: [{ shape: x.shape, dtype: 'int32' }],
    params: params(0, 0),
    groups: groupsFor(rows * n),
  });
  order!.release();
  return out!;
}

export function argsort(
  runner: Runner,
  x: WebGpuArray,
  axis: number,
  descending: boolean,
): WebGpuArray {
  checkNumeric('argsort', x);
  const d = normalizeAxis('argsort', 'axis', axis, x.shape.length);
  if (x.size === 0) return runner.allocate(x.shape, 'int32');
  const rows = rowsOver(x.shape, [d]);
  const n = x.shape[d]!;
  const size = 2 ** Math.ceil(Math.log2(n));
  if (size > LOCAL_ROW)
    return globalSort(runner, x, descending, { rows: rows.rows, n, size, rowParams: rows.params });
  const type = STORAGE_TYPE[x.dtype];
  const workgroup = size <= 128 ? 64 : 256;
  const [out] = runner.run({
    key: `argsort:local:${type}:${descending}:${workgroup}`,
    code: () => localCode(type, descending, workgroup),
    inputs: [x],
    outputs: [{ shape: x.shape, dtype: 'int32' }],
    params: [rows.rows, n, size, 0, 0, ...rows.params],
    groups: groupGrid(rows.rows),
  });
  return out!;
}
