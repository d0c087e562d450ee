/** `Linear`: an affine map `W x + b`, as `eqx.nn.Linear`. */
import { type Tensor, numpy, random } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { checkExample, checkSize, initKey } from './checks.js';

/**
 * Options of {@link Linear}.
 *
 * @example
 * ```ts
 * const options: LinearOptions = { key: random.key(0), useBias: false };
 * ```
 */
export interface LinearOptions {
  /** The random key the weight and bias are drawn from. */
  key: Tensor;
  /** Whether to add a bias. Default `true`. */
  useBias?: boolean;
}

/**
 * An affine map `y = W x + b` on one example (Equinox's `eqx.nn.Linear`).
 *
 * - `inFeatures`: the size of the input, or `'scalar'` for an input of shape `[]`.
 * - `outFeatures`: the size of the output, or `'scalar'` for an output of shape `[]`.
 * - `useBias`: whether to add the bias `b`.
 * - `key`: the random key for initialisation. Weight `[outFeatures, inFeatures]` and bias
 *   `[outFeatures]` are drawn uniformly from `[-1/sqrt(inFeatures), 1/sqrt(inFeatures)]`, as in Equinox
 *   and PyTorch.
 *
 * `call(x)` takes `x` of shape `[inFeatures]` (or `[]`) and returns `[outFeatures]` (or `[]`). Batch with
 * `vmap`.
 *
 * @example
 * ```ts
 * const layer = new Linear(3, 2, { key: random.key(0) });
 * layer.call(numpy.ones([3])).shape; // [2]
 * vmap(layer.call)(numpy.ones([10, 3])).shape; // [10, 2]
 * new Linear('scalar', 'scalar', { key: random.key(1) }).call(numpy.array(2)).shape; // []
 * ```
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;
  inFeatures: number | 'scalar' = field({ static: true });
  outFeatures: number | 'scalar' = field({ static: true });
  useBias: boolean = field({ static: true });

  constructor(
    inFeatures: number | 'scalar',
    outFeatures: number | 'scalar',
    options: LinearOptions,
  ) {
    super();
    const key = initKey('Linear', options);
    const inSize = inFeatures === 'scalar' ? 1 : checkSize('Linear', 'inFeatures', inFeatures);
    const outSize = outFeatures === 'scalar' ? 1 : checkSize('Linear', 'outFeatures', outFeatures);
    const [wKey, bKey] = random.split(key);
    const limit = 1 / Math.sqrt(inSize);
    const bounds = { minval: -limit, maxval: limit };
    this.weight = random.uniform(wKey!, [outSize, inSize], bounds);
    this.useBias = options.useBias ?? true;
    this.bias = this.useBias ? random.uniform(bKey!, [outSize], bounds) : null;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
  }

  /** Applies the map to one example: `[inFeatures]` (or `[]`) to `[outFeatures]` (or `[]`). */
  call(x: Tensor): Tensor {
    checkExample('Linear', x, this.inFeatures === 'scalar' ? [] : [this.inFeatures]);
    const input = this.inFeatures === 'scalar' ? x.reshape([1]) : x;
    let y = numpy.matmul(this.weight, input);
    if (this.bias !== null) y = y.add(this.bias);
    return this.outFeatures === 'scalar' ? y.reshape([]) : y;
  }
}
