/**
 * cumsum on WebGPU. One workgroup scans a row (the axis, read through its stride) a tile at a time: a
 * Hillis-Steele scan of the tile in workgroup memory, plus the running total of the tiles before it.
 * Short rows go one invocation per row. The result has `x`'s shape, so element offsets are shared.
 */
import { checkNumeric } from '../reduce-checks.js';
import { normalizeAxis } from '../shape.js';
import type { WebGpuArray } from './array.js';
import { GROUP_INDEX, groupGrid, rowsCode, rowsOver } from './rows.js';
import type { Runner } from './runner.js';
import { flatIndex, groupsFor, STORAGE_TYPE } from './wgsl.js';

/** Rows at most this long are scanned by one invocation each. */
const SHORT_ROW = 32;
/** Where the row descriptors start in params (after rows, row length). */
const ROWS_AT = 2;

function scanCode(type: string, reverse: boolean, workgroup: number): string {
  const zero = type === 'f32' ? '0.0' : '0';
  // Position p of the scan order is element j of the row.
  const element = `fn element(p: u32) -> u32 { return ${reverse ? 'u32(params[1]) - 1u - p' : 'p'}; }`;
  if (workgroup === 0) {
    return `${rowsCode(ROWS_AT)}
${element}
${flatIndex('u32(params[0])')}
  let base = rowOffset(i);
  var total: ${type} = ${zero};
  for (var p = 0u; p < u32(params[1]); p++) {
    let o = base + innerOffset(element(p));
    total += in0[o];
    out0[o] = total;
  }
}`;
  }
  return `${rowsCode(ROWS_AT)}
${element}
var<workgroup> tile: array<${type}, ${workgroup}>;
@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = ${GROUP_INDEX};
  if (r >= u32(params[0])) { return; }
  let n = u32(params[1]);
  let base = rowOffset(r);
  var carry: ${type} = ${zero};
  for (var first = 0u; first < n; first += ${workgroup}u) {
    let p = first + lid;
    var o = 0u;
    var v: ${type} = ${zero};
    if (p < n) {
      o = base + innerOffset(element(p));
      v = in0[o];
    }
    tile[lid] = v;
    workgroupBarrier();
    for (var span = 1u; span < ${workgroup}u; span <<= 1u) {
      var before: ${type} = ${zero};
      if (lid >= span) { before = tile[lid - span]; }
      workgroupBarrier();
      tile[lid] += before;
      workgroupBarrier();
    }
    if (p < n) { out0[o] = carry + tile[lid]; }
    carry += tile[${workgroup - 1}u];
    // The next tile overwrites the one just read.
    workgroupBarrier();
  }
}`;
}

export function cumsum(
  runner: Runner,
  x: WebGpuArray,
  axis: number,
  reverse: boolean,
): WebGpuArray {
  checkNumeric('cumsum', x);
  const d = normalizeAxis('cumsum', 'axis', axis, x.shape.length);
  const rows = rowsOver(x.shape, [d]);
  if (x.size === 0) return runner.allocate(x.shape, x.dtype);
  const workgroup = rows.inner <= SHORT_ROW ? 0 : rows.inner < 1024 ? 64 : 256;
  const type = STORAGE_TYPE[x.dtype];
  const [out] = runner.run({
    key: `cumsum:${type}:${reverse}:${workgroup}`,
    code: () => scanCode(type, reverse, workgroup),
    inputs: [x],
    outputs: [{ shape: x.shape, dtype: x.dtype }],
    params: [rows.rows, rows.inner, ...rows.params],
    groups: workgroup === 0 ? groupsFor(rows.rows) : groupGrid(rows.rows),
  });
  return out!;
}
