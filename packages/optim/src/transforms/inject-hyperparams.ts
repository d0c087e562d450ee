/** `injectHyperparams`: hyperparameters kept in the state, as Optax's `inject_hyperparams`. */
import { Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import type { ScalarOrSchedule, Schedule } from '../schedules/schedule.js';
import type { GradientTransformation } from '../transform.js';
import { incrementCount, zeroCount } from '../tree-math.js';

/**
 * The arguments of an optimiser factory with every number (at the top level or in an options object)
 * widened to a number, a scalar tensor or a schedule: what {@link injectHyperparams}'s result takes.
 *
 * @example
 * ```ts
 * const args: InjectableArgs<[number, { b1?: number }]> = [0.1, { b1: (count) => count.mul(0) }];
 * args.length; // 2
 * ```
 */
export type InjectableArgs<P extends unknown[]> = { [I in keyof P]: Injectable<P[I]> };

/**
 * One argument of {@link InjectableArgs}: numbers widen to a number, scalar tensor or schedule; options
 * objects widen field by field; everything else stays as it is.
 *
 * @example
 * ```ts
 * const rate: Injectable<number> = linearSchedule(0.1, 0.01, 100);
 * typeof rate; // 'function'
 * ```
 */
export type Injectable<T> = T extends number
  ? ScalarOrSchedule
  : T extends Tensor | boolean | string | ((...args: never[]) => unknown)
    ? T
    : T extends object
      ? { [K in keyof T]: Injectable<T[K]> }
      : T;

/**
 * Options of {@link injectHyperparams}.
 *
 * @example
 * ```ts
 * const options: InjectHyperparamsOptions = { argNames: ['maxNorm'] }; // for clipByGlobalNorm
 * options.argNames; // ['maxNorm']
 * ```
 */
export interface InjectHyperparamsOptions {
  /**
   * Names for the factory's leading arguments that are not options objects, in order. Default
   * `['learningRate']`, the first argument of every optimiser here.
   */
  argNames?: string[];
  /**
   * Hyperparameters to leave out of the state and pass to the factory as given (Optax's
   * `static_args`): for arguments the factory needs as plain numbers, or functions that are not
   * schedules.
   */
  staticArgs?: string[];
}

/**
 * The state of {@link injectHyperparams}'s transformations (Optax's `InjectHyperparamsState`).
 *
 * @example
 * ```ts
 * const state: InjectHyperparamsState = injectHyperparams(sgd)(0.1).init({ w: numpy.zeros([1]) });
 * state.count.item(); // 0
 * ```
 */
export interface InjectHyperparamsState {
  /** Steps taken (int32 scalar): the step at which schedules are evaluated. */
  count: Tensor;
  /**
   * Each injected hyperparameter's value at the last step (float32 scalars), by name. Replace an
   * unscheduled one (with a tensor of the same shape and dtype, so `jit` does not retrace) to change it
   * from the next step on; scheduled ones are recomputed from `count` every step.
   */
  hyperparams: Record<string, Tensor>;
  /** The state of the transformation the factory makes. */
  innerState: unknown;
}

/** A factory argument: an options object, a named value, or a value with no name (kept as it is). */
type Arg =
  | { kind: 'options'; options: Record<string, unknown> }
  | { kind: 'named'; name: string; value: unknown }
  | { kind: 'plain'; value: unknown };

type Kind =
  | { kind: 'static' }
  | { kind: 'numeric'; value: number | Tensor }
  | { kind: 'schedule'; value: Schedule };

function isOptionsObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Wraps an optimiser factory so that its numeric hyperparameters live in the state as tensors (Optax's
 * `inject_hyperparams`). The result takes the factory's own arguments, `(learningRate, options)` for the
 * optimisers here, where any number may also be a schedule. Numbers and tensors go into
 * `state.hyperparams` under their names (the options' keys; `learningRate` for the first argument, see
 * {@link InjectHyperparamsOptions}); schedules are evaluated at `state.count` every step and stored
 * there too; booleans and strings stay constants. Each step rebuilds the inner transformation from the
 * state's values, so a learning rate can be changed between steps by replacing
 * `state.hyperparams.learningRate`, without `jit` tracing the step again. The factory must accept
 * scalar tensors where it takes injected values (every learning rate does); name others in
 * `staticArgs`.
 *
 * @example
 * ```ts
 * const optimiser = injectHyperparams(sgd)(0.1);
 * const params = { w: numpy.array([1]) };
 * let state = optimiser.init(params);
 * state.hyperparams.learningRate.item(); // 0.10000000149011612
 * state = { ...state, hyperparams: { learningRate: numpy.array(0.5) } };
 * const [updates] = optimiser.update({ w: numpy.array([1]) }, state, params);
 * updates.w.tolist(); // [-0.5]
 * ```
 */
export function injectHyperparams<F extends (...args: never[]) => GradientTransformation>(
  innerFactory: F,
  options: InjectHyperparamsOptions = {},
): (...args: InjectableArgs<Parameters<F>>) => GradientTransformation<InjectHyperparamsState> {
  if (typeof innerFactory !== 'function') {
    throw new TensorError(
      'injectHyperparams',
      `\`innerFactory\` must be a function that makes a GradientTransformation, found ${String(innerFactory)}`,
    );
  }
  const argNames = options.argNames ?? ['learningRate'];
  const staticArgs = new Set(options.staticArgs ?? []);

  return (...args) => {
    const kinds = new Map<string, Kind>();
    const classify = (name: string, value: unknown): void => {
      if (kinds.has(name)) {
        throw new TensorError('injectHyperparams', `two arguments are named '${name}'`);
      }
      if (staticArgs.has(name)) kinds.set(name, { kind: 'static' });
      else if (typeof value === 'number' || value instanceof Tensor)
        kinds.set(name, { kind: 'numeric', value });
      else if (typeof value === 'function')
        kinds.set(name, { kind: 'schedule', value: value as Schedule });
      else kinds.set(name, { kind: 'static' });
    };
    const positional = (args as unknown[]).map((value, i): Arg => {
      if (isOptionsObject(value)) {
        Object.entries(value).forEach(([key, v]) => classify(key, v));
        return { kind: 'options', options: value };
      }
      const name = argNames[i];
      if (name === undefined) {
        if (typeof value === 'number' || value instanceof Tensor || typeof value === 'function') {
          throw new TensorError(
            'injectHyperparams',
            `argument ${i} has no name to keep it under; pass its name in \`argNames\` (found [${argNames.join(', ')}])`,
          );
        }
        return { kind: 'plain', value };
      }
      classify(name, value);
      return { kind: 'named', name, value };
    });
    const injected = [...kinds].filter(([, k]) => k.kind !== 'static').map(([name]) => name);

    // The factory's arguments with each injected hyperparameter replaced by its current tensor.
    const build = (values: Record<string, Tensor>): GradientTransformation => {
      const pick = (name: string, original: unknown) =>
        injected.includes(name) ? values[name] : original;
      const rebuilt = positional.map((a) =>
        a.kind === 'options'
          ? Object.fromEntries(Object.entries(a.options).map(([k, v]) => [k, pick(k, v)]))
          : a.kind === 'named'
            ? pick(a.name, a.value)
            : a.value,
      );
      try {
        return (innerFactory as unknown as (...a: unknown[]) => GradientTransformation)(...rebuilt);
      } catch (e) {
        throw new TensorError(
          'injectHyperparams',
          `the factory rejected the injected hyperparameters (${injected.join(', ')}), which it gets as ` +
            `scalar tensors; list the ones it needs as plain numbers in \`staticArgs\`. It said: ${(e as Error).message}`,
        );
      }
    };
    // Hyperparameter values at step `count`: schedules evaluated, the rest from `stored`.
    const valuesAt = (count: Tensor, stored: (name: string) => unknown): Record<string, Tensor> =>
      Object.fromEntries(
        injected.map((name) => {
          const k = kinds.get(name)!;
          const value = k.kind === 'schedule' ? k.value(count) : stored(name);
          return [name, value instanceof Tensor ? value : numpy.array(value as number)];
        }),
      );

    return {
      init: (params) => {
        const count = zeroCount();
        const hyperparams = valuesAt(
          count,
          (name) => (kinds.get(name) as { value: unknown }).value,
        );
        return { count, hyperparams, innerState: build(hyperparams).init(params) };
      },
      update: (updates, state, params) => {
        if (!(state?.count instanceof Tensor) || typeof state.hyperparams !== 'object') {
          throw new TensorError(
            'injectHyperparams',
            "expected the state made by this transformation's init ({ count, hyperparams, innerState })",
          );
        }
        const hyperparams = valuesAt(state.count, (name) => {
          if (!(name in state.hyperparams)) {
            throw new TensorError('injectHyperparams', `state.hyperparams.${name} is missing`);
          }
          return state.hyperparams[name];
        });
        const [out, innerState] = build(hyperparams).update(updates, state.innerState, params);
        return [out, { count: incrementCount(state.count), hyperparams, innerState }];
      },
    };
  };
}
