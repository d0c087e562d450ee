/** Writing new text with the trained model, one character at a time, from a seeded key. */
import { filterJit, jnp, random, type Tensor } from 'equinox-ts';
import { decode, encode } from './corpus.js';
import type { CharRnn } from './model.js';

/** Options of {@link sampleText}. */
export interface SampleOptions {
  /** The random key; the same key gives the same text. */
  key: Tensor;
  /** Text the model reads first and continues (its characters must occur in the training text). */
  prompt: string;
  /** Characters to write after the prompt. */
  length: number;
  /** Divides the logits: below 1 is more cautious, above 1 more adventurous. Default 0.8. */
  temperature?: number;
}

// Compiled once per model structure and temperature (a number, so static for filterJit).
const advance = filterJit(
  (model: CharRnn, character: Tensor, hidden: Tensor, key: Tensor, temperature: number) => {
    const [logits, next] = model.step(character, hidden);
    return [random.categorical(key, logits.div(temperature)), next] as const;
  },
);

/**
 * Feeds `prompt` through the model, then samples `length` characters, each fed back in as the next
 * input. Returns the prompt followed by the new characters.
 *
 * @example
 * ```ts
 * await sampleText(model, corpus.vocabulary, { key: random.key(0), prompt: 'The ', length: 80 });
 * ```
 */
export async function sampleText(
  model: CharRnn,
  vocabulary: readonly string[],
  options: SampleOptions,
): Promise<string> {
  const { key, prompt, length, temperature = 0.8 } = options;
  const promptIds = encode(prompt, vocabulary);
  if (promptIds.length === 0) throw new Error('the prompt must have at least one character');
  let hidden = model.initialHidden();
  let drawn: Tensor = jnp.zeros([], { dtype: 'int32' });
  const written: number[] = [];
  for (let i = 0; i < promptIds.length + length - 1; i++) {
    // Read the prompt first; after it, read back what was drawn.
    const character = i < promptIds.length ? jnp.array(promptIds[i]!, { dtype: 'int32' }) : drawn;
    [drawn, hidden] = advance(model, character, hidden, random.foldIn(key, i), temperature);
    if (i >= promptIds.length - 1) written.push((await drawn.data())[0]!);
  }
  return prompt + decode(written, vocabulary);
}
