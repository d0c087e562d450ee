/** `MultiSteps`: gradient accumulation over several mini-steps, as Optax's `MultiSteps`. */
import { Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import type { GradientTransformation } from '../transform.js';
import {
  checkTensors,
  incrementCount,
  mapTensors,
  sumOfSquares,
  zeroCount,
  zerosLike,
} from '../tree-math.js';
import { allFinite, selectTree } from './tree-select.js';

/**
 * Decides whether a mini-step's updates are dropped, as if that mini-step never happened (Optax's
 * `ShouldSkipUpdateFunction`): returns a boolean scalar (true: skip) and any tree of tensors, kept in
 * `MultiStepsState.skipState` for monitoring.
 *
 * @example
 * ```ts
 * const never: ShouldSkipUpdateFunction = () => [numpy.array(false), {}];
 * never({}, numpy.zeros([], { dtype: 'int32' }))[0].tolist(); // false
 * ```
 */
export type ShouldSkipUpdateFunction = (
  updates: unknown,
  gradientStep: Tensor,
  params?: unknown,
) => [Tensor, unknown];

/**
 * A {@link ShouldSkipUpdateFunction} that skips updates holding a NaN or an infinity (Optax's
 * `skip_not_finite`); `skipState` is `{ shouldSkip, numNotFinite }`.
 *
 * @example
 * ```ts
 * const [skip, info] = skipNotFinite({ w: numpy.array([1, NaN, Infinity]) });
 * skip.tolist(); // true
 * (info as { numNotFinite: Tensor }).numNotFinite.item(); // 2
 * ```
 */
export function skipNotFinite(updates: unknown): [Tensor, unknown] {
  checkTensors('skipNotFinite', 'updates', updates);
  const numNotFinite = (tree.leaves(updates) as Tensor[]).reduce(
    (total, leaf) => total.add(numpy.sum(numpy.logicalNot(numpy.isfinite(leaf)))),
    zeroCount(),
  );
  const shouldSkip = numpy.logicalNot(allFinite(updates));
  return [shouldSkip, { shouldSkip, numNotFinite }];
}

/**
 * A {@link ShouldSkipUpdateFunction} that skips updates whose squared global norm is not below
 * `maxSquaredNorm` (Optax's `skip_large_updates`; NaN norms are skipped too); `skipState` is
 * `{ shouldSkip, normSquared }`. Pass it with the bound fixed:
 * `(u, step, p) => skipLargeUpdates(u, step, p, 42)`.
 *
 * @example
 * ```ts
 * const [skip] = skipLargeUpdates({ w: numpy.array([3, 4]) }, numpy.array(0), undefined, 20);
 * skip.tolist(); // true
 * ```
 */
export function skipLargeUpdates(
  updates: unknown,
  gradientStep: Tensor,
  params: unknown,
  maxSquaredNorm: number | Tensor,
): [Tensor, unknown] {
  checkTensors('skipLargeUpdates', 'updates', updates);
  const normSquared = sumOfSquares(updates);
  const shouldSkip = numpy.logicalNot(normSquared.lt(maxSquaredNorm));
  return [shouldSkip, { shouldSkip, normSquared }];
}

/**
 * Options of {@link MultiSteps}.
 *
 * @example
 * ```ts
 * const options: MultiStepsOptions = { useGradMean: false, shouldSkipUpdateFn: skipNotFinite };
 * options.useGradMean; // false
 * ```
 */
export interface MultiStepsOptions {
  /** Average the accumulated gradients (`true`, the default) rather than sum them. */
  useGradMean?: boolean;
  /** Drops some mini-steps entirely (see {@link ShouldSkipUpdateFunction}); none by default. */
  shouldSkipUpdateFn?: ShouldSkipUpdateFunction;
}

/**
 * The state of {@link MultiSteps} (Optax's `MultiStepsState`).
 *
 * @example
 * ```ts
 * const state: MultiStepsState = new MultiSteps(sgd(0.1), 4).init({ w: numpy.zeros([1]) });
 * state.miniStep.item(); // 0
 * ```
 */
export interface MultiStepsState {
  /** Mini-steps accumulated towards the next update (int32 scalar); back to 0 after each update. */
  miniStep: Tensor;
  /** Updates made by the inner optimiser so far (int32 scalar). */
  gradientStep: Tensor;
  /** The wrapped optimiser's state. */
  innerOptState: unknown;
  /** The mean (or sum) of the gradients of the mini-steps so far, shaped like the params. */
  accGrads: unknown;
  /** What `shouldSkipUpdateFn` returned last (empty without one). */
  skipState: unknown;
}

const neverSkip: ShouldSkipUpdateFunction = () => [numpy.array(false), {}];

/**
 * Gradient accumulation (Optax's `MultiSteps`): collects the gradients of `everyKSchedule` consecutive
 * mini-steps and returns zero updates meanwhile; on the k-th it hands their mean (or sum) to `opt` and
 * returns `opt`'s update. So k batches of size b train as one batch of size k * b. `everyKSchedule` is a
 * number or a function of the gradient step (the number of inner updates so far), so the effective
 * batch size can grow during training. A `MultiSteps` is itself a {@link GradientTransformation}
 * (`init`, `update`), and works inside `jit`.
 *
 * @example
 * ```ts
 * const optimiser = new MultiSteps(sgd(1), 2);
 * const params = { w: numpy.array([0]) };
 * let state = optimiser.init(params);
 * let updates;
 * [updates, state] = optimiser.update({ w: numpy.array([1]) }, state, params);
 * updates.w.tolist(); // [0]
 * [updates, state] = optimiser.update({ w: numpy.array([3]) }, state, params);
 * updates.w.tolist(); // [-2]
 * ```
 */
export class MultiSteps implements GradientTransformation<MultiStepsState> {
  readonly #opt: GradientTransformation;
  readonly #everyK: (gradientStep: Tensor) => Tensor | number;
  readonly #useGradMean: boolean;
  readonly #shouldSkip: ShouldSkipUpdateFunction;

  constructor(
    opt: GradientTransformation,
    everyKSchedule: number | ((gradientStep: Tensor) => Tensor | number),
    options: MultiStepsOptions = {},
  ) {
    if (typeof opt?.init !== 'function' || typeof opt?.update !== 'function') {
      throw new TensorError(
        'MultiSteps',
        `\`opt\` is not a GradientTransformation (init and update functions), found ${typeof opt}`,
      );
    }
    if (typeof everyKSchedule === 'number') {
      if (!Number.isInteger(everyKSchedule) || everyKSchedule < 1) {
        throw new TensorError(
          'MultiSteps',
          `\`everyKSchedule\` must be an integer >= 1 or a function of the gradient step, found ${String(everyKSchedule)}`,
        );
      }
    } else if (typeof everyKSchedule !== 'function') {
      throw new TensorError(
        'MultiSteps',
        `\`everyKSchedule\` must be an integer >= 1 or a function of the gradient step, found ${String(everyKSchedule)}`,
      );
    }
    this.#opt = opt;
    this.#everyK = typeof everyKSchedule === 'number' ? () => everyKSchedule : everyKSchedule;
    this.#useGradMean = options.useGradMean ?? true;
    this.#shouldSkip = options.shouldSkipUpdateFn ?? neverSkip;
  }

  /**
   * The wrapped optimiser.
   *
   * @example
   * ```ts
   * const inner = sgd(0.1);
   * new MultiSteps(inner, 2).innerOpt === inner; // true
   * ```
   */
  get innerOpt(): GradientTransformation {
    return this.#opt;
  }

  /**
   * The initial state: no mini-steps yet, zero accumulated gradients, `opt`'s initial state.
   *
   * @example
   * ```ts
   * const state = new MultiSteps(sgd(0.1), 2).init({ w: numpy.ones([2]) });
   * (state.accGrads as { w: Tensor }).w.tolist(); // [0, 0]
   * ```
   */
  init(params: unknown): MultiStepsState {
    const accGrads = zerosLike('MultiSteps', params);
    const gradientStep = zeroCount();
    return {
      miniStep: zeroCount(),
      gradientStep,
      innerOptState: this.#opt.init(params),
      accGrads,
      skipState: this.#shouldSkip(accGrads, gradientStep, params)[1],
    };
  }

  /**
   * Adds `updates` to the accumulated gradients; returns zeros, or on every k-th mini-step `opt`'s update
   * of the accumulated mean (or sum).
   *
   * @example
   * ```ts
   * const optimiser = new MultiSteps(sgd(1), 3);
   * const [updates, state] = optimiser.update({ w: numpy.array([6]) }, optimiser.init({ w: numpy.zeros([1]) }));
   * [updates.w.item(), state.miniStep.item()]; // [0, 1]
   * ```
   */
  update<U>(updates: U, state: MultiStepsState, params?: unknown): [U, MultiStepsState] {
    const k = numpy.asarray(this.#everyK(state.gradientStep)).astype('int32');
    const [skip, skipState] = this.#shouldSkip(updates, state.gradientStep, params);
    if (!(skip instanceof Tensor) || skip.dtype !== 'bool' || skip.ndim !== 0) {
      throw new TensorError(
        'MultiSteps',
        `\`shouldSkipUpdateFn\` must return a boolean scalar tensor first, found ${String(skip)}`,
      );
    }
    // Welford's running mean, acc + (g - acc) / (n + 1), stays accurate over many mini-steps.
    const seen = state.miniStep.astype('float32').add(1);
    const accGrads = this.#useGradMean
      ? mapTensors((g, acc) => acc.add(g.sub(acc).div(seen)), updates, state.accGrads)
      : mapTensors((g, acc) => acc.add(g), updates, state.accGrads);
    const [innerUpdates, innerState] = this.#opt.update(accGrads, state.innerOptState, params);
    const emit = state.miniStep.eq(k.sub(1));
    const taken = {
      miniStep: numpy.remainder(incrementCount(state.miniStep), k).astype('int32'),
      gradientStep: numpy
        .where(emit, incrementCount(state.gradientStep), state.gradientStep)
        .astype('int32'),
      innerOptState: selectTree(emit, innerState, state.innerOptState),
      accGrads: mapTensors((acc) => numpy.where(emit, 0, acc), accGrads),
    };
    const out = mapTensors((u) => numpy.where(emit, u, 0), innerUpdates);
    // A skipped mini-step leaves the state as it was (but for `skipState`) and returns zeros.
    const { miniStep, gradientStep, innerOptState } = state;
    const kept = { miniStep, gradientStep, innerOptState, accGrads: state.accGrads };
    return [
      mapTensors((u) => numpy.where(skip, 0, u), out),
      { ...selectTree(skip, kept, taken), skipState },
    ];
  }

  /**
   * Whether the last `update` applied the inner optimiser (Optax's `has_updated`): a boolean scalar.
   *
   * @example
   * ```ts
   * const optimiser = new MultiSteps(sgd(1), 1);
   * const [, state] = optimiser.update({ w: numpy.array([1]) }, optimiser.init({ w: numpy.zeros([1]) }));
   * optimiser.hasUpdated(state).tolist(); // true
   * ```
   */
  hasUpdated(state: MultiStepsState): Tensor {
    return numpy.logicalAnd(state.miniStep.eq(0), state.gradientStep.gt(0));
  }

  /**
   * This wrapper as a plain `{ init, update }` object (Optax's `gradient_transformation()`), for APIs
   * that copy the functions off the object.
   *
   * @example
   * ```ts
   * const { init, update } = new MultiSteps(sgd(1), 2).gradientTransformation();
   * const [updates] = update({ w: numpy.array([1]) }, init({ w: numpy.zeros([1]) }));
   * updates.w.tolist(); // [0]
   * ```
   */
  gradientTransformation(): GradientTransformation<MultiStepsState> {
    return {
      init: (params) => this.init(params),
      update: (updates, state, params) => this.update(updates, state, params),
    };
  }
}
