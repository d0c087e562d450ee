/** Test helpers for layers: gradients through a layer's parameters and inputs, and closeness checks. */
import { type Tensor, isInexactArray } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import { type CheckOptions, checkGrads } from './check-grads.js';

/**
 * Checks the gradients of `run(layer, ...inputs)` with respect to every float tensor of `layer` and
 * every input, against central finite differences. `run` returns a float32 tensor.
 */
export function checkLayerGrads<L>(
  layer: L,
  inputs: readonly Tensor[],
  run: (layer: L, ...inputs: Tensor[]) => Tensor,
  options: CheckOptions = {},
): void {
  const [params, statics] = tree.partition(layer, isInexactArray);
  const [leaves, def] = tree.flatten(params);
  const tensors = leaves as Tensor[];
  const f = (...xs: Tensor[]): Tensor => {
    const rebuilt = tree.combine<L>(tree.unflatten(def, xs.slice(0, tensors.length)), statics);
    return run(rebuilt, ...xs.slice(tensors.length));
  };
  checkGrads(f, [...tensors, ...inputs], options);
}

/** Expects `actual`'s values to equal the nested array `expected` within `tol` (absolute + relative). */
export function expectClose(actual: Tensor, expected: unknown, tol = 1e-5): void {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const got = flat(actual.tolist());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w)))) {
      throw new Error(
        `element ${i}: expected ${w}, found ${g} (tolerance ${tol}); all: ${JSON.stringify(got)}`,
      );
    }
  });
}
