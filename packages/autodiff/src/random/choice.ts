/** Sampling elements of an array (or of `0..n-1`), with or without replacement, uniformly or weighted. */
import { TensorError, avalText } from '../core/errors.js';
import type { Tensor } from '../tensor.js';
import { filled, scalarLike } from '../primitives/constants.js';
import { binary, cast, unary } from '../primitives/elementwise.js';
import { gather, reshape, slice } from '../primitives/layout.js';
import { cumsum, reduce } from '../primitives/reduce.js';
import { normalizeAxis } from '../numpy/axes.js';
import type { ArrayLike } from '../numpy/convert.js';
import { argsort } from '../numpy/sorting.js';
import { gumbel } from './categorical.js';
import { checkKey, checkShape, sizeOf, tensorOn } from './checks.js';
import { randint } from './discrete.js';
import { permutation, populationOf } from './permutation.js';
import { uniform } from './uniform.js';

/** Options of {@link choice}. */
export interface ChoiceOptions {
  /** The shape of the draws (default `[]`, one draw). */
  shape?: readonly number[];
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** The probability of each entry (a 1-D float array as long as the population); uniform if absent. */
  p?: ArrayLike;
  /** The axis of `a` whose entries are drawn (default 0). */
  axis?: number;
}

/**
 * Random entries of `a` (its slices along `axis`), or of `0..a-1` for an integer `a`, JAX's `choice`
 * with the same algorithms: uniform with replacement is `randint`; without replacement, the first
 * draws of a `permutation`; weighted with replacement, inverse-CDF search of `uniform` draws in the
 * cumulative sum of `p`; weighted without replacement, the top entries of `log(p)` plus Gumbel noise.
 * The result has shape `shape` (with `a`'s other dimensions around it for an array).
 *
 * @example
 * ```ts
 * const draws = random.choice(random.key(0), 5, { shape: [3], replace: false });
 * new Set(draws.tolist() as number[]).size; // 3
 * random.choice(random.key(0), numpy.array([10, 20, 30]), { shape: [2, 2] }).shape; // [2, 2]
 * random.choice(random.key(0), 3, { shape: [4], p: numpy.array([0, 0, 1]) }).tolist(); // [2, 2, 2, 2]
 * ```
 */
export function choice(key: Tensor, a: number | ArrayLike, options: ChoiceOptions = {}): Tensor {
  checkKey('choice', key);
  const shape = options.shape ?? [];
  checkShape('choice', shape);
  const replace = options.replace ?? true;
  const population = populationOf('choice', key, a);
  const axis =
    typeof population === 'number'
      ? 0
      : normalizeAxis('choice', options.axis ?? 0, population.ndim);
  const count = typeof population === 'number' ? population : population.shape[axis]!;
  const draws = sizeOf(shape);
  if (draws > 0 && count === 0) {
    throw new TensorError(
      'choice',
      'cannot draw from an empty population (`a` is 0 or has an empty axis)',
    );
  }
  if (!replace && draws > count) {
    throw new TensorError(
      'choice',
      `cannot take ${draws} draws from a population of ${count} without replacement`,
    );
  }
  const pick = (indices: Tensor) =>
    typeof population === 'number' ? indices : gather(population, indices, axis);
  if (draws === 0) return pick(filled(shape, 0, 'int32', key.backend));

  if (options.p === undefined) {
    if (replace) return pick(randint(key, shape, 0, count));
    // Without replacement: the first `draws` entries of a permutation of the population.
    const order = permutation(key, count);
    return pick(reshape(slice(order, [0], [draws]), shape));
  }
  const p = tensorOn(key, options.p, 'float32');
  if (p.ndim !== 1 || p.shape[0] !== count) {
    throw new TensorError(
      'choice',
      `\`p\` must be a 1-D array of ${count} probabilities, found ${avalText(p)}`,
    );
  }
  if (replace) {
    const cumulative = cumsum(p, 0);
    const total = reshape(slice(cumulative, [count - 1], [count]), []);
    const r = binary('mul', total, binary('sub', scalarLike(total, 1), uniform(key, shape)));
    // searchsorted(cumulative, r, side='left'): how many cumulative sums lie below each draw.
    const below = binary('lt', cumulative, reshape(r, [...shape, 1]));
    return pick(reduce('sum', cast(below, 'int32'), [shape.length]));
  }
  const scores = binary('add', gumbel(key, [count]), unary('log', p));
  // lax.top_k's order: largest first, ties by position (argsort is stable).
  const top = slice(argsort(scores, { descending: true }), [0], [draws]);
  return pick(reshape(top, shape));
}
