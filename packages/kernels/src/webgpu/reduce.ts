/**
 * Reductions on WebGPU: reduce (sum, prod, max, min) over axes and argmax/argmin along one. Each output
 * element's row (the reduced axes, read through strides) is reduced by one workgroup: every invocation
 * folds a strided share of the row, then a tree in workgroup memory combines the shares. Short rows go
 * one invocation per row instead; very long rows with few outputs go in two passes (chunks, then the
 * chunks' partial results), so that more than a handful of workgroups share the work.
 */
import type { ArgReduceOp, ReduceOp } from '../backend.js';
import type { DType } from '../dtype.js';
import { KernelError, shapeText } from '../errors.js';
import { checkNumeric, checkOp } from '../reduce-checks.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { WebGpuArray } from './array.js';
import { GROUP_INDEX, groupGrid, rowsCode, rowsOver, type Rows } from './rows.js';
import type { Runner } from './runner.js';
import { flatIndex, groupsFor, STORAGE_TYPE } from './wgsl.js';

export { cumsum } from './scan.js';

type Op = ReduceOp | ArgReduceOp;
type NumericDType = 'float32' | 'int32';

/** Rows at most this long are reduced by one invocation each. */
const SHORT_ROW = 32;
/** Elements per first-pass workgroup of a two-pass reduction. */
const CHUNK = 16384;
/** At most this many outputs get the two-pass treatment (more already keep the GPU busy). */
const FEW_ROWS = 64;
/** Where the row descriptors start in params (after rows, inner, chunk length, chunks). */
const ROWS_AT = 4;

const INT32_MIN = '(-2147483647 - 1)';

/** The value a row starts from: what an empty reduction gives. */
function identity(op: Op, dtype: NumericDType): string {
  const float = dtype === 'float32';
  switch (op) {
    case 'sum':
      return float ? '0.0' : '0';
    case 'prod':
      return float ? '1.0' : '1';
    case 'max':
    case 'argmax':
      return float ? '-inf()' : INT32_MIN;
    default:
      return float ? 'inf()' : '2147483647';
  }
}

/**
 * WGSL combining two partial states (`v` the value, `i` the index for the arg ops). Max and min let a
 * NaN win and keep an earlier equal value; the arg ops prefer a NaN, then the extreme, then the
 * smaller index, which makes them independent of the order the tree combines in.
 */
function combineBody(op: Op, dtype: NumericDType): string {
  const float = dtype === 'float32';
  switch (op) {
    case 'sum':
      return 'return State(a.v + b.v, 0u);';
    case 'prod':
      return 'return State(a.v * b.v, 0u);';
    case 'max':
    case 'min': {
      const beats = op === 'max' ? '>' : '<';
      return float
        ? `if (isNanF(a.v)) { return a; }
  if (isNanF(b.v) || b.v ${beats} a.v) { return b; }
  return a;`
        : `if (b.v ${beats} a.v) { return b; }
  return a;`;
    }
    default: {
      const beats = op === 'argmax' ? '>' : '<';
      const nan = float
        ? `let aNaN = isNanF(a.v);
  let bNaN = isNanF(b.v);
  if (aNaN && !bNaN) { return a; }
  if (bNaN && !aNaN) { return b; }
  if (!aNaN) {`
        : '{';
      return `${nan}
    if (a.v ${beats} b.v) { return a; }
    if (b.v ${beats} a.v) { return b; }
  }
  if (a.i <= b.i) { return a; }
  return b;`;
    }
  }
}

/** How a launch reads and writes: from `x` or from a first pass's partials, to partials or the result. */
interface Pass {
  /** Reads (values, indices) partials rather than `x`'s elements. */
  partialIn: boolean;
  /** Writes (values, indices) partials rather than the result. */
  partialOut: boolean;
  /** Invocations per workgroup, or 0 for one invocation per row. */
  workgroup: number;
}

function reductionCode(op: Op, dtype: NumericDType, pass: Pass): string {
  const type = STORAGE_TYPE[dtype];
  const arg = op === 'argmax' || op === 'argmin';
  const index = arg && pass.partialIn ? 'u32(in1[o])' : arg ? 'j' : '0u';
  const write = pass.partialOut
    ? `out0[g] = s.v;${arg ? '\n  out1[g] = i32(s.i);' : ''}`
    : `out0[g] = ${arg ? 'i32(s.i)' : 's.v'};`;
  const common = `
struct State { v: ${type}, i: u32 }
fn combine(a: State, b: State) -> State {
  ${combineBody(op, dtype)}
}
fn element(base: u32, j: u32) -> State {
  let o = base + innerOffset(j);
  return State(in0[o], ${index});
}
fn finish(g: u32, s: State) {
  ${write}
}
${rowsCode(ROWS_AT)}`;
  const start = `State(${identity(op, dtype)}, 0xffffffffu)`;
  if (pass.workgroup === 0) {
    return `${common}
${flatIndex('u32(params[0])')}
  let base = rowOffset(i);
  var acc = ${start};
  for (var j = 0u; j < u32(params[1]); j++) { acc = combine(acc, element(base, j)); }
  finish(i, acc);
}`;
  }
  const size = pass.workgroup;
  return `${common}
var<workgroup> shares: array<State, ${size}>;
@compute @workgroup_size(${size})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let g = ${GROUP_INDEX};
  let chunks = u32(params[3]);
  if (g >= u32(params[0]) * chunks) { return; }
  let base = rowOffset(g / chunks);
  let first = (g % chunks) * u32(params[2]);
  let end = min(u32(params[1]), first + u32(params[2]));
  var acc = ${start};
  for (var j = first + lid; j < end; j += ${size}u) { acc = combine(acc, element(base, j)); }
  shares[lid] = acc;
  workgroupBarrier();
  for (var half = ${size / 2}u; half > 0u; half >>= 1u) {
    if (lid < half) { shares[lid] = combine(shares[lid], shares[lid + half]); }
    workgroupBarrier();
  }
  if (lid == 0u) { finish(g, shares[0]); }
}`;
}

/**
 * Reduces each row of `inputs[0]` (with `inputs[1]` the indices when they are partials) to one element
 * of a `shape` result: int32 for the arg ops, else `dtype`.
 */
function reduceRows(
  runner: Runner,
  op: Op,
  dtype: NumericDType,
  inputs: readonly WebGpuArray[],
  rows: Rows,
  shape: readonly number[],
  partialIn: boolean,
): WebGpuArray {
  const arg = op === 'argmax' || op === 'argmin';
  const { rows: count, inner } = rows;
  const outDType: DType = arg ? 'int32' : dtype;
  if (count === 0) return runner.allocate(shape, outDType);
  const workgroup = inner <= SHORT_ROW ? 0 : inner < 2048 ? 64 : 256;
  const chunks =
    workgroup > 0 && count <= FEW_ROWS && inner > 2 * CHUNK ? Math.ceil(inner / CHUNK) : 1;
  const pass: Pass = { partialIn, partialOut: chunks > 1, workgroup };
  const outputs = pass.partialOut
    ? [
        { shape: [count, chunks], dtype },
        ...(arg ? [{ shape: [count, chunks], dtype: 'int32' as const }] : []),
      ]
    : [{ shape, dtype: outDType }];
  const results = runner.run({
    key: `reduce:${op}:${dtype}:${pass.partialIn}:${pass.partialOut}:${workgroup}`,
    code: () => reductionCode(op, dtype, pass),
    inputs,
    outputs,
    params: [count, inner, chunks > 1 ? CHUNK : inner, chunks, ...rows.params],
    groups: workgroup === 0 ? groupsFor(count) : groupGrid(count * chunks),
  });
  if (chunks === 1) return results[0]!;
  // Second pass: each row's chunk results, contiguous, reduced along their last axis.
  const second = reduceRows(
    runner,
    op,
    dtype,
    results,
    rowsOver([count, chunks], [1]),
    shape,
    true,
  );
  results.forEach((r) => r.release());
  return second;
}

export function reduce(
  runner: Runner,
  op: ReduceOp,
  x: WebGpuArray,
  axes: readonly number[],
): WebGpuArray {
  checkOp('reduce', op, ['sum', 'prod', 'max', 'min']);
  checkNumeric(op, x);
  const sorted = normalizeAxes(op, 'axes', axes, x.shape.length);
  const rows = rowsOver(x.shape, sorted);
  return reduceRows(runner, op, x.dtype as NumericDType, [x], rows, rows.keptShape, false);
}

export function argReduce(
  runner: Runner,
  op: ArgReduceOp,
  x: WebGpuArray,
  axis: number,
): WebGpuArray {
  checkOp('argReduce', op, ['argmax', 'argmin']);
  checkNumeric(op, x);
  const d = normalizeAxis(op, 'axis', axis, x.shape.length);
  const rows = rowsOver(x.shape, [d]);
  if (x.shape[d] === 0 && rows.rows > 0) {
    throw new KernelError(
      op,
      `axis ${d} of \`x\` ${shapeText(x.shape)} is empty; there is no element to pick`,
    );
  }
  return reduceRows(runner, op, x.dtype as NumericDType, [x], rows, rows.keptShape, false);
}
