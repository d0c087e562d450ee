/** `BatchNorm`: normalises each channel by statistics over the batch, as `eqx.nn.BatchNorm`. */
import { type Tensor, TensorError, lax, numpy } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { State, StatefulLayer, StateIndex } from '../state/state.js';
import { aval, checkRange, checkSize } from './checks.js';
import { booleanOption, channelShape, epsOption } from './norm-helpers.js';

/**
 * Options of {@link BatchNorm}.
 *
 * @example
 * ```ts
 * const options: BatchNormOptions = { momentum: 0.9, channelwiseAffine: false };
 * ```
 */
export interface BatchNormOptions {
  /** Added to the variance before the square root, for numerical stability. Default `1e-5`. */
  eps?: number;
  /** Whether to apply a learned per-channel `weight` (ones) and `bias` (zeros). Default `true`. */
  channelwiseAffine?: boolean;
  /**
   * How much of the running statistics each training step keeps: `running = momentum * running +
   * (1 - momentum) * batch`. In `[0, 1]`; default `0.99`.
   */
  momentum?: number;
  /**
   * If `true`, normalise with the running statistics and leave the state alone (evaluation). Default
   * `false`. Switch a whole model with `inferenceMode`, or per call with `call`'s `inference`.
   */
  inference?: boolean;
}

/**
 * Options of {@link BatchNorm.call}.
 *
 * @example
 * ```ts
 * const options: BatchNormCallOptions = { inference: true };
 * ```
 */
export interface BatchNormCallOptions {
  /** Ignored; accepted so that every layer can be called with a key. */
  key?: Tensor;
  /** Overrides the layer's `inference` field for this call when given. */
  inference?: boolean;
}

/**
 * Batch normalisation (Equinox's `eqx.nn.BatchNorm`, its default `mode: "ema"`): each channel is
 * normalised by a mean and (biased) variance over the batch and every spatial position, then scaled
 * by `weight` and shifted by `bias`. A stateful layer: build it with `makeWithState(BatchNorm)(...)`.
 *
 * - `inputSize`: the number of channels.
 * - `axisName`: the name of the `vmap` axis the batch is mapped over (`vmap(f, { axisName })`), or a
 *   list of names to take statistics over several nested named axes. Static.
 * - `eps`, `channelwiseAffine`, `momentum`, `inference`: see {@link BatchNormOptions}.
 *
 * `call(x, state, { inference })` takes one example `x` of shape `[inputSize, ...spatial]` and the
 * {@link State}, and returns `[y, state]` with `y` of the same shape. It must run inside a `vmap`
 * with a matching `axisName` while training (the batch statistics are `lax.pmean`s over it); map the
 * state with `inAxes` null and return it with `outAxes` null.
 *
 * Training: the batch mean and variance update the running statistics, `running = momentum *
 * running + (1 - momentum) * batch`, except on the first call, which sets them to the batch's; the
 * output is normalised with these updated running statistics (so on the first call with the batch's
 * own). This is Equinox's classic behaviour and its default `mode: "ema"`; newer Equinox also has
 * `mode: "batch"` (normalise with the batch statistics while training), which is not ported.
 * Inference: normalises with the running statistics; the state is returned unchanged.
 *
 * The state holds a `firstTime` bool (`firstTimeIndex`) and `[runningMean, runningVar]`
 * (`stateIndex`), both `[inputSize]` and zeros at first, as in Equinox.
 *
 * @example
 * ```ts
 * const [bn, state] = makeWithState(BatchNorm)(2, 'batch', { eps: 0 });
 * const step = vmap(bn.call, { axisName: 'batch', inAxes: [0, null], outAxes: [0, null] });
 * const [y, next] = step(numpy.array([[1, 10], [3, 30]]), state);
 * y.tolist(); // [[-1, -1], [1, 1]]
 * next.get(bn.stateIndex)[0].tolist(); // [2, 20]
 * bn.call(numpy.array([2, 20]), next, { inference: true })[0].tolist(); // [0, 0]
 * ```
 */
export class BatchNorm extends StatefulLayer {
  weight: Tensor | null;
  bias: Tensor | null;
  firstTimeIndex: StateIndex<Tensor>;
  stateIndex: StateIndex<[Tensor, Tensor]>;
  inference: boolean;
  axisName: string | readonly string[] = field({ static: true });
  inputSize: number = field({ static: true });
  eps: number = field({ static: true });
  channelwiseAffine: boolean = field({ static: true });
  momentum: number = field({ static: true });

  constructor(
    inputSize: number,
    axisName: string | readonly string[],
    options: BatchNormOptions = {},
  ) {
    super();
    this.inputSize = checkSize('BatchNorm', 'inputSize', inputSize);
    const names = typeof axisName === 'string' ? [axisName] : axisName;
    if (
      !Array.isArray(names) ||
      names.length === 0 ||
      names.some((n) => typeof n !== 'string' || n === '')
    ) {
      throw new TensorError(
        'BatchNorm',
        `\`axisName\` must be a non-empty string (the vmap's axisName) or a list of them, found ${JSON.stringify(axisName)}`,
      );
    }
    this.eps = epsOption('BatchNorm', options.eps);
    this.channelwiseAffine = booleanOption(
      'BatchNorm',
      'channelwiseAffine',
      options.channelwiseAffine,
      true,
    );
    this.momentum =
      options.momentum === undefined
        ? 0.99
        : checkRange('BatchNorm', 'momentum', options.momentum, 0, 1);
    this.weight = this.channelwiseAffine ? numpy.ones([inputSize]) : null;
    this.bias = this.channelwiseAffine ? numpy.zeros([inputSize]) : null;
    this.firstTimeIndex = new StateIndex(numpy.array(true));
    this.stateIndex = new StateIndex<[Tensor, Tensor]>([
      numpy.zeros([inputSize]),
      numpy.zeros([inputSize]),
    ]);
    this.inference = booleanOption('BatchNorm', 'inference', options.inference, false);
    this.axisName = typeof axisName === 'string' ? axisName : Object.freeze([...axisName]);
  }

  /** Normalises one example `[inputSize, ...spatial]`; returns `[y, state]` (see the class). */
  call(x: Tensor, state: State, options: BatchNormCallOptions = {}): [Tensor, State] {
    if (!(state instanceof State)) {
      throw new TensorError(
        'BatchNorm',
        'call(x, state): `state` must be the State from makeWithState(BatchNorm)(...), found ' +
          (state === undefined ? 'nothing' : typeof state),
      );
    }
    if (x.ndim < 1 || x.shape[0] !== this.inputSize) {
      throw new TensorError(
        'BatchNorm',
        `expected \`x\` of shape [${this.inputSize}, ...spatial] (one example, channels first), found ${aval(x)}`,
      );
    }
    const inference = options.inference ?? this.inference;
    let mean: Tensor;
    let variance: Tensor;
    let next = state;
    if (inference) {
      [mean, variance] = state.get(this.stateIndex);
    } else {
      const perChannel = channelShape(this.inputSize, x.ndim);
      const batchMean = this.batchMean(x);
      const centred = x.sub(batchMean.reshape(perChannel));
      const batchVar = numpy.maximum(this.batchMean(numpy.square(centred)), 0);
      const firstTime = state.get(this.firstTimeIndex);
      const [runningMean, runningVar] = state.get(this.stateIndex);
      const m = this.momentum;
      // numpy.where rather than an if: firstTime is a tensor, possibly traced by jit.
      mean = numpy.where(firstTime, batchMean, batchMean.mul(1 - m).add(runningMean.mul(m)));
      variance = numpy.where(firstTime, batchVar, batchVar.mul(1 - m).add(runningVar.mul(m)));
      next = state
        .set(this.firstTimeIndex, numpy.array(false))
        .set(this.stateIndex, [mean, variance]);
    }
    const perChannel = channelShape(this.inputSize, x.ndim);
    let y = x
      .sub(mean.reshape(perChannel))
      .div(numpy.sqrt(variance.add(this.eps)).reshape(perChannel));
    if (this.weight !== null && this.bias !== null) {
      y = y.mul(this.weight.reshape(perChannel)).add(this.bias.reshape(perChannel));
    }
    return [y, next];
  }

  /** The mean of `v` per channel over its spatial axes and over the named batch axes: `[inputSize]`. */
  private batchMean(v: Tensor): Tensor {
    const spatial = v.shape.map((_, d) => d).slice(1);
    let mean = spatial.length === 0 ? v : numpy.mean(v, { axis: spatial });
    const names = typeof this.axisName === 'string' ? [this.axisName] : this.axisName;
    for (const name of names) {
      try {
        mean = lax.pmean(mean, name);
      } catch (error) {
        if (!(error instanceof TensorError)) throw error;
        throw new TensorError(
          'BatchNorm',
          `training needs the batch: call the layer inside vmap(f, { axisName: ${JSON.stringify(name)} }), ` +
            `or use inference mode (${error.message})`,
        );
      }
    }
    return mean;
  }
}
