/** `LayerNorm`: normalises a whole example to mean 0 and variance 1, as `eqx.nn.LayerNorm`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import type { State } from '../state/state.js';
import { aval, checkTensor } from './checks.js';
import {
  booleanOption,
  epsOption,
  shapeArgument,
  splitStateArgument,
  withState,
} from './norm-helpers.js';

/**
 * Options of {@link LayerNorm}.
 *
 * @example
 * ```ts
 * const options: LayerNormOptions = { eps: 1e-6, useBias: false };
 * ```
 */
export interface LayerNormOptions {
  /** Added to the variance before the square root, for numerical stability. Default `1e-5`. */
  eps?: number;
  /** Whether to multiply by a learned `weight` of the input's shape (initialised to ones). Default `true`. */
  useWeight?: boolean;
  /** Whether to add a learned `bias` of the input's shape (initialised to zeros). Default `true`. */
  useBias?: boolean;
}

/**
 * Options of `call` for the normalisation layers: a key, accepted and ignored (as in Equinox).
 *
 * @example
 * ```ts
 * const options: NormCallOptions = { key: random.key(0) };
 * new LayerNorm(2).call(numpy.array([1, 3]), options).shape; // [2]
 * ```
 */
export interface NormCallOptions {
  /** Ignored; accepted so that every layer can be called with a key. */
  key?: Tensor;
}

/**
 * Layer normalisation (Equinox's `eqx.nn.LayerNorm`): `(x - mean(x)) / sqrt(var(x) + eps) * weight +
 * bias`, with the mean and the (biased) variance over every element of the example.
 *
 * - `shape`: the shape of one input, an int (`[shape]`) or a list of ints; `weight` and `bias` have
 *   this shape. `null` accepts any shape and needs `useWeight` and `useBias` false (there is nothing
 *   to size the parameters by), as older Equinox versions allowed.
 * - `eps`, `useWeight`, `useBias`: see {@link LayerNormOptions}.
 *
 * `call(x)` takes `x` of exactly `shape` and returns the same shape. As in Equinox (since v0.11) `x`
 * must match `shape` exactly: to normalise each row of a batch, `vmap` the layer. `call(x, state)`
 * also accepts a `State` and returns `[y, state]` unchanged, so that it can stand in for `BatchNorm`.
 *
 * @example
 * ```ts
 * const norm = new LayerNorm(4);
 * norm.call(numpy.array([1, 2, 3, 4])).mean().item(); // 0
 * vmap(norm.call)(numpy.ones([8, 4])).shape; // [8, 4]
 * new LayerNorm([2, 3]).weight!.shape; // [2, 3]
 * new LayerNorm(null, { useWeight: false, useBias: false }).call(numpy.array([1, 3])).tolist(); // [-0.9999949932098389, 0.9999949932098389]
 * ```
 */
export class LayerNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  shape: readonly number[] | null = field({ static: true });
  eps: number = field({ static: true });
  useWeight: boolean = field({ static: true });
  useBias: boolean = field({ static: true });

  constructor(shape: number | readonly number[] | null, options: LayerNormOptions = {}) {
    super();
    this.eps = epsOption('LayerNorm', options.eps);
    this.useWeight = booleanOption('LayerNorm', 'useWeight', options.useWeight, true);
    this.useBias = booleanOption('LayerNorm', 'useBias', options.useBias, true);
    if (shape === null && (this.useWeight || this.useBias)) {
      throw new TensorError(
        'LayerNorm',
        '`shape` may be null only with `useWeight: false` and `useBias: false` (the weight and bias have that shape)',
      );
    }
    this.shape = shape === null ? null : shapeArgument('LayerNorm', 'shape', shape);
    this.weight = this.useWeight ? numpy.ones(this.shape!) : null;
    this.bias = this.useBias ? numpy.zeros(this.shape!) : null;
  }

  /** Normalises `x` (of shape `shape`); with a `state`, returns `[y, state]` with the state unchanged. */
  call(x: Tensor, state: State, options?: NormCallOptions): [Tensor, State];
  call(x: Tensor, options?: NormCallOptions): Tensor;
  call(
    x: Tensor,
    stateOrOptions?: State | NormCallOptions,
    maybeOptions?: NormCallOptions,
  ): Tensor | [Tensor, State] {
    checkTensor('LayerNorm', x, 'to normalise');
    const [state] = splitStateArgument(stateOrOptions, maybeOptions);
    const shape = this.shape;
    if (shape !== null && (x.ndim !== shape.length || x.shape.some((n, d) => n !== shape[d]))) {
      const hint =
        x.ndim > shape.length ? '; to normalise each example of a batch, vmap the layer' : '';
      throw new TensorError(
        'LayerNorm',
        `expected \`x\` of shape [${shape.join(', ')}] (the layer's \`shape\`), found ${aval(x)}${hint}`,
      );
    }
    const mean = numpy.mean(x);
    // Rounding can make the variance a hair negative; Equinox clamps it too.
    const variance = numpy.maximum(numpy.variance(x), 0);
    let y = x.sub(mean).div(numpy.sqrt(variance.add(this.eps)));
    if (this.weight !== null) y = y.mul(this.weight);
    if (this.bias !== null) y = y.add(this.bias);
    return withState(y, state);
  }
}
