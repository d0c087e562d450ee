/**
 * How the reduction and sorting kernels walk an array as rows: the `moved` axes (reduced, scanned or
 * sorted) form each row and every other axis picks a row, both read through the array's strides, so no
 * transposed copy is made. Kernels find a row's start with `rowOffset(r)` and its `j`-th element at
 * `rowOffset(r) + innerOffset(j)`.
 */
import { contiguousStrides, sizeOf } from '../shape.js';
import { MAX_GROUPS } from './wgsl.js';

export interface Rows {
  /** The shape of the kept axes (one entry per row), in order. */
  keptShape: number[];
  rows: number;
  /** Elements per row. */
  inner: number;
  /** The two index descriptors, placed in a kernel's params at the offset its code was written for. */
  params: number[];
}

/**
 * A descriptor: a count, then (size, stride) per dimension, innermost last. Size-1 dimensions are
 * dropped and neighbours that are contiguous with each other merged, so the common case (a trailing
 * block of axes) costs one division per element.
 */
function describe(sizes: readonly number[], strides: readonly number[]): number[] {
  const dims: [number, number][] = [];
  sizes.forEach((size, d) => {
    if (size === 1) return;
    const last = dims[dims.length - 1];
    if (last && last[1] === strides[d]! * size)
      dims[dims.length - 1] = [last[0] * size, strides[d]!];
    else dims.push([size, strides[d]!]);
  });
  return [dims.length, ...dims.flat()];
}

/** `shape` (contiguous) as rows over the sorted `moved` axes. */
export function rowsOver(shape: readonly number[], moved: readonly number[]): Rows {
  const strides = contiguousStrides(shape);
  const kept = shape.map((_, d) => d).filter((d) => !moved.includes(d));
  const keptShape = kept.map((d) => shape[d]!);
  const movedShape = moved.map((d) => shape[d]!);
  return {
    keptShape,
    rows: sizeOf(keptShape),
    inner: sizeOf(movedShape),
    params: [
      ...describe(
        keptShape,
        kept.map((d) => strides[d]!),
      ),
      ...describe(
        movedShape,
        moved.map((d) => strides[d]!),
      ),
    ],
  };
}

/** WGSL for `rowOffset` and `innerOffset`, reading the descriptors from `params[at]` on. */
export function rowsCode(at: number): string {
  return `
fn stridedOffset(index: u32, at: u32) -> u32 {
  var rem = index;
  var offset = 0u;
  for (var d = u32(params[at]); d > 0u; d--) {
    let size = u32(params[at + 2u * d - 1u]);
    offset += (rem % size) * u32(params[at + 2u * d]);
    rem /= size;
  }
  return offset;
}
fn rowOffset(r: u32) -> u32 { return stridedOffset(r, ${at}u); }
fn innerOffset(j: u32) -> u32 { return stridedOffset(j, ${at}u + 1u + 2u * u32(params[${at}])); }`;
}

/** The workgroup index of a dispatch from {@link groupGrid}, in WGSL. */
export const GROUP_INDEX = `(wid.x + wid.y * ${MAX_GROUPS}u)`;

/** A dispatch of `count` workgroups: `[x, y]`, two-dimensional past WebGPU's 65535 per dimension. */
export function groupGrid(count: number): [number, number] {
  return count <= MAX_GROUPS ? [count, 1] : [MAX_GROUPS, Math.ceil(count / MAX_GROUPS)];
}
