/** A small stateful model: an MLP whose hidden layers are batch-normalised, as in Equinox's BatchNorm example. */
import { Module, jax, nn, random, type Tensor } from 'equinox-ts';

/** The name of the vmap axis the batch statistics are taken over. */
export const BATCH_AXIS = 'batch';

/**
 * BatchNorm on the inputs (each input standardised, whatever its units), then Linear, BatchNorm, ReLU
 * twice, then a Linear to one number. Build it with
 * `nn.makeWithState(BatchNormMLP)(inSize, width, key)`, which returns `[model, state]`: the running
 * statistics of the three BatchNorm layers live in the state, not in the model.
 *
 * `call(x, state)` takes one example `[inSize]` and returns `[y, state]` with `y` a scalar. While
 * training it must run under `vmap` with `axisName: BATCH_AXIS`; in inference mode
 * (`nn.inferenceMode(model)`) it runs on one example alone and returns the state unchanged.
 *
 * @example
 * ```ts
 * const [model, state] = nn.makeWithState(BatchNormMLP)(2, 16, random.key(0));
 * const [y] = nn.inferenceMode(model).call(jnp.zeros([2]), state);
 * y.shape; // []
 * ```
 */
export class BatchNormMLP extends Module {
  inputNorm: nn.BatchNorm;
  linear1: nn.Linear;
  norm1: nn.BatchNorm;
  linear2: nn.Linear;
  norm2: nn.BatchNorm;
  head: nn.Linear;

  constructor(inSize: number, width: number, key: Tensor) {
    super();
    const [k1, k2, k3] = random.split(key, 3);
    this.inputNorm = new nn.BatchNorm(inSize, BATCH_AXIS);
    this.linear1 = new nn.Linear(inSize, width, { key: k1! });
    this.norm1 = new nn.BatchNorm(width, BATCH_AXIS);
    this.linear2 = new nn.Linear(width, width, { key: k2! });
    this.norm2 = new nn.BatchNorm(width, BATCH_AXIS);
    this.head = new nn.Linear(width, 'scalar', { key: k3! });
  }

  /** One example `[inSize]` to `[y, state]`, `y` of shape `[]`. */
  call(x: Tensor, state: nn.State): [Tensor, nn.State] {
    let h: Tensor;
    [h, state] = this.inputNorm.call(x, state);
    h = this.linear1.call(h);
    [h, state] = this.norm1.call(h, state);
    h = this.linear2.call(jax.nn.relu(h));
    [h, state] = this.norm2.call(h, state);
    return [this.head.call(jax.nn.relu(h)), state];
  }
}
