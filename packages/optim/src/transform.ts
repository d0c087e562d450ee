/** The one interface of this package: Optax's `GradientTransformation`. */

/**
 * A gradient transformation (Optax's `optax.GradientTransformation`): a pair of pure functions.
 * `init(params)` makes the initial state (a pytree: it serialises and passes through `jit`);
 * `update(updates, state, params)` turns updates (gradients, at first) into new updates and returns
 * the next state. Optimisers are gradient transformations, and so is every building block; `chain`
 * composes them. Apply the final updates with `applyUpdates(params, updates)`.
 *
 * Trees may hold `null` for leaves that do not train (the shape `filterGrad` returns and
 * `tree.filter(model, isArray)` makes), and those stay `null` in the state and in the updates.
 *
 * @example
 * ```ts
 * const optimiser: GradientTransformation = sgd(0.1);
 * const params = { w: numpy.array([1, 2]) };
 * const state = optimiser.init(params);
 * const [updates] = optimiser.update({ w: numpy.array([1, 1]) }, state, params);
 * applyUpdates(params, updates).w.tolist(); // [0.8999999761581421, 1.899999976158142]
 * ```
 */
export interface GradientTransformation<S = unknown> {
  /** The initial state for `params`. */
  init(params: unknown): S;
  /** New updates and the next state; `params` is needed by some transformations (weight decay). */
  update<U>(updates: U, state: S, params?: unknown): [U, S];
}

/**
 * The empty state of a transformation that keeps none.
 *
 * @example
 * ```ts
 * const state: EmptyState = scale(2).init({ w: numpy.ones([2]) });
 * Object.keys(state).length; // 0
 * ```
 */
export type EmptyState = Record<string, never>;

/**
 * Leaves the updates as they are (Optax's `identity`).
 *
 * @example
 * ```ts
 * const [updates] = identity().update({ w: numpy.array([3]) }, {});
 * updates.w.tolist(); // [3]
 * ```
 */
export function identity(): GradientTransformation<EmptyState> {
  return { init: () => ({}), update: (updates, state) => [updates, state] };
}

/**
 * Applies transformations one after another (Optax's `chain`): each gets the previous one's updates.
 * The state is the list of their states.
 *
 * @example
 * ```ts
 * // Clip, then Adam, then the learning rate: Optax's usual recipe.
 * const optimiser = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * const state = optimiser.init({ w: numpy.zeros([2]) });
 * state.length; // 3
 * ```
 */
export function chain<S extends unknown[]>(
  ...transforms: { [K in keyof S]: GradientTransformation<S[K]> }
): GradientTransformation<S> {
  transforms.forEach((t, i) => {
    if (typeof t?.init !== 'function' || typeof t?.update !== 'function') {
      throw new TypeError(
        `chain: argument ${i} is not a GradientTransformation (init and update functions), found ${typeof t}`,
      );
    }
  });
  return {
    init: (params) => transforms.map((t) => t.init(params)) as S,
    update: (updates, state, params) => {
      if (!Array.isArray(state) || state.length !== transforms.length) {
        throw new TypeError(
          `chain: expected the state made by this chain's init (a list of ${transforms.length} states)`,
        );
      }
      let current = updates;
      const next = transforms.map((t, i) => {
        const [u, s] = t.update(current, state[i], params);
        current = u;
        return s;
      });
      return [current, next as S];
    },
  };
}
