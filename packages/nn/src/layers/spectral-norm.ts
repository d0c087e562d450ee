/** `SpectralNorm`: a layer's weight divided by its largest singular value, as `eqx.nn.SpectralNorm`. */
import { type Tensor, TensorError, lax, numpy, random } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { type State, StateIndex, StatefulLayer } from '../state/state.js';
import { checkRange } from './checks.js';
import type { WeightedLayer } from './weight-norm.js';
import { weightOf, withWeight } from './wrapped-weight.js';

/** Power iterations run at construction, so the first σ is already a good estimate (as Equinox). */
const INITIAL_ITERATIONS = 15;

/**
 * Options of {@link SpectralNorm}.
 *
 * @example
 * ```ts
 * const options: SpectralNormOptions = { key: random.key(0), numPowerIterations: 2 };
 * ```
 */
export interface SpectralNormOptions {
  /** The random key the power-iteration vectors `u` and `v` start from. */
  key: Tensor;
  /** Power iterations per training call. Default `1`. */
  numPowerIterations?: number;
  /** Floor on the norms the iteration divides by, for stability. Default `1e-12`. */
  eps?: number;
  /** Whether the layer starts in inference mode (no power iterations). Default `false`. */
  inference?: boolean;
}

/**
 * Options of {@link SpectralNorm.call}.
 *
 * @example
 * ```ts
 * const options: SpectralNormCallOptions = { inference: true };
 * options.inference; // true
 * ```
 */
export interface SpectralNormCallOptions {
  /** Ignored; accepted for `Sequential`, as in Equinox. */
  key?: Tensor;
  /** Overrides the layer's `inference` field for this call when given. */
  inference?: boolean;
}

/** One step of power iteration on the matrix `w`: `u ∝ W v`, then `v ∝ Wᵀ u`, both of unit norm. */
function powerIteration(w: Tensor, v: Tensor, eps: number): [Tensor, Tensor] {
  const unit = (x: Tensor) => x.div(numpy.maximum(numpy.sqrt(numpy.sum(x.mul(x))), eps));
  const u = unit(numpy.matmul(w, v));
  return [u, unit(numpy.matmul(w.transpose(), u))];
}

/** The weight as the matrix the power iteration works on: `[shape[0], rest]`. */
function asMatrix(weight: Tensor): Tensor {
  return weight.reshape([weight.shape[0]!, weight.size / weight.shape[0]!]);
}

/**
 * Spectral normalisation (Equinox's `eqx.nn.SpectralNorm`, Miyato et al., 2018): the wrapped layer is
 * called with its weight `W` divided by `σ(W)`, an estimate of its largest singular value, so the
 * layer is (about) 1-Lipschitz. Common in the discriminators of GANs.
 *
 * `σ = uᵀ W v` comes from power iteration; the vectors `u` and `v` are state (make the layer with
 * {@link makeWithState}). In training every call runs `numPowerIterations` more steps (on `W` held
 * fixed for differentiation: gradients flow through `σ`'s `W` only) and returns the state with the new
 * vectors; in inference the stored vectors are used and the state is returned unchanged.
 *
 * - `layer`: the layer to wrap, usually a `Linear` or a convolution.
 * - `weightName`: the name of its weight field; the weight must have rank 2 or more, and is treated as
 *   the matrix `[shape[0], product of the rest]`.
 * - `numPowerIterations`: power iterations per training call. Default `1`.
 * - `eps`: floor on the norms divided by. Default `1e-12`.
 * - `inference`: start in inference mode. Default `false`; switch with `inferenceMode`.
 * - `key`: the random key of the initial `u` `[shape[0]]` and `v` `[rest]`: standard normal draws,
 *   refined by 15 power iterations at construction, as in Equinox.
 *
 * `call(x, state, { inference })` takes what the wrapped layer takes and returns `[y, state]`. With
 * `vmap`, map the state with `inAxes` null and `outAxes` null.
 *
 * @example
 * ```ts
 * const linear = new Linear(3, 2, { key: random.key(0) });
 * const [layer, state] = makeWithState(SpectralNorm)(linear, 'weight', { key: random.key(1) });
 * const [y, next] = layer.call(numpy.ones([3]), state);
 * y.shape; // [2]
 * const [u, v] = next.get(layer.uvIndex);
 * [u.shape, v.shape]; // [[2], [3]]
 * const batched = vmap(layer.call, { inAxes: [0, null], outAxes: [0, null] });
 * batched(numpy.ones([5, 3]), state)[0].shape; // [5, 2]
 * ```
 */
export class SpectralNorm<L extends WeightedLayer> extends StatefulLayer {
  /** The wrapped layer, with its unnormalised weight. */
  layer: L;
  weightName: string = field({ static: true });
  /** Where the power-iteration vectors `[u, v]` live in the {@link State}. */
  uvIndex: StateIndex<[Tensor, Tensor]>;
  numPowerIterations: number = field({ static: true });
  eps: number = field({ static: true });
  /** In inference mode no power iterations run and the state is not updated. */
  inference: boolean;

  constructor(layer: L, weightName: string, options: SpectralNormOptions) {
    super();
    if (typeof options !== 'object' || options === null || options.key === undefined) {
      throw new TensorError('SpectralNorm', 'the `key` option is required: { key: random.key(0) }');
    }
    const weight = weightOf('SpectralNorm', layer, weightName);
    if (weight.ndim < 2) {
      throw new TensorError(
        'SpectralNorm',
        `the weight '${weightName}' must have rank 2 or more, found ${weight.dtype}[${weight.shape.join(', ')}]`,
      );
    }
    const { numPowerIterations = 1, eps = 1e-12, inference = false } = options;
    if (!Number.isInteger(numPowerIterations)) {
      throw new TensorError(
        'SpectralNorm',
        `\`numPowerIterations\` must be a non-negative integer, found ${String(numPowerIterations)}`,
      );
    }
    checkRange('SpectralNorm', 'numPowerIterations', numPowerIterations, 0, Infinity);
    checkRange('SpectralNorm', 'eps', eps, 0, Infinity);
    if (typeof inference !== 'boolean') {
      throw new TensorError(
        'SpectralNorm',
        `\`inference\` must be a boolean, found ${typeof inference}`,
      );
    }
    this.layer = layer;
    this.weightName = weightName;
    const matrix = asMatrix(weight);
    const [uKey, vKey] = random.split(options.key);
    let u = random.normal(uKey!, [matrix.shape[0]!], { dtype: weight.dtype });
    let v = random.normal(vKey!, [matrix.shape[1]!], { dtype: weight.dtype });
    for (let i = 0; i < INITIAL_ITERATIONS; i++) [u, v] = powerIteration(matrix, v, eps);
    this.uvIndex = new StateIndex<[Tensor, Tensor]>([u, v]);
    this.numPowerIterations = numPowerIterations;
    this.eps = eps;
    this.inference = inference;
  }

  /**
   * The wrapped layer's output on `x` with its weight divided by `σ`, and the state with the updated
   * power-iteration vectors (unchanged in inference).
   */
  call(x: Tensor, state: State, options: SpectralNormCallOptions = {}): [Tensor, State] {
    let [u, v] = state.get(this.uvIndex);
    const weight = weightOf('SpectralNorm', this.layer, this.weightName);
    const matrix = asMatrix(weight);
    if (!(options.inference ?? this.inference)) {
      // The vectors are an estimate, not part of the function being differentiated.
      const fixed = lax.stopGradient(matrix);
      for (let i = 0; i < this.numPowerIterations; i++) [u, v] = powerIteration(fixed, v, this.eps);
      state = state.set(this.uvIndex, [u, v]);
    }
    const sigma = numpy.dot(u, numpy.matmul(matrix, v));
    const normalised = matrix.div(sigma).reshape(weight.shape);
    return [withWeight(this.layer, this.weightName, normalised).call(x), state];
  }
}
