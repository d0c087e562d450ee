/** Loading the toy classifier's checkpoint into the same architecture, with a clear error when it is missing. */
import { existsSync } from 'node:fs';
import { loadSafetensors, random } from 'equinox-ts';
import { type Classifier, makeClassifier } from '../toy-classifier/model.js';

/** The command that writes the default checkpoint. */
export const TRAIN_COMMAND = 'pnpm --filter @equinox-ts/example-toy-classifier start';

/**
 * Loads a classifier saved by the toy-classifier example. The weights go into a freshly built
 * skeleton of the same architecture; its random initial values are all replaced (`loadSafetensors`
 * checks that every name, shape and dtype matches).
 *
 * Throws an Error that names the missing file and the command that creates it.
 *
 * @example
 * ```ts
 * const model = await loadClassifier('../toy-classifier/out/spirals-mlp.safetensors');
 * ```
 */
export async function loadClassifier(path: string): Promise<Classifier> {
  if (!existsSync(path)) {
    throw new Error(
      `no checkpoint at ${path}. Train the toy classifier first, which writes it: ${TRAIN_COMMAND} ` +
        '(or pass --checkpoint with the path its --out flag was given)',
    );
  }
  return loadSafetensors(path, makeClassifier(random.key(0)));
}
