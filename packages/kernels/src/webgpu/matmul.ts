/**
 * matmul on WebGPU: a tiled GEMM. Each workgroup computes a TILE x TILE block of one batch element's
 * product, staging TILE x DEPTH slices of both operands in workgroup memory; each invocation owns a
 * 4 x 4 register block of the output, updated as an outer product of two vec4 read from the tiles.
 * Transposed operands are read through their index math (no copy), and batch dimensions go along the
 * dispatch's z, each operand stepping through them by its own strides (0 where it is broadcast).
 *
 * Staging reads each operand four consecutive elements of a stored row at a time. An operand whose
 * stored rows (K for A and for transposed B, M for transposed A, N for B) have a multiple of 4
 * elements is bound as `array<vec4<f32>>` and read one vec4 per load: arrays here are contiguous from
 * offset 0, so every row and every batch element then starts on a vec4, and the groups of four never
 * straddle a row's end. Other operands are bound as `array<f32>` and read element by element.
 */
import type { MatmulOptions } from '../backend.js';
import { checkMatmul } from '../matmul-checks.js';
import { contiguousStrides, sizeOf } from '../shape.js';
import { collapse } from '../cpu/array.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';
import { MAX_GROUPS } from './wgsl.js';

/** Elements of K staged per step. */
const DEPTH = 16;

/** Parameters before the batch shape and strides: M, N, K, then the z, x, y workgroup offsets. */
const HEADER = 6;

/** One compiled variant of the kernel. */
interface Variant {
  /** Output rows and columns per workgroup (64, or 32 for small products). */
  tile: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Whether each operand is bound as vec4s (its stored rows a multiple of 4 long). */
  vectorA: boolean;
  vectorB: boolean;
  /** Batch dimensions after merging. */
  batchRank: number;
}

/**
 * WGSL reading four consecutive elements of `buffer` from `o`, where the first is element `j` of a
 * stored row of `len` and `ok` says the row exists: out-of-range elements read as 0. `j` is always a
 * multiple of 4, so with `vector` (`len` and `o` multiples of 4, the buffer bound as vec4s) a group is
 * wholly in or out of its row and is one load. Otherwise only a row's last partial group checks each
 * element.
 */
function load4(buffer: string, vector: boolean): string {
  const head = `fn load4_${buffer}(o: u32, ok: bool, j: u32, len: u32) -> vec4<f32> {
  if (!ok || j >= len) { return vec4<f32>(); }`;
  if (vector) {
    return `
${head}
  return ${buffer}[o / 4u];
}`;
  }
  return `
${head}
  if (j + 3u < len) { return vec4<f32>(${buffer}[o], ${buffer}[o + 1u], ${buffer}[o + 2u], ${buffer}[o + 3u]); }
  var v = vec4<f32>(${buffer}[o], 0.0, 0.0, 0.0);
  if (j + 1u < len) { v.y = ${buffer}[o + 1u]; }
  if (j + 2u < len) { v.z = ${buffer}[o + 2u]; }
  return v;
}`;
}

/**
 * WGSL filling vec4 `v` of a tile (`tile[k][x / 4]`, x the tile's row of A or column of B) from an
 * operand. `along` says whether the stored operand is contiguous along x (then a group of four read
 * fills one tile vec4) or along k (then its four elements land in four vec4s, one component each).
 */
function stage(
  tile: string,
  buffer: string,
  along: 'x' | 'k',
  origin: string,
  size: string,
  base: string,
  v: Variant,
): string {
  const lanes = v.tile / 4;
  if (along === 'x') {
    return `  {
    let k = v / ${lanes}u;
    let x = (v % ${lanes}u) * 4u;
    let gk = k0 + k;
    let gx = ${origin} + x;
    ${tile}[k * ${lanes}u + x / 4u] = load4_${buffer}(${base} + gk * ${size} + gx, gk < K, gx, ${size});
  }`;
  }
  return `  {
    let x = v / ${DEPTH / 4}u;
    let k = (v % ${DEPTH / 4}u) * 4u;
    let gk = k0 + k;
    let gx = ${origin} + x;
    let q = load4_${buffer}(${base} + gx * K + gk, gx < ${size}, gk, K);
    for (var i = 0u; i < 4u; i++) { ${tile}[(k + i) * ${lanes}u + x / 4u][x % 4u] = q[i]; }
  }`;
}

function shader(v: Variant): string {
  const lanes = v.tile / 4;
  const threads = lanes * lanes;
  const slots = DEPTH * lanes;
  const r = v.batchRank;
  return `
${load4('in0', v.vectorA)}
${load4('in1', v.vectorB)}
var<workgroup> tileA: array<vec4<f32>, ${slots}>;
var<workgroup> tileB: array<vec4<f32>, ${slots}>;

@compute @workgroup_size(${lanes}, ${lanes})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let M = u32(params[0]);
  let N = u32(params[1]);
  let K = u32(params[2]);
  let batch = group.z + u32(params[3]);
  let col0 = (group.x + u32(params[4])) * ${v.tile}u;
  let row0 = (group.y + u32(params[5])) * ${v.tile}u;
  // Each operand's offset for this batch element, through its own batch strides.
  var baseA = 0u;
  var baseB = 0u;
  var rem = batch;
  for (var d = ${r}u; d > 0u; d--) {
    let n = u32(params[${HEADER - 1}u + d]);
    let i = rem % n;
    rem /= n;
    baseA += i * u32(params[${HEADER + r - 1}u + d]);
    baseB += i * u32(params[${HEADER + 2 * r - 1}u + d]);
  }
  let id = local.y * ${lanes}u + local.x;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += ${DEPTH}u) {
    for (var v = id; v < ${slots}u; v += ${threads}u) {
${stage('tileA', 'in0', v.transposeA ? 'x' : 'k', 'row0', 'M', 'baseA', v)}
${stage('tileB', 'in1', v.transposeB ? 'k' : 'x', 'col0', 'N', 'baseB', v)}
    }
    workgroupBarrier();
    for (var k = 0u; k < ${DEPTH}u; k++) {
      let a = tileA[k * ${lanes}u + local.y];
      let b = tileB[k * ${lanes}u + local.x];
      acc[0] += a.x * b;
      acc[1] += a.y * b;
      acc[2] += a.z * b;
      acc[3] += a.w * b;
    }
    workgroupBarrier();
  }
  let outBase = batch * M * N;
  for (var i = 0u; i < 4u; i++) {
    let row = row0 + local.y * 4u + i;
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + local.x * 4u + j;
      if (row < M && col < N) { out0[outBase + row * N + col] = acc[i][j]; }
    }
  }
}`;
}

/** Strides of an operand's batch dimensions over the broadcast batch shape, 0 where broadcast. */
function batchStrides(x: WebGpuArray, batch: readonly number[]): number[] {
  const own = contiguousStrides(x.shape).slice(0, -2);
  const lead = batch.length - own.length;
  return batch.map((_, d) => (d < lead || x.shape[d - lead] === 1 ? 0 : own[d - lead]!));
}

/** `a @ b` as {@link Backend.matmul} defines it: a new contiguous `[...batch, M, N]` array. */
export function matmul(
  runner: Runner,
  a: WebGpuArray,
  b: WebGpuArray,
  options?: MatmulOptions,
): WebGpuArray {
  const { transposeA, transposeB, m, k, n, batch } = checkMatmul(a, b, options);
  const shape = [...batch, m, n];
  const out = runner.allocate(shape, 'float32');
  if (sizeOf(shape) === 0) return out;

  // Merge batch dimensions that every operand steps through uniformly (fewer shader variants).
  const outStrides = contiguousStrides(batch).map((s) => s * m * n);
  const merged = collapse(batch, [batchStrides(a, batch), batchStrides(b, batch), outStrides]);
  const [stridesA, stridesB] = merged.strides as [number[], number[]];
  const count = sizeOf(merged.shape);
  const tile = m >= 64 && n >= 64 ? 64 : 32;
  const variant: Variant = {
    tile,
    transposeA,
    transposeB,
    // Each operand's stored row: K for A unless transposed (then M), N for B unless transposed (then K).
    vectorA: (transposeA ? m : k) % 4 === 0,
    vectorB: (transposeB ? k : n) % 4 === 0,
    batchRank: merged.shape.length,
  };
  const key = `matmul:${Object.values(variant).join(':')}`;
  const groupsX = Math.ceil(n / tile);
  const groupsY = Math.ceil(m / tile);
  // Dispatches are limited to 65535 workgroups per dimension: larger grids go in several launches.
  for (let z = 0; z < count; z += MAX_GROUPS) {
    for (let y = 0; y < groupsY; y += MAX_GROUPS) {
      for (let x = 0; x < groupsX; x += MAX_GROUPS) {
        runner.run({
          key,
          code: () => shader(variant),
          inputs: [a, b],
          lanes: [variant.vectorA ? 4 : 1, variant.vectorB ? 4 : 1],
          outputs: [{ shape, dtype: 'float32' }],
          into: [out],
          params: [m, n, k, z, x, y, ...merged.shape, ...stridesA, ...stridesB],
          groups: [
            Math.min(MAX_GROUPS, groupsX - x),
            Math.min(MAX_GROUPS, groupsY - y),
            Math.min(MAX_GROUPS, count - z),
          ],
        });
      }
    }
  }
  return out;
}
