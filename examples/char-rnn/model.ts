/** The language model: characters to vectors (Embedding), a GRU cell run along the text, a Linear head. */
import { Module, field, jax, jnp, nn, random, type Tensor } from 'equinox-ts';

/** Sizes of {@link CharRnn}. */
export interface CharRnnSizes {
  /** Distinct characters. */
  vocabularySize: number;
  /** Length of each character's vector. Default 16. */
  embeddingSize?: number;
  /** Size of the GRU's hidden state. Default 64. */
  hiddenSize?: number;
}

/**
 * A character-level recurrent language model. `call(sequence)` reads int32 character indices `[T]`
 * and returns, at each position, the logits of the next character `[T, vocabularySize]`;
 * `step(character, hidden)` advances one character, for sampling.
 *
 * @example
 * ```ts
 * const model = new CharRnn({ vocabularySize: 30 }, random.key(0));
 * model.call(jnp.array([1, 2, 3], { dtype: 'int32' })).shape; // [3, 30]
 * ```
 */
export class CharRnn extends Module {
  embedding: nn.Embedding;
  cell: nn.GRUCell;
  head: nn.Linear;
  hiddenSize: number = field({ static: true });

  constructor(sizes: CharRnnSizes, key: Tensor) {
    super();
    const { vocabularySize, embeddingSize = 16, hiddenSize = 64 } = sizes;
    const [embeddingKey, cellKey, headKey] = random.split(key, 3);
    this.embedding = new nn.Embedding(vocabularySize, embeddingSize, { key: embeddingKey! });
    this.cell = new nn.GRUCell(embeddingSize, hiddenSize, { key: cellKey! });
    this.head = new nn.Linear(hiddenSize, vocabularySize, { key: headKey! });
    this.hiddenSize = hiddenSize;
  }

  /** The hidden state before the first character. */
  initialHidden(): Tensor {
    return jnp.zeros([this.hiddenSize]);
  }

  /** Next-character logits at every position of `sequence` `[T]` (int32): `[T, vocabularySize]`. */
  call(sequence: Tensor): Tensor {
    const inputs = jax.vmap(this.embedding.call)(sequence);
    let hidden = this.initialHidden();
    const hiddens: Tensor[] = [];
    // A JavaScript loop over time (JAX would use lax.scan); under jit it is traced once, unrolled.
    for (let t = 0; t < sequence.shape[0]!; t++) {
      hidden = this.cell.call(inputs.get(t), hidden);
      hiddens.push(hidden);
    }
    return jax.vmap(this.head.call)(jnp.stack(hiddens));
  }

  /** Reads one character (an int32 scalar): `[logits of the next one, new hidden state]`. */
  step(character: Tensor, hidden: Tensor): [Tensor, Tensor] {
    const next = this.cell.call(this.embedding.call(character), hidden);
    return [this.head.call(next), next];
  }
}
