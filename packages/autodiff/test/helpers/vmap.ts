/** Checking vmap against a loop: the mapped function must equal its examples, computed one at a time. */
import type { Tensor } from '../../src/index.js';
import { numpy, vmap } from '../../src/index.js';

export type Axis = number | null;
export type Fn = (...xs: Tensor[]) => Tensor;

/**
 * `shape` with a batch axis of length `size` inserted at `axis` (counted in the batched rank; negative
 * from its end); `shape` itself for an unbatched input (`axis` null).
 */
export function withBatch(shape: readonly number[], axis: Axis, size = 3): number[] {
  if (axis === null) return [...shape];
  const at = axis < 0 ? axis + shape.length + 1 : axis;
  return [...shape.slice(0, at), size, ...shape.slice(at)];
}

/** Example `i` of `x` along `axis` (all of `x` when the axis is null), by plain unbatched ops. */
export const exampleOf = (x: Tensor, axis: Axis, i: number): Tensor =>
  axis === null ? x : numpy.take(x, i, { axis });

/** Expects equal shapes, dtypes and values (NaN equal to NaN) within `rtol` (plus `atol`). */
export function expectSame(actual: Tensor, expected: Tensor, rtol: number, atol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  const a = Array.from(actual.dataSync(), Number);
  const e = Array.from(expected.dataSync(), Number);
  const bad = a.findIndex(
    (v, i) => !(Object.is(v, e[i]) || Math.abs(v - e[i]!) <= atol + rtol * Math.abs(e[i]!)),
  );
  if (bad >= 0) {
    throw new Error(
      `element ${bad} is ${a[bad]}, expected ${e[bad]} ([${a.join(', ')}] vs [${e.join(', ')}])`,
    );
  }
}

/** Expects `vmap(f, { inAxes })(...args)` to equal `f` of each example, stacked along axis 0. */
export function expectLikeLoop(
  f: Fn,
  args: Tensor[],
  inAxes: Axis[],
  rtol = 1e-5,
  atol = 1e-6,
): void {
  const mapped = args.findIndex((_, j) => inAxes[j] !== null && inAxes[j] !== undefined);
  const size = args[mapped]!.shape.at(inAxes[mapped]!)!;
  const looped = Array.from({ length: size }, (_, i) =>
    f(...args.map((x, j) => exampleOf(x, inAxes[j] ?? null, i))),
  );
  expectSame(vmap(f, { inAxes })(...args), numpy.stack(looped), rtol, atol);
}
