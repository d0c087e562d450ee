/** `RMSNorm`: rescales an example by its root mean square, as `eqx.nn.RMSNorm`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import type { State } from '../state/state.js';
import { aval, checkTensor } from './checks.js';
import type { NormCallOptions } from './layer-norm.js';
import {
  booleanOption,
  epsOption,
  shapeArgument,
  splitStateArgument,
  withState,
} from './norm-helpers.js';

/**
 * Options of {@link RMSNorm}.
 *
 * @example
 * ```ts
 * const options: RMSNormOptions = { eps: 1e-6, useBias: false };
 * ```
 */
export interface RMSNormOptions {
  /** Added to the mean square before the square root, for numerical stability. Default `1e-5`. */
  eps?: number;
  /** Whether to multiply by a learned `weight` of the input's shape (initialised to ones). Default `true`. */
  useWeight?: boolean;
  /** Whether to add a learned `bias` of the input's shape (initialised to zeros). Default `true`, as in Equinox. */
  useBias?: boolean;
}

/**
 * Root-mean-square normalisation (Equinox's `eqx.nn.RMSNorm`): `x / sqrt(mean(x^2) + eps) * weight +
 * bias`, a LayerNorm that rescales without centring.
 *
 * - `shape`: the shape of one input, an int (`[shape]`) or a list of ints; `weight` and `bias` have
 *   this shape.
 * - `eps`, `useWeight`, `useBias`: see {@link RMSNormOptions}. Equinox adds a bias by default
 *   (`useBias: true`); pass `useBias: false` for the bias-free RMSNorm of most transformers.
 *
 * `call(x)` takes `x` of exactly `shape` and returns the same shape (batch with `vmap`).
 * `call(x, state)` also accepts a `State` and returns `[y, state]` unchanged, for interchangeability
 * with `BatchNorm`.
 *
 * @example
 * ```ts
 * const norm = new RMSNorm(2, { eps: 0 });
 * norm.call(numpy.array([2, -2])).tolist(); // [1, -1]
 * new RMSNorm([2, 3], { useBias: false }).bias; // null
 * vmap(norm.call)(numpy.ones([5, 2])).shape; // [5, 2]
 * ```
 */
export class RMSNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  shape: readonly number[] = field({ static: true });
  eps: number = field({ static: true });
  useWeight: boolean = field({ static: true });
  useBias: boolean = field({ static: true });

  constructor(shape: number | readonly number[], options: RMSNormOptions = {}) {
    super();
    this.shape = shapeArgument('RMSNorm', 'shape', shape);
    this.eps = epsOption('RMSNorm', options.eps);
    this.useWeight = booleanOption('RMSNorm', 'useWeight', options.useWeight, true);
    this.useBias = booleanOption('RMSNorm', 'useBias', options.useBias, true);
    this.weight = this.useWeight ? numpy.ones(this.shape) : null;
    this.bias = this.useBias ? numpy.zeros(this.shape) : null;
  }

  /** Normalises `x` (of shape `shape`); with a `state`, returns `[y, state]` with the state unchanged. */
  call(x: Tensor, state: State, options?: NormCallOptions): [Tensor, State];
  call(x: Tensor, options?: NormCallOptions): Tensor;
  call(
    x: Tensor,
    stateOrOptions?: State | NormCallOptions,
    maybeOptions?: NormCallOptions,
  ): Tensor | [Tensor, State] {
    checkTensor('RMSNorm', x, 'to normalise');
    const [state] = splitStateArgument(stateOrOptions, maybeOptions);
    const shape = this.shape;
    if (x.ndim !== shape.length || x.shape.some((n, d) => n !== shape[d])) {
      const hint =
        x.ndim > shape.length ? '; to normalise each example of a batch, vmap the layer' : '';
      throw new TensorError(
        'RMSNorm',
        `expected \`x\` of shape [${shape.join(', ')}] (the layer's \`shape\`), found ${aval(x)}${hint}`,
      );
    }
    const meanSquare = numpy.mean(numpy.square(x));
    let y = x.div(numpy.sqrt(meanSquare.add(this.eps)));
    if (this.weight !== null) y = y.mul(this.weight);
    if (this.bias !== null) y = y.add(this.bias);
    return withState(y, state);
  }
}
