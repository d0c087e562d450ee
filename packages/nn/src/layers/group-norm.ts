/** `GroupNorm`: normalises groups of channels separately, as `eqx.nn.GroupNorm`. */
import { type Tensor, TensorError, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import type { State } from '../state/state.js';
import { aval, checkSize, checkTensor } from './checks.js';
import type { NormCallOptions } from './layer-norm.js';
import {
  booleanOption,
  channelShape,
  epsOption,
  splitStateArgument,
  withState,
} from './norm-helpers.js';

/**
 * Options of {@link GroupNorm}.
 *
 * @example
 * ```ts
 * const options: GroupNormOptions = { eps: 1e-6, channelwiseAffine: false };
 * ```
 */
export interface GroupNormOptions {
  /** Added to the variance before the square root, for numerical stability. Default `1e-5`. */
  eps?: number;
  /**
   * Whether to apply a learned per-channel `weight` (ones) and `bias` (zeros) of shape `[channels]`
   * after normalising. Default `true`; then `channels` must be given.
   */
  channelwiseAffine?: boolean;
}

/**
 * Group normalisation (Equinox's `eqx.nn.GroupNorm`): the channels (the first axis) are split into
 * `groups` groups of `channels / groups` consecutive channels; each group is normalised with its own
 * mean and (biased) variance over its channels and every spatial position, then each channel is
 * scaled by `weight` and shifted by `bias`.
 *
 * - `groups`: the number of groups; it must divide the number of channels.
 * - `channels`: the number of channels; may be `null` when `channelwiseAffine` is false (then any
 *   channel count divisible by `groups` is accepted).
 * - `eps`, `channelwiseAffine`: see {@link GroupNormOptions}.
 *
 * `call(x)` takes `x` of shape `[channels, ...spatial]` (channels first, any number of spatial axes,
 * possibly none) and returns the same shape. `call(x, state)` also accepts a `State` and returns
 * `[y, state]` unchanged, for interchangeability with `BatchNorm`.
 *
 * @example
 * ```ts
 * const norm = new GroupNorm(2, 4);
 * norm.call(numpy.ones([4, 3, 3])).shape; // [4, 3, 3]
 * norm.weight!.shape; // [4]
 * new GroupNorm(2, null, { channelwiseAffine: false }).call(numpy.array([0, 2, 5, 5])).tolist(); // [-0.9999949932098389, 0.9999949932098389, 0, 0]
 * ```
 */
export class GroupNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  groups: number = field({ static: true });
  channels: number | null = field({ static: true });
  eps: number = field({ static: true });
  channelwiseAffine: boolean = field({ static: true });

  constructor(groups: number, channels: number | null = null, options: GroupNormOptions = {}) {
    super();
    this.groups = checkSize('GroupNorm', 'groups', groups);
    this.channels = channels === null ? null : checkSize('GroupNorm', 'channels', channels);
    this.eps = epsOption('GroupNorm', options.eps);
    this.channelwiseAffine = booleanOption(
      'GroupNorm',
      'channelwiseAffine',
      options.channelwiseAffine,
      true,
    );
    if (this.channels !== null && this.channels % this.groups !== 0) {
      throw new TensorError(
        'GroupNorm',
        `\`groups\` must divide \`channels\`: ${this.channels} channels do not split into ${this.groups} groups`,
      );
    }
    if (this.channels === null && this.channelwiseAffine) {
      throw new TensorError(
        'GroupNorm',
        '`channels` must be given when `channelwiseAffine` is true (the weight and bias have shape [channels])',
      );
    }
    this.weight = this.channelwiseAffine ? numpy.ones([this.channels!]) : null;
    this.bias = this.channelwiseAffine ? numpy.zeros([this.channels!]) : null;
  }

  /** Normalises `x` of shape `[channels, ...spatial]`; with a `state`, returns `[y, state]` unchanged. */
  call(x: Tensor, state: State, options?: NormCallOptions): [Tensor, State];
  call(x: Tensor, options?: NormCallOptions): Tensor;
  call(
    x: Tensor,
    stateOrOptions?: State | NormCallOptions,
    maybeOptions?: NormCallOptions,
  ): Tensor | [Tensor, State] {
    checkTensor('GroupNorm', x, 'to normalise');
    const [state] = splitStateArgument(stateOrOptions, maybeOptions);
    const channels = x.shape[0];
    const expected = this.channels ?? '*';
    if (channels === undefined || (this.channels !== null && channels !== this.channels)) {
      throw new TensorError(
        'GroupNorm',
        `expected \`x\` of shape [${expected}, ...spatial] (channels first), found ${aval(x)}`,
      );
    }
    if (channels % this.groups !== 0) {
      throw new TensorError(
        'GroupNorm',
        `the ${channels} channels of \`x\` (${aval(x)}) do not split into ${this.groups} groups`,
      );
    }
    const grouped = x.reshape([this.groups, channels / this.groups, ...x.shape.slice(1)]);
    const within = grouped.shape.map((_, d) => d).slice(1);
    const mean = numpy.mean(grouped, { axis: within, keepdims: true });
    const variance = numpy.maximum(numpy.variance(grouped, { axis: within, keepdims: true }), 0);
    let y = grouped
      .sub(mean)
      .div(numpy.sqrt(variance.add(this.eps)))
      .reshape(x.shape);
    if (this.weight !== null && this.bias !== null) {
      const perChannel = channelShape(channels, x.ndim);
      y = y.mul(this.weight.reshape(perChannel)).add(this.bias.reshape(perChannel));
    }
    return withState(y, state);
  }
}
