/** `LSTMCell`: one step of a long short-term memory unit, as `eqx.nn.LSTMCell`. */
import { type Tensor, TensorError, nn as jnn, numpy, random } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { aval, checkExample, checkSize, initKey } from './checks.js';

/**
 * Options of {@link LSTMCell}.
 *
 * @example
 * ```ts
 * const options: LSTMCellOptions = { key: random.key(0), useBias: false };
 * new LSTMCell(3, 2, options).bias; // null
 * ```
 */
export interface LSTMCellOptions {
  /** The random key the weights and bias are drawn from. */
  key: Tensor;
  /** Whether to add the bias. Default `true`. */
  useBias?: boolean;
}

/**
 * An LSTM's state: the hidden state `h` and the cell state `c`, each `[hiddenSize]`.
 *
 * @example
 * ```ts
 * const state: LSTMState = [numpy.zeros([2]), numpy.zeros([2])];
 * state.length; // 2
 * ```
 */
export type LSTMState = [h: Tensor, c: Tensor];

/**
 * One step of a long short-term memory unit (Equinox's `eqx.nn.LSTMCell`). With `[i, f, g, o]` the
 * four quarters of `weightIh x + weightHh h + bias`:
 *
 * ```text
 * c' = sigmoid(f) * c + sigmoid(i) * tanh(g)   (forget, input and candidate)
 * h' = sigmoid(o) * tanh(c')                    (output gate)
 * ```
 *
 * - `inputSize`: channels of the input at each step.
 * - `hiddenSize`: channels of the hidden and cell states.
 * - `useBias`: whether to add `bias` `[4 * hiddenSize]`.
 * - `key`: the random key. `weightIh` `[4 * hiddenSize, inputSize]`, `weightHh`
 *   `[4 * hiddenSize, hiddenSize]` and `bias` are drawn uniformly from
 *   `[-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)]`, from three keys split off `key`, as in Equinox.
 *
 * `call(input, [h, c])` takes `input` `[inputSize]` and the state `[h, c]` (each `[hiddenSize]`) and
 * returns the new state `[h, c]`. Run it over a sequence with a loop; batch with `vmap`.
 *
 * @example
 * ```ts
 * const cell = new LSTMCell(3, 2, { key: random.key(0) });
 * cell.weightHh.shape; // [8, 2]
 * const [h, c] = cell.call(numpy.ones([3]), [numpy.zeros([2]), numpy.zeros([2])]);
 * [h.shape, c.shape]; // [[2], [2]]
 * ```
 */
export class LSTMCell extends Module {
  weightIh: Tensor;
  weightHh: Tensor;
  bias: Tensor | null;
  inputSize: number = field({ static: true });
  hiddenSize: number = field({ static: true });
  useBias: boolean = field({ static: true });

  constructor(inputSize: number, hiddenSize: number, options: LSTMCellOptions) {
    super();
    const key = initKey('LSTMCell', options);
    checkSize('LSTMCell', 'inputSize', inputSize);
    checkSize('LSTMCell', 'hiddenSize', hiddenSize);
    const [ihKey, hhKey, bKey] = random.split(key, 3);
    const limit = Math.sqrt(1 / hiddenSize);
    const bounds = { minval: -limit, maxval: limit };
    this.weightIh = random.uniform(ihKey!, [4 * hiddenSize, inputSize], bounds);
    this.weightHh = random.uniform(hhKey!, [4 * hiddenSize, hiddenSize], bounds);
    this.useBias = options.useBias ?? true;
    this.bias = this.useBias ? random.uniform(bKey!, [4 * hiddenSize], bounds) : null;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
  }

  /** One step: `input` `[inputSize]` and the state `[h, c]` to the new state `[h, c]`. */
  call(input: Tensor, hidden: LSTMState, _options?: { key?: Tensor }): LSTMState {
    checkExample('LSTMCell', input, [this.inputSize], 'input');
    if (!Array.isArray(hidden) || hidden.length !== 2) {
      throw new TensorError(
        'LSTMCell',
        `expected \`hidden\` to be a pair [h, c] of [${this.hiddenSize}] tensors, found ${describe(hidden)}`,
      );
    }
    const [h, c] = hidden;
    checkExample('LSTMCell', h, [this.hiddenSize], 'hidden[0] (h)');
    checkExample('LSTMCell', c, [this.hiddenSize], 'hidden[1] (c)');
    let gates = numpy.matmul(this.weightIh, input).add(numpy.matmul(this.weightHh, h));
    if (this.bias !== null) gates = gates.add(this.bias);
    const [i, f, g, o] = numpy.split(gates, 4);
    const cell = jnn
      .sigmoid(f!)
      .mul(c)
      .add(jnn.sigmoid(i!).mul(jnn.tanh(g!)));
    return [jnn.sigmoid(o!).mul(jnn.tanh(cell)), cell];
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value !== null && typeof value === 'object' && 'shape' in value) return aval(value as Tensor);
  return typeof value;
}
