/** `MLP`: a multi-layer perceptron, as `eqx.nn.MLP`. */
import { type Tensor, nn as jnn, random } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { checkSize, initKey } from './checks.js';
import { Linear } from './linear.js';

/**
 * Options of {@link MLP}.
 *
 * @example
 * ```ts
 * const options: MLPOptions = { key: random.key(0), activation: jnn.tanh };
 * ```
 */
export interface MLPOptions {
  /** The random key for the layers' initialisation. */
  key: Tensor;
  /** Applied after every hidden layer. Default `relu`. */
  activation?: (x: Tensor) => Tensor;
  /** Applied to the output. Default the identity. */
  finalActivation?: (x: Tensor) => Tensor;
  /** Whether the hidden layers have biases. Default `true`. */
  useBias?: boolean;
  /** Whether the output layer has a bias. Default `true`. */
  useFinalBias?: boolean;
}

const identity = (x: Tensor): Tensor => x;

/**
 * A multi-layer perceptron (Equinox's `eqx.nn.MLP`): `depth` hidden layers of `widthSize` units, then
 * an output layer, as `depth + 1` {@link Linear} layers.
 *
 * - `inSize`, `outSize`: input and output sizes, or `'scalar'` for shape `[]`.
 * - `widthSize`: the size of every hidden layer.
 * - `depth`: the number of hidden layers (0: a single Linear layer).
 * - `activation`, `finalActivation`, `useBias`, `useFinalBias`, `key`: see {@link MLPOptions}.
 *
 * `call(x)` takes `[inSize]` (or `[]`) and returns `[outSize]` (or `[]`).
 *
 * @example
 * ```ts
 * const mlp = new MLP(2, 3, 16, 2, { key: random.key(0) });
 * mlp.layers.length; // 3
 * vmap(mlp.call)(numpy.ones([5, 2])).shape; // [5, 3]
 * ```
 */
export class MLP extends Module {
  layers: readonly Linear[];
  activation: (x: Tensor) => Tensor = field({ static: true });
  finalActivation: (x: Tensor) => Tensor = field({ static: true });
  inSize: number | 'scalar' = field({ static: true });
  outSize: number | 'scalar' = field({ static: true });
  widthSize: number = field({ static: true });
  depth: number = field({ static: true });

  constructor(
    inSize: number | 'scalar',
    outSize: number | 'scalar',
    widthSize: number,
    depth: number,
    options: MLPOptions,
  ) {
    super();
    const key = initKey('MLP', options);
    checkSize('MLP', 'widthSize', widthSize);
    if (!Number.isInteger(depth) || depth < 0) {
      throw new TypeError(`MLP: \`depth\` must be a non-negative integer, found ${String(depth)}`);
    }
    const keys = [...random.split(key, depth + 1)];
    const useBias = options.useBias ?? true;
    const useFinalBias = options.useFinalBias ?? true;
    const layers: Linear[] = [];
    for (let i = 0; i <= depth; i++) {
      const last = i === depth;
      layers.push(
        new Linear(i === 0 ? inSize : widthSize, last ? outSize : widthSize, {
          key: keys[i]!,
          useBias: last ? useFinalBias : useBias,
        }),
      );
    }
    this.layers = layers;
    this.activation = options.activation ?? jnn.relu;
    this.finalActivation = options.finalActivation ?? identity;
    this.inSize = inSize;
    this.outSize = outSize;
    this.widthSize = widthSize;
    this.depth = depth;
  }

  /** Runs the perceptron on one example. */
  call(x: Tensor, _options?: { key?: Tensor }): Tensor {
    let y = x;
    this.layers.forEach((layer, i) => {
      y = layer.call(y);
      y = i < this.layers.length - 1 ? this.activation(y) : this.finalActivation(y);
    });
    return y;
  }
}
