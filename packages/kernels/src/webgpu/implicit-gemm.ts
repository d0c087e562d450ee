/**
 * A tiled GEMM whose operands are never materialised: each variant supplies WGSL functions that read
 * element (row, col) of A and B straight from its inputs (im2col indices computed on the fly, with
 * padding and bounds giving 0) and that place element (m, n) of the product in its output. The three
 * convolution kernels are such GEMMs, one per group of channels.
 */
import { KernelError } from '../errors.js';
import type { WebGpuArray } from './array.js';
import type { Runner } from './runner.js';
import { flatIndex, groupsFor, MAX_GROUPS } from './wgsl.js';

/** Output tile of one workgroup (rows x columns) and the depth of one step along K. */
const TILE = 32;
const TILE_K = 16;
/** 16 x 16 invocations, each computing 2 x 2 elements of the tile. */
const THREADS = 16;

export interface ImplicitGemm {
  /** Names the variant in the pipeline cache. */
  key: string;
  /**
   * WGSL defining `loadA(m: u32, k: u32) -> f32`, `loadB(k: u32, n: u32) -> f32` and
   * `outIndex(m: u32, n: u32) -> u32`; they may read the private `grp` (the group) and the names of
   * `constants` (private u32s).
   */
  functions: string;
  inputs: readonly WebGpuArray[];
  /** The output's shape; every element is written. */
  shape: readonly number[];
  /** Per group: rows, columns and depth of the product. */
  m: number;
  n: number;
  k: number;
  groups: number;
  /** Integer values the functions read by name. */
  constants: Record<string, number>;
}

const FIXED = 7; // params: M, N, K, tilesN, splits, kChunk, outCount, then the constants.

/** Runs the GEMM (split along K into partial sums when the output has too few tiles to fill the GPU). */
export function implicitGemm(runner: Runner, g: ImplicitGemm): WebGpuArray {
  const count = g.shape.reduce((a, b) => a * b, 1);
  if (count === 0) return runner.allocate(g.shape, 'float32');
  const tilesM = Math.ceil(g.m / TILE);
  const tilesN = Math.ceil(g.n / TILE);
  const tiles = tilesM * tilesN * g.groups;
  // Few tiles but a long K (the filter gradient): give each of several workgroups a slice of K.
  const wanted = Math.max(1, Math.min(64, Math.ceil(128 / tiles), Math.floor(g.k / 512)));
  const kChunk = Math.max(TILE_K, Math.ceil(g.k / wanted / TILE_K) * TILE_K);
  const splits = Math.max(1, Math.ceil(g.k / kChunk));
  const z = g.groups * splits * tilesN;
  if (z > MAX_GROUPS) {
    throw new KernelError(
      g.key,
      `too many groups of channels for one dispatch (${z} workgroups along z)`,
    );
  }
  const names = Object.keys(g.constants);
  const params = [
    g.m,
    g.n,
    g.k,
    tilesN,
    splits,
    kChunk,
    count,
    ...names.map((name) => g.constants[name]!),
  ];
  const [out] = runner.run({
    key: `implicitGemm:${g.key}:${names.join(',')}`,
    code: () => gemmShader(g.functions, names),
    inputs: g.inputs,
    outputs: [{ shape: splits === 1 ? g.shape : [splits, count], dtype: 'float32' }],
    params,
    groups: [Math.min(tilesM, MAX_GROUPS), Math.ceil(tilesM / MAX_GROUPS), z],
  });
  if (splits === 1) return out!;
  // Partial sums added in slice order.
  const [sum] = runner.run({
    key: 'implicitGemm:sumSplits',
    code: () => `${flatIndex('u32(params[0])')}
  let count = u32(params[0]);
  var total = 0.0;
  for (var s = 0u; s < u32(params[1]); s++) { total += in0[s * count + i]; }
  out0[i] = total;
}`,
    inputs: [out!],
    outputs: [{ shape: g.shape, dtype: 'float32' }],
    params: [count, splits],
    groups: groupsFor(count),
  });
  out!.release();
  return sum!;
}

function gemmShader(functions: string, names: readonly string[]): string {
  const half = TILE / 2;
  return /* wgsl */ `
var<workgroup> tileA: array<f32, ${TILE * TILE_K}>; // [k][m]
var<workgroup> tileB: array<f32, ${TILE * TILE_K}>; // [k][n]
var<private> grp: u32;
${names.map((name) => `var<private> ${name}: u32;`).join('\n')}
${functions}

@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(
  @builtin(workgroup_id) wg: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(local_invocation_index) li: u32,
) {
  let mCount = u32(params[0]);
  let nCount = u32(params[1]);
  let tilesN = u32(params[3]);
  let splits = u32(params[4]);
  let kChunk = u32(params[5]);
  let m0 = (wg.x + wg.y * ${MAX_GROUPS}u) * ${TILE}u;
  if (m0 >= mCount) { return; }
  let n0 = (wg.z % tilesN) * ${TILE}u;
  let split = (wg.z / tilesN) % splits;
  grp = wg.z / tilesN / splits;
${names.map((name, j) => `  ${name} = u32(params[${FIXED + j}]);`).join('\n')}
  let kBegin = split * kChunk;
  let kEnd = min(u32(params[2]), kBegin + kChunk);
  // This invocation's elements: rows ty and ty + ${half}, columns tx and tx + ${half} of the tile.
  let tx = lid.x;
  let ty = lid.y;
  var c00 = 0.0;
  var c01 = 0.0;
  var c10 = 0.0;
  var c11 = 0.0;
  for (var k0 = kBegin; k0 < kEnd; k0 += ${TILE_K}u) {
    for (var e = li; e < ${TILE * TILE_K}u; e += ${THREADS * THREADS}u) {
      let col = e % ${TILE}u;
      let depth = e / ${TILE}u;
      let k = k0 + depth;
      var a = 0.0;
      if (m0 + col < mCount && k < kEnd) { a = loadA(m0 + col, k); }
      tileA[e] = a;
      var b = 0.0;
      if (n0 + col < nCount && k < kEnd) { b = loadB(k, n0 + col); }
      tileB[e] = b;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
      let a0 = tileA[kk * ${TILE}u + ty];
      let a1 = tileA[kk * ${TILE}u + ty + ${half}u];
      let b0 = tileB[kk * ${TILE}u + tx];
      let b1 = tileB[kk * ${TILE}u + tx + ${half}u];
      c00 += a0 * b0;
      c01 += a0 * b1;
      c10 += a1 * b0;
      c11 += a1 * b1;
    }
    workgroupBarrier();
  }
  let base = split * u32(params[6]);
  let m = m0 + ty;
  let n = n0 + tx;
  if (m < mCount && n < nCount) { out0[base + outIndex(m, n)] = c00; }
  if (m < mCount && n + ${half}u < nCount) { out0[base + outIndex(m, n + ${half}u)] = c01; }
  if (m + ${half}u < mCount && n < nCount) { out0[base + outIndex(m + ${half}u, n)] = c10; }
  if (m + ${half}u < mCount && n + ${half}u < nCount) { out0[base + outIndex(m + ${half}u, n + ${half}u)] = c11; }
}`;
}
