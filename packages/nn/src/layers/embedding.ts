/** `Embedding`: a lookup table of vectors, as `eqx.nn.Embedding`. */
import { Tensor, TensorError, random } from '@equinox-ts/autodiff';
import { field } from '../module/field.js';
import { Module } from '../module/module.js';
import { aval } from './checks.js';

/**
 * Options of {@link Embedding}: a `key` to draw the table, or the table itself as `weight`.
 *
 * @example
 * ```ts
 * const options: EmbeddingOptions = { weight: numpy.eye(3) };
 * ```
 */
export interface EmbeddingOptions {
  /** The random key the table is drawn from (standard normal); needed unless `weight` is given. */
  key?: Tensor;
  /** The table itself, `[numEmbeddings, embeddingSize]`; the sizes may then be `null`. */
  weight?: Tensor;
}

function checkCount(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TensorError(
      'Embedding',
      `\`${argument}\` must be a non-negative integer, found ${String(value)}`,
    );
  }
  return value;
}

/**
 * A lookup table (Equinox's `eqx.nn.Embedding`): `call(i)` returns row `i` of `weight`.
 *
 * - `numEmbeddings`: the number of rows (entries of the table); non-negative.
 * - `embeddingSize`: the length of each row; non-negative.
 * - `key`: draws `weight` of shape `[numEmbeddings, embeddingSize]` from a standard normal, as in
 *   Equinox.
 * - `weight`: the table itself instead (2-D); `numEmbeddings` and `embeddingSize` may then be `null`
 *   (taken from it) or must match it.
 *
 * `call(index)` takes one index, a JavaScript integer or an int32 tensor of shape `[]`, and returns
 * `[embeddingSize]`; look up many with `vmap`. Negative indices count from the end, as in JAX. An
 * index out of range is an error when its value is known (a number, or a tensor outside `jit` and
 * `vmap`); a traced one is clamped to the table, as JAX's indexing does.
 *
 * @example
 * ```ts
 * const table = new Embedding(10, 4, { key: random.key(0) });
 * table.call(3).shape; // [4]
 * vmap(table.call)(numpy.array([1, 2, 7], { dtype: 'int32' })).shape; // [3, 4]
 * new Embedding(null, null, { weight: numpy.eye(3) }).call(1).tolist(); // [0, 1, 0]
 * ```
 */
export class Embedding extends Module {
  weight: Tensor;
  numEmbeddings: number = field({ static: true });
  embeddingSize: number = field({ static: true });

  constructor(
    numEmbeddings: number | null,
    embeddingSize: number | null,
    options: EmbeddingOptions,
  ) {
    super();
    const { key, weight } = options ?? {};
    if (weight === undefined) {
      if (key === undefined || numEmbeddings === null || embeddingSize === null) {
        throw new TensorError(
          'Embedding',
          'give `numEmbeddings`, `embeddingSize` and a `key` (new Embedding(n, size, { key })), or the ' +
            'table itself (new Embedding(null, null, { weight }))',
        );
      }
      const rows = checkCount('numEmbeddings', numEmbeddings);
      const size = checkCount('embeddingSize', embeddingSize);
      this.weight = random.normal(key, [rows, size]);
    } else {
      if (!(weight instanceof Tensor) || weight.ndim !== 2) {
        throw new TensorError(
          'Embedding',
          `\`weight\` must be a 2-D tensor [numEmbeddings, embeddingSize], found ${weight instanceof Tensor ? aval(weight) : typeof weight}`,
        );
      }
      const [rows, size] = weight.shape as [number, number];
      if ((numEmbeddings ?? rows) !== rows || (embeddingSize ?? size) !== size) {
        throw new TensorError(
          'Embedding',
          `\`weight\` must have shape [numEmbeddings, embeddingSize] = [${numEmbeddings ?? rows}, ${embeddingSize ?? size}], found ${aval(weight)}`,
        );
      }
      this.weight = weight;
    }
    this.numEmbeddings = this.weight.shape[0]!;
    this.embeddingSize = this.weight.shape[1]!;
  }

  /** Row `index` of the table: `[embeddingSize]`. The options (a key) are accepted and ignored. */
  call(index: Tensor | number, _options?: { key?: Tensor }): Tensor {
    const n = this.numEmbeddings;
    if (typeof index === 'number') {
      if (!Number.isInteger(index)) {
        throw new TensorError('Embedding', `the index must be an integer, found ${index}`);
      }
      checkInRange(index, n);
      return this.weight.get(index);
    }
    if (!(index instanceof Tensor) || index.ndim !== 0 || index.dtype !== 'int32') {
      const found = index instanceof Tensor ? aval(index) : typeof index;
      const hint =
        index instanceof Tensor && index.ndim > 0
          ? '; look up several indices with vmap'
          : index instanceof Tensor && index.dtype !== 'int32'
            ? "; make it with numpy.array(i, { dtype: 'int32' })"
            : '';
      throw new TensorError(
        'Embedding',
        `expected one index, an int32[] tensor or a number, found ${found}${hint}`,
      );
    }
    // A concrete index can be checked for free; a traced one is clamped, as JAX does.
    if (index._trace === null) checkInRange(index.item(), n);
    return this.weight.get(index);
  }
}

function checkInRange(index: number, n: number): void {
  if (index < -n || index >= n) {
    throw new TensorError(
      'Embedding',
      `index ${index} is out of range for a table of ${n} embeddings (valid: ${-n} to ${n - 1})`,
    );
  }
}
