// The trajectory harness shared by the optimiser tests: params as plain numbers (one flat list per
// leaf) so that float64 references can be written without tensors, a runner that records the params
// after each step of an optimiser, and comparisons that say where two paths part.
import { type Tensor, applyUpdates, numpy } from '@equinox-ts/autodiff';
import type { GradientTransformation } from '../../src/index.js';

/** Params as plain numbers, one flat (row-major) list per leaf. */
export type Leaves<K extends string = string> = Record<K, number[]>;
/** The same params as tensors. */
export type Tree<K extends string = string> = Record<K, Tensor>;

/** Tensors from plain numbers; `shapes` gives leaves other than vectors their shape. */
export function toTree<K extends string>(
  leaves: Leaves<K>,
  shapes?: Partial<Record<K, readonly number[]>>,
): Tree<K> {
  return Object.fromEntries(
    (Object.entries(leaves) as [K, number[]][]).map(([k, v]) => {
      const shape = shapes?.[k];
      return [k, shape ? numpy.reshape(numpy.array(v), [...shape]) : numpy.array(v)];
    }),
  ) as Tree<K>;
}

/** Plain numbers from tensors, each leaf flattened. */
export function toLeaves<K extends string>(tree: Tree<K>): Leaves<K> {
  return Object.fromEntries(
    (Object.entries(tree) as [K, Tensor][]).map(([k, v]) => [
      k,
      v.reshape([-1]).tolist() as number[],
    ]),
  ) as Leaves<K>;
}

/**
 * The gradient a * p + c of sum(a p^2 / 2 + c p) per entry: a loss whose float64 reference needs
 * nothing but the same two lists. With no `c`, nothing is added.
 */
export function linearGrad<K extends string>(
  a: Leaves<K>,
  c?: Leaves<K>,
): (params: Tree<K>) => Tree<K> {
  const [slope, offset] = [toTree(a), c && toTree(c)];
  return (params) =>
    Object.fromEntries(
      (Object.entries(params) as [K, Tensor][]).map(([k, p]) => {
        const scaled = p.mul(slope[k]);
        return [k, offset ? scaled.add(offset[k]) : scaled];
      }),
    ) as Tree<K>;
}

/**
 * Where each step's gradient comes from. `grad` is computed from the params inside the step, so a
 * wrapper such as filterJit traces it as well; `gradAt` gives fixed gradients by step number (from
 * 0), passed into the step as an argument so that one compiled step serves every step.
 */
export type Gradients<K extends string> =
  { grad: (params: Tree<K>) => Tree<K> } | { gradAt: (t: number) => Tree<K> };

/** A run's setup: the starting params, their shapes where not vectors, and the gradients. */
export type PathSetup<K extends string> = Gradients<K> & {
  start: Leaves<K>;
  shapes?: Partial<Record<K, readonly number[]>>;
};

/** One step: [params, state] to [params, state]; `grads` is null when the step computes them. */
export type Step<K extends string> = (
  params: Tree<K>,
  state: unknown,
  grads: Tree<K> | null,
) => [Tree<K>, unknown];

/** Params after each of `steps` steps of `optimiser` (eager, or through `wrap`, e.g. `filterJit`). */
export function runPath<K extends string>(
  optimiser: GradientTransformation,
  setup: PathSetup<K>,
  steps: number,
  wrap: (step: Step<K>) => Step<K> = (s) => s,
): Leaves<K>[] {
  const gradOf = 'grad' in setup ? setup.grad : null;
  const step = wrap((params, state, grads) => {
    const [updates, next] = optimiser.update(grads ?? gradOf!(params), state, params);
    return [applyUpdates(params, updates), next];
  });
  let params = toTree(setup.start, setup.shapes);
  let state = optimiser.init(params);
  const path: Leaves<K>[] = [];
  for (let t = 0; t < steps; t++) {
    [params, state] = step(params, state, 'gradAt' in setup ? setup.gradAt(t) : null);
    path.push(toLeaves(params));
  }
  return path;
}

/**
 * How close: a number of digits, as `toBeCloseTo` takes them, or `scaled`, for values of many
 * magnitudes: |actual - expected| <= scaled * max(1, |expected|).
 */
export type Closeness = number | { scaled: number };

// jest's matchers take no message, so a failure is prefixed with the step, leaf and entry.
function at(where: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof Error) error.message = `${where}: ${error.message}`;
    throw error;
  }
}

/** The same leaves with the same lengths, each value within `closeness` of the expected one. */
export function expectLeavesClose(
  actual: Leaves,
  expected: Leaves,
  closeness: Closeness = 5,
  where = 'params',
): void {
  at(where, () => expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort()));
  Object.entries(expected).forEach(([leaf, want]) => {
    at(`${where}.${leaf}`, () => expect(actual[leaf]).toHaveLength(want.length));
    actual[leaf]!.forEach((x, i) =>
      at(`${where}.${leaf}[${i}]`, () => {
        if (typeof closeness === 'number') expect(x).toBeCloseTo(want[i]!, closeness);
        else
          expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(
            closeness.scaled * Math.max(1, Math.abs(want[i]!)),
          );
      }),
    );
  });
}

/** Two paths of the same length, step by step within `closeness` (5 digits unless told). */
export function expectPathsClose(
  actual: Leaves[],
  expected: Leaves[],
  closeness: Closeness = 5,
): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((params, t) =>
    expectLeavesClose(params, expected[t]!, closeness, `step ${t + 1} params`),
  );
}
