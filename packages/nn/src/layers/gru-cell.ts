/** `GRUCell`: one step of a gated recurrent unit, as `eqx.nn.GRUCell`. */
import { type Tensor, nn as jnn, numpy, random } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { checkExample, checkSize, initKey } from './checks.js';

/**
 * Options of {@link GRUCell}.
 *
 * @example
 * ```ts
 * const options: GRUCellOptions = { key: random.key(0), useBias: false };
 * new GRUCell(3, 2, options).bias; // null
 * ```
 */
export interface GRUCellOptions {
  /** The random key the weights and biases are drawn from. */
  key: Tensor;
  /** Whether to add the biases `bias` and `biasN`. Default `true`. */
  useBias?: boolean;
}

/**
 * One step of a gated recurrent unit (Equinox's `eqx.nn.GRUCell`). With `[r_i, z_i, n_i]` the three
 * thirds of `weightIh x + bias` and `[r_h, z_h, n_h]` those of `weightHh h`:
 *
 * ```text
 * r = sigmoid(r_i + r_h)              (reset gate)
 * z = sigmoid(z_i + z_h)              (update gate)
 * n = tanh(n_i + r * (n_h + biasN))   (candidate)
 * h' = n + z * (h - n)
 * ```
 *
 * - `inputSize`: channels of the input at each step.
 * - `hiddenSize`: channels of the hidden state.
 * - `useBias`: whether to add `bias` `[3 * hiddenSize]` and `biasN` `[hiddenSize]`.
 * - `key`: the random key. `weightIh` `[3 * hiddenSize, inputSize]`, `weightHh`
 *   `[3 * hiddenSize, hiddenSize]`, `bias` and `biasN` are drawn uniformly from
 *   `[-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)]`, from four keys split off `key`, as in Equinox.
 *
 * `call(input, hidden)` takes `input` `[inputSize]` and `hidden` `[hiddenSize]` and returns the new
 * hidden state `[hiddenSize]`. Run it over a sequence with a loop (JAX's `lax.scan`); batch with `vmap`.
 *
 * @example
 * ```ts
 * const cell = new GRUCell(3, 2, { key: random.key(0) });
 * cell.weightIh.shape; // [6, 3]
 * let hidden = numpy.zeros([2]);
 * for (const input of [numpy.ones([3]), numpy.zeros([3])]) hidden = cell.call(input, hidden);
 * hidden.shape; // [2]
 * vmap(cell.call)(numpy.ones([4, 3]), numpy.zeros([4, 2])).shape; // [4, 2]
 * ```
 */
export class GRUCell extends Module {
  weightIh: Tensor;
  weightHh: Tensor;
  bias: Tensor | null;
  biasN: Tensor | null;
  inputSize: number = field({ static: true });
  hiddenSize: number = field({ static: true });
  useBias: boolean = field({ static: true });

  constructor(inputSize: number, hiddenSize: number, options: GRUCellOptions) {
    super();
    const key = initKey('GRUCell', options);
    checkSize('GRUCell', 'inputSize', inputSize);
    checkSize('GRUCell', 'hiddenSize', hiddenSize);
    const [ihKey, hhKey, bKey, bnKey] = random.split(key, 4);
    const limit = Math.sqrt(1 / hiddenSize);
    const bounds = { minval: -limit, maxval: limit };
    this.weightIh = random.uniform(ihKey!, [3 * hiddenSize, inputSize], bounds);
    this.weightHh = random.uniform(hhKey!, [3 * hiddenSize, hiddenSize], bounds);
    this.useBias = options.useBias ?? true;
    this.bias = this.useBias ? random.uniform(bKey!, [3 * hiddenSize], bounds) : null;
    this.biasN = this.useBias ? random.uniform(bnKey!, [hiddenSize], bounds) : null;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
  }

  /** One step: `input` `[inputSize]` and `hidden` `[hiddenSize]` to the new hidden state `[hiddenSize]`. */
  call(input: Tensor, hidden: Tensor, _options?: { key?: Tensor }): Tensor {
    checkExample('GRUCell', input, [this.inputSize], 'input');
    checkExample('GRUCell', hidden, [this.hiddenSize], 'hidden');
    let fromInput = numpy.matmul(this.weightIh, input);
    if (this.bias !== null) fromInput = fromInput.add(this.bias);
    const [rI, zI, nI] = numpy.split(fromInput, 3);
    const [rH, zH, nH] = numpy.split(numpy.matmul(this.weightHh, hidden), 3);
    const reset = jnn.sigmoid(rI!.add(rH!));
    const update = jnn.sigmoid(zI!.add(zH!));
    const hiddenPart = this.biasN === null ? nH! : nH!.add(this.biasN);
    const candidate = jnn.tanh(nI!.add(reset.mul(hiddenPart)));
    return candidate.add(update.mul(hidden.sub(candidate)));
  }
}
